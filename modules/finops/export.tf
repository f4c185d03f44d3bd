# CUR 2.0 through Data Exports, as Parquet for Athena/QuickSight. Data Exports is served from
# us-east-1: run this module with a us-east-1 provider (Budgets and Cost Explorer are global
# and answered there too).
locals {
  cur_columns = [
    "bill_bill_type",
    "bill_billing_period_start_date",
    "bill_payer_account_id",
    "identity_line_item_id",
    "identity_time_interval",
    "line_item_line_item_type",
    "line_item_usage_account_id",
    "line_item_product_code",
    "line_item_usage_type",
    "line_item_operation",
    "line_item_resource_id",
    "line_item_usage_start_date",
    "line_item_usage_end_date",
    "line_item_usage_amount",
    "line_item_unblended_cost",
    "line_item_blended_cost",
    "line_item_net_unblended_cost",
    "pricing_unit",
    "product_region_code",
    "reservation_effective_cost",
    "savings_plan_savings_plan_effective_cost",
    "resource_tags",
    "cost_category",
  ]
}

resource "aws_bcmdataexports_export" "cur" {
  count = var.cost_export.enabled ? 1 : 0

  export {
    name        = "${var.name}-cur2"
    description = "CUR 2.0 for ${var.name} (platform/finops)."

    data_query {
      query_statement = "SELECT ${join(", ", local.cur_columns)} FROM COST_AND_USAGE_REPORT"
      table_configurations = {
        COST_AND_USAGE_REPORT = {
          TIME_GRANULARITY                      = var.cost_export.time_granularity
          INCLUDE_RESOURCES                     = var.cost_export.include_resources ? "TRUE" : "FALSE"
          INCLUDE_SPLIT_COST_ALLOCATION_DATA    = var.cost_export.include_split_cost_allocation_data ? "TRUE" : "FALSE"
          INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY = "FALSE"
        }
      }
    }

    destination_configurations {
      s3_destination {
        s3_bucket = aws_s3_bucket.this[0].id
        s3_prefix = local.export_prefix
        s3_region = local.region

        s3_output_configurations {
          format      = "PARQUET"
          compression = "PARQUET"
          output_type = "CUSTOM"
          overwrite   = "OVERWRITE_REPORT"
        }
      }
    }

    refresh_cadence {
      frequency = "SYNCHRONOUS"
    }
  }

  tags = local.tags

  depends_on = [aws_s3_bucket_policy.this]
}

# One cost budget per application and environment. Actual spend below 100% of the limit alerts
# the warning topic, from 100% the critical topic; forecasts alert the warning topic so the team
# can act before the money is spent.
locals {
  budget_notifications = {
    for k, b in var.budgets : k => concat(
      [for t in b.actual_thresholds : { type = "ACTUAL", threshold = t, severity = t >= 100 ? "critical" : "warning" }],
      [for t in b.forecast_thresholds : { type = "FORECASTED", threshold = t, severity = "warning" }],
    )
  }
}

resource "aws_budgets_budget" "this" {
  for_each = var.budgets

  name         = "${var.name}-${each.key}"
  budget_type  = "COST"
  limit_amount = format("%.2f", each.value.limit_usd)
  limit_unit   = "USD"
  time_unit    = each.value.time_unit
  # filter_expression (the only way to AND two tags) works with explicit metrics, not cost_types.
  metrics = ["UnblendedCost"]

  # application AND environment (cost_filter values of one key are OR-ed, so use an expression).
  filter_expression {
    and {
      tags {
        key           = "application"
        values        = [each.value.application]
        match_options = ["EQUALS"]
      }
    }
    and {
      tags {
        key           = "environment"
        values        = [each.value.environment]
        match_options = ["EQUALS"]
      }
    }
  }

  dynamic "notification" {
    for_each = local.budget_notifications[each.key]
    content {
      notification_type         = notification.value.type
      comparison_operator       = "GREATER_THAN"
      threshold                 = notification.value.threshold
      threshold_type            = "PERCENTAGE"
      subscriber_sns_topic_arns = [var.alert_topic_arns[notification.value.severity]]
    }
  }

  tags = merge(local.tags, { budget_application = each.value.application, budget_environment = each.value.environment })
}

locals {
  tags = merge(var.tags, { managed_by = "terraform", module = "platform/finops" })

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  finops_tag_keys = toset(["cost_center", "environment", "application", "owner"])

  create_bucket = var.cost_export.enabled
  bucket_name   = coalesce(var.bucket_name, "${lower(substr(var.name, 0, 24))}-cur-${local.account_id}")
  bucket_arn    = "arn:${local.partition}:s3:::${local.bucket_name}"
  export_prefix = "cur2"
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

# Tags only show up in Cost Explorer, budgets and the CUR once activated (payer account).
resource "aws_ce_cost_allocation_tag" "this" {
  for_each = var.activate_cost_allocation_tags ? setunion(local.finops_tag_keys, var.extra_cost_allocation_tag_keys) : toset([])

  tag_key = each.key
  status  = "Active"
}

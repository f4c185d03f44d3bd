locals {
  tags = merge(var.tags, { managed_by = "terraform", module = "platform/config" })

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  create_bucket = var.existing_bucket_name == null
  bucket_name   = local.create_bucket ? coalesce(var.bucket_name, "${lower(substr(var.name, 0, 24))}-config-${local.account_id}-${local.region}") : var.existing_bucket_name
  bucket_arn    = "arn:${local.partition}:s3:::${local.bucket_name}"
  # Config writes under <prefix>/AWSLogs/<account>/Config/...
  delivery_arn = "${local.bucket_arn}/${var.s3_key_prefix}/AWSLogs/${local.account_id}/*"
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  tags = {
    cost_center = var.finops_tags.cost_center
    environment = var.environment
    application = var.finops_tags.application
    owner       = var.finops_tags.owner
  }

  partition          = data.aws_partition.current.partition
  state_bucket_name  = "${var.name_prefix}-tfstate-${var.account_id}"
  access_logs_bucket = "${var.name_prefix}-s3-access-logs-${var.account_id}"
  state_bucket_arn   = "arn:${local.partition}:s3:::${local.state_bucket_name}"
  lock_table_name    = "${var.name_prefix}-tfstate-lock"
  lock_table_arn     = "arn:${local.partition}:dynamodb:${var.region}:${var.account_id}:table/${local.lock_table_name}"
}

# The state key: state and lock files are encrypted with it. Principals use it only through
# S3 (and DynamoDB) and only with an IAM policy naming it (the CI roles below have one).
module "state_kms" {
  source  = "registry.internal/platform/kms/aws"
  version = "~> 1.0"

  name                   = "${var.name_prefix}/tfstate"
  description            = "Terraform state of account ${var.account_id}"
  key_administrator_arns = var.kms_administrator_arns
  via_services           = ["s3", "dynamodb"]

  tags = local.tags
}

# The state bucket: versioned, SSE-KMS with the state key (writes with any other key are
# denied), all public access blocked, TLS 1.2+ only, old versions expired after
# state_noncurrent_version_days, server access logs to the bucket in access_logs.tf.
module "state_bucket" {
  source  = "registry.internal/platform/s3/aws"
  version = "~> 1.0"

  bucket_name                        = local.state_bucket_name
  kms_key_arn                        = module.state_kms.key_arn
  noncurrent_version_expiration_days = var.state_noncurrent_version_days
  access_logging = {
    target_bucket = aws_s3_bucket.access_logs.id
    target_prefix = "${local.state_bucket_name}/"
  }

  tags = local.tags
}

# Only for Terraform < 1.11 or other tooling that cannot use S3-native locking.
resource "aws_dynamodb_table" "lock" {
  count = var.create_dynamodb_lock_table ? 1 : 0

  name                        = local.lock_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "LockID"
  deletion_protection_enabled = true

  attribute {
    name = "LockID"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = module.state_kms.key_arn
  }

  point_in_time_recovery {
    enabled = true
  }

  tags = local.tags
}

# Every option: access logs to a log bucket made by the module too (access_log_delivery), tiering and expiry rules, object lock in
# governance mode, and a read-only grant for one application role.
provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

data "aws_kms_alias" "platform" {
  name = "alias/platform/staging/shared"
}

locals {
  account_id = data.aws_caller_identity.current.account_id
}

module "bucket" {
  source = "../.."

  bucket_name = "reports-staging-${local.account_id}"
  kms_key_arn = data.aws_kms_alias.platform.target_key_arn

  access_logging = {
    target_bucket = "platform-staging-access-logs-${local.account_id}"
    target_prefix = "reports/"
  }

  abort_incomplete_multipart_upload_days = 3
  noncurrent_version_expiration_days     = 30

  lifecycle_rules = [
    {
      id              = "exports-to-ia"
      prefix          = "exports/"
      transition_days = 30
      storage_class   = "STANDARD_IA"
      expiration_days = 365
    },
    {
      id              = "tmp-expiry"
      prefix          = "tmp/"
      expiration_days = 7
    },
  ]

  object_lock = {
    mode = "GOVERNANCE"
    days = 30
  }

  policy_statements = [
    {
      sid            = "ReportsReaderRead"
      actions        = ["s3:GetObject", "s3:ListBucket"]
      principal_arns = ["arn:aws:iam::${local.account_id}:role/reports-reader"]
      object_prefix  = "exports/"
    },
  ]

  tags = {
    cost_center = "cc-5678"
    environment = "staging"
    application = "reports"
    owner       = "data-team"
  }
}

# The access-log target itself: log delivery granted by bucket policy (ACLs stay disabled), only
# from this account's reports bucket; it logs nowhere itself.
module "access_logs" {
  source = "../.."

  bucket_name = "platform-staging-access-logs-${local.account_id}"
  kms_key_arn = data.aws_kms_alias.platform.target_key_arn

  access_log_delivery = {
    prefix             = "reports/"
    source_bucket_arns = ["arn:aws:s3:::reports-staging-${local.account_id}"]
  }

  lifecycle_rules = [{ id = "expire-access-logs", expiration_days = 400 }]

  tags = {
    cost_center = "cc-0001"
    environment = "staging"
    application = "platform"
    owner       = "platform-team"
  }
}

output "bucket_name" {
  description = "Name of the bucket."
  value       = module.bucket.bucket_name
}

output "bucket_arn" {
  description = "ARN of the bucket."
  value       = module.bucket.bucket_arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket."
  value       = module.bucket.bucket_regional_domain_name
}

# Full use in a second Region: delivery to the central bucket created in the primary Region,
# no duplicate global resources, notifications to the monitoring info topic, daily recording,
# every remediation on, EKS rules off in an account without EKS.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "secondary"
  region = "eu-central-1"
}

locals {
  tags = {
    cost_center = "cc-1234"
    environment = "prod"
    application = "platform"
    owner       = "platform-team"
  }
}

module "config_primary" {
  source = "../.."

  name                     = "platform-prod"
  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"
  bucket_name              = "platform-prod-config-111122223333"
  sns_topic_arn            = "arn:aws:sns:eu-west-1:111122223333:shop-prod-info"

  access_logging = {
    target_bucket = "platform-prod-access-logs-111122223333"
  }

  retention = {
    transition_days = 90
    expiration_days = 2557
  }

  recording_frequency         = "CONTINUOUS"
  snapshot_delivery_frequency = "Six_Hours"

  remediation = {
    s3_bucket_public_read_prohibited  = true
    s3_bucket_public_write_prohibited = true
    s3_bucket_ssl_requests_only       = true
    restricted_ssh                    = true
    rds_instance_public_access_check  = true
  }

  tags = {
    cost_center = "cc-1234"
    environment = "prod"
    application = "platform"
    owner       = "platform-team"
  }
}

module "config_secondary" {
  #checkov:skip=CKV2_AWS_48:Global resources (IAM) are recorded once per account, by config_primary; recording them in every Region duplicates items and cost (AWS Config best practice).
  source = "../.."
  providers = {
    aws = aws.secondary
  }

  name                          = "platform-prod-euc1"
  kms_key_arn                   = "arn:aws:kms:eu-central-1:111122223333:key/5678abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn      = "arn:aws:iam::111122223333:policy/platform-boundary"
  existing_bucket_name          = module.config_primary.bucket_name
  include_global_resource_types = false
  recording_frequency           = "DAILY"
  disabled_rules                = ["eks-secrets-encrypted", "eks-endpoint-no-public-access"]

  tags = local.tags
}

output "primary_rule_arns" {
  description = "Config rule ARNs in the primary Region."
  value       = module.config_primary.rule_arns
}

output "remediated_rules" {
  description = "Rules with automatic remediation in the primary Region."
  value       = module.config_primary.remediated_rules
}

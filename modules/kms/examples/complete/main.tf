# A shared platform key as the other modules expect it: CloudWatch Logs (VPC flow logs, EKS
# control-plane logs), CloudWatch alarms to an encrypted SNS topic, and RDS / EBS / EKS / S3 /
# Secrets Manager usage through the services by this account's principals.
provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
}

module "kms" {
  source = "../.."

  name                    = "platform/dev/shared"
  description             = "Shared platform key for logs, alarms, RDS, EBS, EKS secrets and S3"
  deletion_window_in_days = 14
  rotation_period_in_days = 180

  key_administrator_arns = [
    "arn:aws:iam::${local.account_id}:role/platform-admin",
    "arn:aws:iam::${local.account_id}:role/break-glass",
  ]
  key_user_arns = [
    "arn:aws:iam::${local.account_id}:role/eks-cluster",
    "arn:aws:iam::${local.account_id}:role/backend-app",
  ]
  # budgets and costalerts: platform/finops alerts to the monitoring topics encrypted with this key.
  service_principals = ["logs", "cloudwatch", "sns", "budgets", "costalerts"]

  # EKS managed nodes' volumes are encrypted with this key by the Auto Scaling service-linked
  # role; a fresh account creates that role here first.
  allow_autoscaling_service_linked_role  = true
  create_autoscaling_service_linked_role = true
  via_services                           = ["rds", "ec2", "eks", "s3", "secretsmanager", "sns"]

  tags = {
    cost_center = "cc-1234"
    environment = "dev"
    application = "platform"
    owner       = "platform-team"
    data_class  = "internal"
  }
}

output "key_arn" {
  description = "ARN of the shared key."
  value       = module.kms.key_arn
}

output "alias_name" {
  description = "Alias of the shared key."
  value       = module.kms.alias_name
}

output "key_policy" {
  description = "Rendered key policy, for review."
  value       = module.kms.key_policy
}

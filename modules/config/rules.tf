# Managed rules for this client's controls. Each maps to a control the platform modules
# enforce at creation time; Config catches drift and resources created outside them.
locals {
  all_rules = {
    "required-tags" = {
      identifier = "REQUIRED_TAGS"
      periodic   = false
      params = {
        tag1Key   = "cost_center"
        tag2Key   = "environment"
        tag2Value = join(",", var.required_tag_environments)
        tag3Key   = "application"
        tag4Key   = "owner"
      }
    }
    "encrypted-volumes"                          = { identifier = "ENCRYPTED_VOLUMES", periodic = false, params = {} }
    "rds-storage-encrypted"                      = { identifier = "RDS_STORAGE_ENCRYPTED", periodic = false, params = {} }
    "rds-instance-public-access-check"           = { identifier = "RDS_INSTANCE_PUBLIC_ACCESS_CHECK", periodic = false, params = {} }
    "rds-instance-deletion-protection-enabled"   = { identifier = "RDS_INSTANCE_DELETION_PROTECTION_ENABLED", periodic = false, params = {} }
    "s3-bucket-ssl-requests-only"                = { identifier = "S3_BUCKET_SSL_REQUESTS_ONLY", periodic = false, params = {} }
    "s3-bucket-public-read-prohibited"           = { identifier = "S3_BUCKET_PUBLIC_READ_PROHIBITED", periodic = false, params = {} }
    "s3-bucket-public-write-prohibited"          = { identifier = "S3_BUCKET_PUBLIC_WRITE_PROHIBITED", periodic = false, params = {} }
    "s3-bucket-level-public-access-prohibited"   = { identifier = "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED", periodic = false, params = {} }
    "restricted-ssh"                             = { identifier = "INCOMING_SSH_DISABLED", periodic = false, params = {} }
    "vpc-flow-logs-enabled"                      = { identifier = "VPC_FLOW_LOGS_ENABLED", periodic = true, params = {} }
    "iam-policy-no-statements-with-admin-access" = { identifier = "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS", periodic = false, params = {} }
    "cloudwatch-log-group-encrypted"             = { identifier = "CLOUDWATCH_LOG_GROUP_ENCRYPTED", periodic = true, params = {} }
    "eks-secrets-encrypted"                      = { identifier = "EKS_SECRETS_ENCRYPTED", periodic = true, params = {} }
    "eks-endpoint-no-public-access"              = { identifier = "EKS_ENDPOINT_NO_PUBLIC_ACCESS", periodic = true, params = {} }
    "ec2-imdsv2-check"                           = { identifier = "EC2_IMDSV2_CHECK", periodic = false, params = {} }
  }

  rules = { for k, r in local.all_rules : k => r if !contains(var.disabled_rules, k) }
}

resource "aws_config_config_rule" "this" {
  for_each = local.rules

  name             = "${var.name}-${each.key}"
  description      = "Managed rule ${each.value.identifier} (platform/config)."
  input_parameters = length(each.value.params) > 0 ? jsonencode(each.value.params) : null

  maximum_execution_frequency = each.value.periodic ? var.periodic_rule_frequency : null

  source {
    owner             = "AWS"
    source_identifier = each.value.identifier
  }

  tags = local.tags

  depends_on = [aws_config_configuration_recorder.this]
}

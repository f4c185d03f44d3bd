output "recorder_name" {
  description = "Name of the AWS Config configuration recorder."
  value       = aws_config_configuration_recorder.this.name
}

output "delivery_channel_name" {
  description = "Name of the AWS Config delivery channel."
  value       = aws_config_delivery_channel.this.name
}

output "bucket_name" {
  description = "Name of the S3 bucket receiving configuration snapshots and history (created here or the existing one)."
  value       = local.create_bucket ? aws_s3_bucket.this[0].id : local.bucket_name
}

output "bucket_arn" {
  description = "ARN of the delivery bucket."
  value       = local.create_bucket ? aws_s3_bucket.this[0].arn : local.bucket_arn
}

output "config_role_arn" {
  description = "ARN of the IAM role the recorder uses."
  value       = aws_iam_role.config.arn
}

output "remediation_role_arn" {
  description = "ARN of the SSM Automation role used by auto-remediation, or null when no remediation is on."
  value       = try(aws_iam_role.remediation[0].arn, null)
}

output "rule_arns" {
  description = "Config rule ARNs keyed by rule name (e.g. required-tags)."
  value       = { for k, r in aws_config_config_rule.this : k => r.arn }
}

output "remediated_rules" {
  description = "Names of the rules with automatic remediation switched on."
  value       = sort(keys(aws_config_remediation_configuration.this))
}

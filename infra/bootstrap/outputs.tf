output "state_bucket_name" {
  description = "The state bucket: the `bucket` of every backend.s3.tfbackend in this account."
  value       = module.state_bucket.bucket_name
}

output "state_kms_key_arn" {
  description = "The state key: the `kms_key_id` of every backend.s3.tfbackend in this account (the bucket refuses writes with any other key)."
  value       = module.state_kms.key_arn
}

output "access_logs_bucket_name" {
  description = "Where the state bucket's server access logs go."
  value       = aws_s3_bucket.access_logs.id
}

output "lock_table_name" {
  description = "The optional DynamoDB lock table (null unless create_dynamodb_lock_table)."
  value       = var.create_dynamodb_lock_table ? aws_dynamodb_table.lock[0].name : null
}

output "boundary_policy_arn" {
  description = "The permissions boundary every role in this account carries: the environments' permissions_boundary_arn."
  value       = module.iam.boundary_policy_arn
}

output "github_plan_role_arn" {
  description = "Role assumed by pull-request plans (repository variable AWS_PLAN_ROLE_ARN_<ENV>)."
  value       = module.iam.github_plan_role_arn
}

output "github_apply_role_arns" {
  description = "Apply role per GitHub environment (environment variable AWS_APPLY_ROLE_ARN)."
  value       = module.iam.github_apply_role_arns
}

output "github_gate_plan_role_arns" {
  description = "Read-only role per gated environment for the plan shown before approval (variable AWS_PLAN_ROLE_ARN of the <env>-plan environment)."
  value       = { for env, role in aws_iam_role.gate_plan : env => role.arn }
}

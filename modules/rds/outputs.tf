output "db_instance_identifier" {
  description = "Identifier of the DB instance."
  value       = aws_db_instance.this.identifier
}

output "db_instance_arn" {
  description = "ARN of the DB instance."
  value       = aws_db_instance.this.arn
}

output "db_instance_resource_id" {
  description = "Resource id of the DB instance, used in rds-db:connect IAM policies for IAM authentication."
  value       = aws_db_instance.this.resource_id
}

output "db_instance_endpoint" {
  description = "Connection endpoint in address:port form."
  value       = aws_db_instance.this.endpoint
}

output "db_instance_address" {
  description = "Hostname of the DB instance."
  value       = aws_db_instance.this.address
}

output "db_instance_port" {
  description = "Port the database listens on."
  value       = aws_db_instance.this.port
}

output "db_instance_name" {
  description = "Name of the database created in the instance."
  value       = aws_db_instance.this.db_name
}

output "db_instance_username" {
  description = "Master user name (its password is only in the Secrets Manager secret)."
  value       = aws_db_instance.this.username
}

output "db_instance_master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the master user credentials, managed and rotated by RDS."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "security_group_id" {
  description = "Id of the database security group."
  value       = aws_security_group.this.id
}

output "db_subnet_group_name" {
  description = "Name of the DB subnet group the instance uses."
  value       = local.db_subnet_group_name
}

output "db_parameter_group_name" {
  description = "Name of the DB parameter group (rds.force_ssl = 1)."
  value       = aws_db_parameter_group.this.name
}

output "enhanced_monitoring_iam_role_arn" {
  description = "ARN of the enhanced-monitoring IAM role."
  value       = aws_iam_role.monitoring.arn
}

output "cloudwatch_log_group_names" {
  description = "Names of the exported log groups, keyed by log type (postgresql, upgrade)."
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}

output "cost_allocation_tag_keys" {
  description = "Tag keys activated for cost allocation (empty when activate_cost_allocation_tags is false)."
  value       = sort(keys(aws_ce_cost_allocation_tag.this))
}

output "budget_names" {
  description = "Budget names keyed by the budgets input key."
  value       = { for k, b in aws_budgets_budget.this : k => b.name }
}

output "cost_export_arn" {
  description = "ARN of the CUR 2.0 Data Export, or null when cost_export.enabled is false."
  value       = try(aws_bcmdataexports_export.cur[0].arn, null)
}

output "report_bucket_name" {
  description = "Name of the encrypted bucket receiving the CUR 2.0 export (null when the export is disabled)."
  value       = try(aws_s3_bucket.this[0].id, null)
}

output "report_bucket_arn" {
  description = "ARN of the encrypted bucket receiving the CUR 2.0 export (null when the export is disabled)."
  value       = try(aws_s3_bucket.this[0].arn, null)
}

output "report_s3_prefix" {
  description = "Key prefix of the export in the report bucket (point an Athena table or Glue crawler at it)."
  value       = local.export_prefix
}

output "anomaly_monitor_arns" {
  description = "Cost Anomaly Detection monitor ARNs: \"services\" and one per application."
  value = merge(
    { for m in aws_ce_anomaly_monitor.service : "services" => m.arn },
    { for k, m in aws_ce_anomaly_monitor.application : k => m.arn },
  )
}

output "anomaly_subscription_arn" {
  description = "ARN of the anomaly subscription alerting the warning topic, or null when disabled."
  value       = try(aws_ce_anomaly_subscription.this[0].arn, null)
}

output "topic_arns" {
  description = "SNS topic ARNs by severity (critical, warning, info). Pass to finops (budget and anomaly alerts) and eks-monitoring (Alertmanager receivers)."
  value       = { for sev, t in aws_sns_topic.this : sev => t.arn }
}

output "critical_topic_arn" {
  description = "ARN of the critical-severity SNS topic (pages on-call)."
  value       = aws_sns_topic.this["critical"].arn
}

output "warning_topic_arn" {
  description = "ARN of the warning-severity SNS topic (team chat)."
  value       = aws_sns_topic.this["warning"].arn
}

output "info_topic_arn" {
  description = "ARN of the info-severity SNS topic (tickets, dashboards)."
  value       = aws_sns_topic.this["info"].arn
}

output "alarm_arns" {
  description = "CloudWatch alarm ARNs keyed by alarm name."
  value = merge(
    { for a in aws_cloudwatch_metric_alarm.this : a.alarm_name => a.arn },
    { for a in aws_cloudwatch_metric_alarm.alb_5xx_ratio : a.alarm_name => a.arn },
  )
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard, or null when create_dashboard is false."
  value       = try(aws_cloudwatch_dashboard.this[0].dashboard_name, null)
}

output "slack_channel_configuration_arns" {
  description = "ARNs of the AWS Chatbot Slack channel configurations, keyed like slack_channels."
  value       = { for k, c in aws_chatbot_slack_channel_configuration.this : k => c.chat_configuration_arn }
}

output "trusted_advisor_rule_arn" {
  description = "ARN of the EventBridge rule routing Trusted Advisor results (null when trusted_advisor_alerts is null)."
  value       = try(aws_cloudwatch_event_rule.trusted_advisor[0].arn, null)
}

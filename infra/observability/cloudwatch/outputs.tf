output "alarm_arns" {
  description = "ARNs of the registry's CloudWatch alarms, keyed by purpose (target_5xx_ratio, unhealthy_hosts, healthy_hosts, latency_p99)."
  value = {
    target_5xx_ratio = aws_cloudwatch_metric_alarm.target_5xx_ratio.arn
    unhealthy_hosts  = aws_cloudwatch_metric_alarm.unhealthy_hosts.arn
    healthy_hosts    = aws_cloudwatch_metric_alarm.healthy_hosts.arn
    latency_p99      = aws_cloudwatch_metric_alarm.latency_p99.arn
  }
}

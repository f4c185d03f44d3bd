# CloudWatch alarms for the deployed registry (replicas behind an ALB). They complement the
# Prometheus rules in ../prometheus: these still fire when Prometheus or the replicas' /metrics
# are gone, because the load balancer measures from outside.
locals {
  tags = merge(var.tags, { managed_by = "terraform", module = "modreg/observability-cloudwatch" })

  dimensions = {
    LoadBalancer = var.load_balancer_arn_suffix
    TargetGroup  = var.target_group_arn_suffix
  }
}

resource "aws_cloudwatch_metric_alarm" "target_5xx_ratio" {
  alarm_name          = "${var.name}-target-5xx-ratio"
  alarm_description   = "modreg replicas answer more than ${var.thresholds.target_5xx_percent}% 5xx. Runbook: docs/runbooks/ModregHighErrorRatio.md"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.target_5xx_percent
  evaluation_periods  = var.evaluation.evaluation_periods
  datapoints_to_alarm = var.evaluation.datapoints_to_alarm
  treat_missing_data  = "notBreaching"

  metric_query {
    id          = "ratio"
    expression  = "IF(requests > 0, 100 * errors / requests, 0)"
    label       = "Target 5xx percent"
    return_data = true
  }

  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      period      = 60
      stat        = "Sum"
      dimensions  = local.dimensions
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      period      = 60
      stat        = "Sum"
      dimensions  = local.dimensions
    }
  }

  actions_enabled = true
  alarm_actions   = [var.alert_topic_arns["critical"]]
  ok_actions      = [var.alert_topic_arns["critical"]]

  tags = merge(local.tags, { severity = "critical" })
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  alarm_name          = "${var.name}-unhealthy-hosts"
  alarm_description   = "At least one modreg replica fails the load balancer health check (/readyz). Runbook: docs/runbooks/ModregNotReady.md"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = local.dimensions
  statistic           = "Maximum"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = var.evaluation.evaluation_periods
  datapoints_to_alarm = var.evaluation.datapoints_to_alarm
  treat_missing_data  = "notBreaching"

  actions_enabled = true
  alarm_actions   = [var.alert_topic_arns["warning"]]
  ok_actions      = [var.alert_topic_arns["warning"]]

  tags = merge(local.tags, { severity = "warning" })
}

# Missing data means the target group reports nothing at all: treat it as down.
resource "aws_cloudwatch_metric_alarm" "healthy_hosts" {
  alarm_name          = "${var.name}-healthy-hosts-low"
  alarm_description   = "Fewer than ${var.thresholds.min_healthy_hosts} healthy modreg replicas: terraform init fails for every consumer. Runbook: docs/runbooks/ModregTargetDown.md"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HealthyHostCount"
  dimensions          = local.dimensions
  statistic           = "Minimum"
  period              = 60
  comparison_operator = "LessThanThreshold"
  threshold           = var.thresholds.min_healthy_hosts
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  treat_missing_data  = "breaching"

  actions_enabled = true
  alarm_actions   = [var.alert_topic_arns["critical"]]
  ok_actions      = [var.alert_topic_arns["critical"]]

  tags = merge(local.tags, { severity = "critical" })
}

resource "aws_cloudwatch_metric_alarm" "latency_p99" {
  alarm_name          = "${var.name}-target-response-time-p99"
  alarm_description   = "p99 target response time of modreg above ${var.thresholds.p99_latency_seconds}s. Runbook: docs/runbooks/ModregHighLatencyP99.md"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = local.dimensions
  extended_statistic  = "p99"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.thresholds.p99_latency_seconds
  evaluation_periods  = var.evaluation.evaluation_periods
  datapoints_to_alarm = var.evaluation.datapoints_to_alarm
  treat_missing_data  = "notBreaching"

  actions_enabled = true
  alarm_actions   = [var.alert_topic_arns["warning"]]
  ok_actions      = [var.alert_topic_arns["warning"]]

  tags = merge(local.tags, { severity = "warning" })
}

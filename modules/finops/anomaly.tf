# Cost Anomaly Detection: ML monitors on service spend (account-wide) and optionally per
# application tag; anomalies above the threshold go to the warning topic as they happen.
resource "aws_ce_anomaly_monitor" "service" {
  count = var.anomaly_detection.enabled && var.anomaly_detection.service_monitor ? 1 : 0

  name              = "${var.name}-services"
  monitor_type      = "DIMENSIONAL"
  monitor_dimension = "SERVICE"

  tags = local.tags
}

resource "aws_ce_anomaly_monitor" "application" {
  for_each = var.anomaly_detection.enabled ? var.anomaly_detection.applications : toset([])

  name         = "${var.name}-app-${each.key}"
  monitor_type = "CUSTOM"
  monitor_specification = jsonencode({
    Tags = {
      Key          = "application"
      Values       = [each.key]
      MatchOptions = ["EQUALS"]
    }
  })

  tags = local.tags
}

resource "aws_ce_anomaly_subscription" "this" {
  count = var.anomaly_detection.enabled ? 1 : 0

  name      = "${var.name}-anomalies"
  frequency = "IMMEDIATE" # SNS subscribers require IMMEDIATE.
  monitor_arn_list = concat(
    aws_ce_anomaly_monitor.service[*].arn,
    [for m in aws_ce_anomaly_monitor.application : m.arn],
  )

  subscriber {
    type    = "SNS"
    address = var.alert_topic_arns["warning"]
  }

  threshold_expression {
    dimension {
      key           = "ANOMALY_TOTAL_IMPACT_ABSOLUTE"
      match_options = ["GREATER_THAN_OR_EQUAL"]
      values        = [format("%.2f", var.anomaly_detection.threshold_usd)]
    }
  }

  tags = local.tags
}

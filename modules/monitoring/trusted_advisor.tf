# Trusted Advisor check results (cost, security, fault tolerance, performance, service limits)
# as EventBridge events to a severity topic. AWS emits them in us-east-1 only.

resource "aws_cloudwatch_event_rule" "trusted_advisor" {
  count = var.trusted_advisor_alerts == null ? 0 : 1

  name        = "${var.name}-trusted-advisor"
  description = "Trusted Advisor checks whose status becomes ${join(" or ", sort(tolist(var.trusted_advisor_alerts.statuses)))}"
  event_pattern = jsonencode({
    source        = ["aws.trustedadvisor"]
    "detail-type" = ["Trusted Advisor Check Item Refresh Notification"]
    detail        = { status = sort(tolist(var.trusted_advisor_alerts.statuses)) }
  })

  tags = local.tags

  lifecycle {
    precondition {
      condition     = local.region == "us-east-1"
      error_message = "trusted_advisor_alerts needs this module instance in us-east-1: Trusted Advisor emits its events there only (use a second instance with a us-east-1 provider)."
    }
  }
}

resource "aws_cloudwatch_event_target" "trusted_advisor" {
  count = var.trusted_advisor_alerts == null ? 0 : 1

  rule      = aws_cloudwatch_event_rule.trusted_advisor[0].name
  target_id = "sns-${var.trusted_advisor_alerts.severity}"
  arn       = aws_sns_topic.this[var.trusted_advisor_alerts.severity].arn
}

# One topic per severity: critical pages someone, warning goes to chat, info to a ticket or
# dashboard. The finops module's budgets and eks-monitoring's Alertmanager publish here too.
resource "aws_sns_topic" "this" {
  for_each = local.severities

  name              = "${var.name}-${each.key}"
  display_name      = "${var.name} ${each.key} alerts"
  kms_master_key_id = var.kms_key_arn

  tags = merge(local.tags, { severity = each.key })
}

data "aws_iam_policy_document" "topic" {
  for_each = local.severities

  statement {
    sid    = "OwnerAccountManages"
    effect = "Allow"
    actions = [
      "sns:GetTopicAttributes",
      "sns:SetTopicAttributes",
      "sns:AddPermission",
      "sns:RemovePermission",
      "sns:DeleteTopic",
      "sns:Subscribe",
      "sns:ListSubscriptionsByTopic",
      "sns:Publish",
    ]
    resources = [aws_sns_topic.this[each.key].arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # Services publish only on behalf of this account (confused-deputy protection).
  statement {
    sid       = "AwsServicesPublishForThisAccount"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this[each.key].arn]
    principals {
      type        = "Service"
      identifiers = sort(tolist(local.topic_publishers))
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this[each.key].arn]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  for_each = local.severities

  arn    = aws_sns_topic.this[each.key].arn
  policy = data.aws_iam_policy_document.topic[each.key].json
}

locals {
  subscriptions = merge(
    { for p in flatten([for sev in local.severities : [for e in var.email_subscriptions[sev] : { severity = sev, protocol = "email", endpoint = e }]]) : "${p.severity}/email/${p.endpoint}" => p },
    { for p in flatten([for sev in local.severities : [for u in var.https_subscriptions[sev] : { severity = sev, protocol = "https", endpoint = u }]]) : "${p.severity}/https/${p.endpoint}" => p },
  )
}

resource "aws_sns_topic_subscription" "this" {
  for_each = local.subscriptions

  topic_arn = aws_sns_topic.this[each.value.severity].arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
  # HTTPS endpoints retry with backoff instead of dropping an alert on the first 5xx.
  delivery_policy = each.value.protocol == "https" ? jsonencode({
    healthyRetryPolicy = {
      numRetries         = 10
      minDelayTarget     = 5
      maxDelayTarget     = 60
      numMaxDelayRetries = 3
      numNoDelayRetries  = 1
      numMinDelayRetries = 2
      backoffFunction    = "exponential"
    }
  }) : null
}

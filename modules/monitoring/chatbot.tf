# Slack through AWS Chatbot: each channel subscribes to the severity topics it lists. The channel
# role may only read CloudWatch (alarm details and graphs); members act with their own Slack-
# mapped permissions, capped by the same read-only guardrail.

data "aws_iam_policy_document" "chatbot_assume" {
  count = length(var.slack_channels) > 0 ? 1 : 0

  statement {
    sid     = "ChatbotAssumeRole"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["chatbot.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "chatbot" {
  count = length(var.slack_channels) > 0 ? 1 : 0

  name_prefix          = "${substr(var.name, 0, 28)}-chatbot-"
  path                 = var.iam_path
  description          = "AWS Chatbot channels of ${var.name}: read CloudWatch alarms and metrics"
  assume_role_policy   = data.aws_iam_policy_document.chatbot_assume[0].json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "chatbot" {
  count = length(var.slack_channels) > 0 ? 1 : 0

  role       = aws_iam_role.chatbot[0].name
  policy_arn = local.chatbot_guardrail_arn
}

locals {
  chatbot_guardrail_arn = "arn:${local.partition}:iam::aws:policy/CloudWatchReadOnlyAccess"
}

resource "aws_chatbot_slack_channel_configuration" "this" {
  for_each = var.slack_channels

  configuration_name          = "${var.name}-${each.key}"
  iam_role_arn                = aws_iam_role.chatbot[0].arn
  slack_team_id               = each.value.slack_team_id
  slack_channel_id            = each.value.slack_channel_id
  sns_topic_arns              = [for s in sort(tolist(each.value.severities)) : aws_sns_topic.this[s].arn]
  guardrail_policy_arns       = [local.chatbot_guardrail_arn]
  user_authorization_required = true
  logging_level               = "ERROR"

  tags = local.tags
}

# IRSA roles: Grafana reads CloudWatch, Alertmanager publishes to the severity SNS topics.
# Trust is limited to one service account in this namespace and the sts audience.
data "aws_iam_policy_document" "irsa_assume" {
  for_each = {
    grafana      = local.grafana_service_account
    alertmanager = local.alertmanager_service_account
  }

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${each.value}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "grafana" {
  name                 = "${var.cluster_name}-grafana-cloudwatch"
  path                 = var.iam_path
  description          = "IRSA role for Grafana in ${var.cluster_name}: CloudWatch metrics and logs read-only."
  assume_role_policy   = data.aws_iam_policy_document.irsa_assume["grafana"].json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

data "aws_iam_policy_document" "grafana" {
  statement {
    sid       = "CloudWatchMetricsRead"
    actions   = ["cloudwatch:ListMetrics", "cloudwatch:GetMetricData", "cloudwatch:DescribeAlarmsForMetric"]
    resources = ["*"] # These metric reads cannot be scoped to resources.
  }

  statement {
    sid       = "CloudWatchAlarmsRead"
    actions   = ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"]
    resources = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:*"]
  }

  statement {
    sid       = "CloudWatchInsightRulesRead"
    actions   = ["cloudwatch:GetInsightRuleReport"]
    resources = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:insight-rule/*"]
  }

  statement {
    sid = "CloudWatchLogsQuery"
    actions = [
      "logs:DescribeLogGroups",
      "logs:GetLogGroupFields",
      "logs:StartQuery",
      "logs:StopQuery",
      "logs:GetQueryResults",
      "logs:GetLogEvents",
    ]
    resources = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
  }

  statement {
    sid       = "ResourceDiscovery"
    actions   = ["ec2:DescribeTags", "ec2:DescribeInstances", "ec2:DescribeRegions", "tag:GetResources"]
    resources = ["*"] # Describe/GetResources cannot be scoped to resources.
  }
}

resource "aws_iam_role_policy" "grafana" {
  name   = "cloudwatch-read"
  role   = aws_iam_role.grafana.id
  policy = data.aws_iam_policy_document.grafana.json
}

resource "aws_iam_role" "alertmanager" {
  name                 = "${var.cluster_name}-alertmanager-sns"
  path                 = var.iam_path
  description          = "IRSA role for Alertmanager in ${var.cluster_name}: publish to the severity SNS topics."
  assume_role_policy   = data.aws_iam_policy_document.irsa_assume["alertmanager"].json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

data "aws_iam_policy_document" "alertmanager" {
  statement {
    sid       = "PublishAlerts"
    actions   = ["sns:Publish"]
    resources = sort(values(var.alert_topic_arns))
  }

  statement {
    sid       = "EncryptForTopics"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = [var.alert_topics_kms_key_arn]
  }
}

resource "aws_iam_role_policy" "alertmanager" {
  name   = "sns-publish"
  role   = aws_iam_role.alertmanager.id
  policy = data.aws_iam_policy_document.alertmanager.json
}

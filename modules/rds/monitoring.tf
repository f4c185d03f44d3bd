# Observability that RDS does not secure by itself: the log groups it exports to (created
# here so they carry the CMK and a retention) and the enhanced-monitoring role.

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(local.log_exports)

  name              = "/aws/rds/instance/${var.name}/${each.value}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn

  tags = local.tags
}

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    sid     = "RDSEnhancedMonitoring"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }

    # Confused-deputy guard: only this account's RDS may assume the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  name_prefix          = "${substr(var.name, 0, 20)}-rds-mon-"
  path                 = var.iam_path
  description          = "Enhanced monitoring for RDS instance ${var.name}"
  assume_role_policy   = data.aws_iam_policy_document.monitoring_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

# Service role for the recorder. Both roles carry the platform permissions boundary.
data "aws_iam_policy_document" "config_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "config" {
  name                 = "${var.name}-config-recorder"
  path                 = var.iam_path
  description          = "AWS Config recorder and delivery channel for ${var.name}."
  assume_role_policy   = data.aws_iam_policy_document.config_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

# AWS-managed read-only policy that lets Config describe every supported resource type.
resource "aws_iam_role_policy_attachment" "config_managed" {
  role       = aws_iam_role.config.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWS_ConfigRole"
}

data "aws_iam_policy_document" "config_delivery" {
  statement {
    sid       = "BucketAcl"
    actions   = ["s3:GetBucketAcl", "s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "Deliver"
    actions   = ["s3:PutObject"]
    resources = [local.delivery_arn]
  }

  statement {
    sid       = "EncryptDeliveries"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.kms_key_arn]
  }

  dynamic "statement" {
    for_each = var.sns_topic_arn == null ? [] : [var.sns_topic_arn]
    content {
      sid       = "Notify"
      actions   = ["sns:Publish"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "config_delivery" {
  name   = "delivery"
  role   = aws_iam_role.config.id
  policy = data.aws_iam_policy_document.config_delivery.json
}

# Role SSM Automation assumes to run the remediation documents; only the permissions of the
# remediations that are switched on.
data "aws_iam_policy_document" "remediation_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ssm.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "remediation" {
  count = length(local.remediations) > 0 ? 1 : 0

  name                 = "${var.name}-config-remediation"
  path                 = var.iam_path
  description          = "SSM Automation role for AWS Config auto-remediation in ${var.name}."
  assume_role_policy   = data.aws_iam_policy_document.remediation_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

data "aws_iam_policy_document" "remediation" {
  count = length(local.remediations) > 0 ? 1 : 0

  dynamic "statement" {
    for_each = local.remediation_s3_pab ? [1] : []
    content {
      sid       = "S3PublicAccessBlock"
      actions   = ["s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"]
      resources = ["arn:${local.partition}:s3:::*"]
      condition {
        test     = "StringEquals"
        variable = "aws:ResourceAccount"
        values   = [local.account_id]
      }
    }
  }

  dynamic "statement" {
    for_each = var.remediation.s3_bucket_ssl_requests_only && !contains(var.disabled_rules, "s3-bucket-ssl-requests-only") ? [1] : []
    content {
      sid       = "S3TlsOnlyPolicy"
      actions   = ["s3:GetBucketPolicy", "s3:PutBucketPolicy"]
      resources = ["arn:${local.partition}:s3:::*"]
      condition {
        test     = "StringEquals"
        variable = "aws:ResourceAccount"
        values   = [local.account_id]
      }
    }
  }

  dynamic "statement" {
    for_each = var.remediation.restricted_ssh && !contains(var.disabled_rules, "restricted-ssh") ? [1] : []
    content {
      sid       = "RevokeOpenSsh"
      actions   = ["ec2:RevokeSecurityGroupIngress"]
      resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/*"]
    }
  }

  dynamic "statement" {
    for_each = var.remediation.restricted_ssh && !contains(var.disabled_rules, "restricted-ssh") ? [1] : []
    content {
      sid       = "DescribeSecurityGroups"
      actions   = ["ec2:DescribeSecurityGroups"]
      resources = ["*"] # Describe* cannot be scoped to resources.
    }
  }

  dynamic "statement" {
    for_each = var.remediation.rds_instance_public_access_check && !contains(var.disabled_rules, "rds-instance-public-access-check") ? [1] : []
    content {
      sid       = "RdsDisablePublicAccess"
      actions   = ["rds:DescribeDBInstances", "rds:ModifyDBInstance"]
      resources = ["arn:${local.partition}:rds:${local.region}:${local.account_id}:db:*"]
    }
  }
}

resource "aws_iam_role_policy" "remediation" {
  count = length(local.remediations) > 0 ? 1 : 0

  name   = "remediation"
  role   = aws_iam_role.remediation[0].id
  policy = data.aws_iam_policy_document.remediation[0].json
}

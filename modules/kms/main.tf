data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  tags = merge(var.tags, { managed_by = "terraform", module = "platform/kms" })

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  # Management actions only: administrators can never read data protected by the key.
  admin_actions = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
  ]

  usage_actions = [
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
  ]

  autoscaling_role_arn = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"

  # Service principals outside "logs" are pinned to this account with aws:SourceAccount.
  account_scoped_services = [for s in var.service_principals : s if s != "logs"]
}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" means "this key"; every writer is a named principal or a condition-scoped service.
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" means "this key" and cannot be narrowed further.
  dynamic "statement" {
    for_each = var.allow_iam_policy_delegation ? [1] : []
    content {
      sid       = "EnableIamPolicyDelegation"
      actions   = ["kms:*"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
      }
    }
  }

  statement {
    sid       = "KeyAdministrators"
    actions   = local.admin_actions
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = var.key_administrator_arns
    }
  }

  dynamic "statement" {
    for_each = length(var.key_user_arns) > 0 ? [1] : []
    content {
      sid       = "KeyUsers"
      actions   = local.usage_actions
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = var.key_user_arns
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.key_user_arns) > 0 ? [1] : []
    content {
      sid       = "KeyUsersGrantsForAwsResources"
      actions   = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = var.key_user_arns
      }
      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }

  dynamic "statement" {
    for_each = contains(var.service_principals, "logs") ? [1] : []
    content {
      sid       = "CloudWatchLogs"
      actions   = local.usage_actions
      resources = ["*"]
      principals {
        type        = "Service"
        identifiers = ["logs.${local.region}.amazonaws.com"]
      }
      condition {
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
      }
    }
  }

  dynamic "statement" {
    for_each = toset(local.account_scoped_services)
    content {
      sid       = "Service${replace(title(replace(statement.value, ".", " ")), " ", "")}"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
      resources = ["*"]
      principals {
        type        = "Service"
        identifiers = ["${statement.value}.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }

  # EC2 Auto Scaling launches instances with volumes encrypted by this key as its service-linked
  # role, which is not a caller of this account that kms:ViaService could match.
  dynamic "statement" {
    for_each = var.allow_autoscaling_service_linked_role ? [1] : []
    content {
      sid       = "AutoScalingServiceLinkedRoleUse"
      actions   = local.usage_actions
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = [local.autoscaling_role_arn]
      }
    }
  }

  dynamic "statement" {
    for_each = var.allow_autoscaling_service_linked_role ? [1] : []
    content {
      sid       = "AutoScalingServiceLinkedRoleGrants"
      actions   = ["kms:CreateGrant"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = [local.autoscaling_role_arn]
      }
      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.via_services) > 0 ? [1] : []
    content {
      sid       = "AccountPrincipalsViaServices"
      actions   = concat(local.usage_actions, ["kms:CreateGrant"])
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
      }
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [for s in sort(tolist(var.via_services)) : "${s}.${local.region}.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "kms:CallerAccount"
        values   = [local.account_id]
      }
    }
  }
}

resource "aws_iam_service_linked_role" "autoscaling" {
  count = var.create_autoscaling_service_linked_role ? 1 : 0

  aws_service_name = "autoscaling.amazonaws.com"
  description      = "EC2 Auto Scaling (created by platform/kms so the key policy can name it)"

  tags = local.tags
}

resource "aws_kms_key" "this" {
  description              = var.description
  key_usage                = "ENCRYPT_DECRYPT"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  is_enabled               = true
  enable_key_rotation      = true
  rotation_period_in_days  = var.rotation_period_in_days
  deletion_window_in_days  = var.deletion_window_in_days
  multi_region             = var.multi_region
  policy                   = data.aws_iam_policy_document.key.json

  tags = local.tags

  # The key policy names the Auto Scaling role: KMS refuses a policy whose principal is missing.
  depends_on = [aws_iam_service_linked_role.autoscaling]
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

# The platform permissions boundary: a ceiling on what any role created here can ever do,
# whatever is attached to it later. It allows the platform's services, lets roles manage IAM only
# under the platform path and only while keeping this boundary, and denies the escapes.

locals {
  boundary_name = "${var.name_prefix}-boundary"
  # Built from its parts (not from the resource) because the document refers to its own policy.
  created_boundary_arn = "arn:${local.partition}:iam::${local.account_id}:policy${var.path}${local.boundary_name}"
  boundary_arn         = var.create_boundary_policy ? aws_iam_policy.boundary[0].arn : var.permissions_boundary_arn

  service_linked_role_services = formatlist("%s.amazonaws.com", sort(var.boundary_service_linked_roles))
  service_linked_role_arns     = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/*"

  # Global services that must stay reachable when Regions are restricted.
  global_services = ["iam:*", "sts:*", "cloudfront:*", "route53:*", "support:*", "health:*", "budgets:*", "ce:*", "waf:*", "globalaccelerator:*"]
}

data "aws_iam_policy_document" "boundary" {
  count = var.create_boundary_policy ? 1 : 0

  #checkov:skip=CKV_AWS_111:The only write it flags is iam:CreateServiceLinkedRole, limited to role/aws-service-role/* and by iam:AWSServiceName to the platform's services (AllowPlatformServiceLinkedRoles); the check does not weigh that condition.
  #checkov:skip=CKV_AWS_356:A permissions boundary is a ceiling across all resources of the allowed services; resources are scoped by each role's own policy.
  statement {
    sid       = "AllowPlatformServices"
    actions   = formatlist("%s:*", sort(var.boundary_allowed_services))
    resources = ["*"]
  }

  statement {
    sid     = "AllowIamUnderPlatformPath"
    actions = ["iam:*"]
    resources = [
      "arn:${local.partition}:iam::${local.account_id}:role${var.path}*",
      "arn:${local.partition}:iam::${local.account_id}:policy${var.path}*",
      "arn:${local.partition}:iam::${local.account_id}:instance-profile${var.path}*",
      "arn:${local.partition}:iam::${local.account_id}:oidc-provider/*",
    ]
  }

  # A fresh account's first EKS cluster, node group, RDS instance, load balancer or Auto Scaling
  # group makes AWS create a service-linked role (under /aws-service-role/, never the platform
  # path): allowed only for the named services.
  dynamic "statement" {
    for_each = length(var.boundary_service_linked_roles) > 0 ? [1] : []
    content {
      sid       = "AllowPlatformServiceLinkedRoles"
      actions   = ["iam:CreateServiceLinkedRole"]
      resources = [local.service_linked_role_arns]
      condition {
        test     = "StringEquals"
        variable = "iam:AWSServiceName"
        values   = local.service_linked_role_services
      }
    }
  }

  statement {
    sid       = "AllowIamRead"
    actions   = ["iam:Get*", "iam:List*"]
    resources = ["*"]
  }

  statement {
    sid       = "DenyRolesWithoutThisBoundary"
    effect    = "Deny"
    actions   = ["iam:CreateRole", "iam:PutRolePermissionsBoundary"]
    resources = ["*"]
    condition {
      test     = "StringNotEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.created_boundary_arn]
    }
  }

  statement {
    sid       = "DenyBoundaryRemoval"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"]
    resources = ["*"]
  }

  statement {
    sid       = "DenyBoundaryTampering"
    effect    = "Deny"
    actions   = ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"]
    resources = [local.created_boundary_arn]
  }

  statement {
    sid       = "DenyLongLivedCredentials"
    effect    = "Deny"
    actions   = ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"]
    resources = ["*"]
  }

  statement {
    sid       = "DenyOrganizationAndAccountChanges"
    effect    = "Deny"
    actions   = ["organizations:*", "account:*"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(var.boundary_allowed_regions) > 0 ? [1] : []
    content {
      sid         = "DenyOutsideAllowedRegions"
      effect      = "Deny"
      not_actions = local.global_services
      resources   = ["*"]
      condition {
        test     = "StringNotEquals"
        variable = "aws:RequestedRegion"
        values   = var.boundary_allowed_regions
      }
    }
  }
}

resource "aws_iam_policy" "boundary" {
  count = var.create_boundary_policy ? 1 : 0

  name        = local.boundary_name
  path        = var.path
  description = "Permissions boundary for every role of ${var.name_prefix} (platform/iam)"
  policy      = data.aws_iam_policy_document.boundary[0].json

  tags = local.tags
}

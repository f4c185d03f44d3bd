data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  tags = merge(var.tags, { managed_by = "terraform", module = "platform/iam" })

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  github_host = "token.actions.githubusercontent.com"
  github_provider_arn = var.github_oidc == null ? null : (
    var.github_oidc.create_provider ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc.existing_provider_arn
  )
  eks_issuer = var.eks_oidc_provider_arn == null ? "" : split("oidc-provider/", var.eks_oidc_provider_arn)[1]

  # Every role this module creates, normalised to one shape so one set of resources serves them
  # all: trust statements, typed statements, managed policies, optional instance profile.
  generic_roles = {
    for k, r in var.roles : "role-${k}" => {
      name                 = "${var.name_prefix}-${k}"
      description          = r.description
      max_session_duration = r.max_session_duration
      managed_policy_arns  = r.managed_policy_arns
      statements           = r.statements
      instance_profile     = false
      trust = concat(
        length(r.trusted_service_principals) == 0 ? [] : [{
          principal_type = "Service"
          identifiers    = r.trusted_service_principals
          action         = "sts:AssumeRole"
          conditions     = []
        }],
        length(r.trusted_role_arns) == 0 ? [] : [{
          principal_type = "AWS"
          identifiers    = r.trusted_role_arns
          action         = "sts:AssumeRole"
          conditions     = []
        }],
      )
    }
  }

  ec2_roles = {
    for k, r in var.ec2_roles : "ec2-${k}" => {
      name                 = "${var.name_prefix}-ec2-${k}"
      description          = r.description
      max_session_duration = 3600
      # SSM-ready: Session Manager, Run Command and Patch Manager instead of SSH keys.
      managed_policy_arns = concat(
        ["arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"],
        r.enable_cloudwatch_agent ? ["arn:${local.partition}:iam::aws:policy/CloudWatchAgentServerPolicy"] : [],
        r.managed_policy_arns,
      )
      statements       = r.statements
      instance_profile = true
      trust = [{
        principal_type = "Service"
        identifiers    = ["ec2.amazonaws.com"]
        action         = "sts:AssumeRole"
        conditions     = []
      }]
    }
  }

  irsa_roles = {
    for k, r in var.irsa_roles : "irsa-${k}" => {
      name                 = "${var.name_prefix}-irsa-${k}"
      description          = r.description
      max_session_duration = 3600
      managed_policy_arns  = r.managed_policy_arns
      statements           = r.statements
      instance_profile     = false
      trust = [{
        principal_type = "Federated"
        identifiers    = [var.eks_oidc_provider_arn]
        action         = "sts:AssumeRoleWithWebIdentity"
        conditions = [
          { test = "StringEquals", variable = "${local.eks_issuer}:sub", values = ["system:serviceaccount:${r.namespace}:${r.service_account}"] },
          { test = "StringEquals", variable = "${local.eks_issuer}:aud", values = ["sts.amazonaws.com"] },
        ]
      }]
    }
  }

  # ECS: trusted by ecs-tasks.amazonaws.com only for tasks of this account (confused deputy).
  ecs_trust = [{
    principal_type = "Service"
    identifiers    = ["ecs-tasks.amazonaws.com"]
    action         = "sts:AssumeRole"
    conditions = [
      { test = "StringEquals", variable = "aws:SourceAccount", values = [local.account_id] },
      { test = "ArnLike", variable = "aws:SourceArn", values = ["arn:${local.partition}:ecs:*:${local.account_id}:*"] },
    ]
  }]

  ecs_task_roles = {
    for k, r in var.ecs_task_roles : "ecs-${k}" => {
      name                 = "${var.name_prefix}-ecs-${k}"
      description          = r.description
      max_session_duration = 3600
      managed_policy_arns  = r.managed_policy_arns
      statements           = r.statements
      instance_profile     = false
      trust                = local.ecs_trust
    }
  }

  ecs_execution_roles = {
    for k, r in var.ecs_task_roles : "ecs-exec-${k}" => {
      name                 = "${var.name_prefix}-ecs-exec-${k}"
      description          = "ECS task execution role of ${k}: image pulls, logs and the task definition's secrets"
      max_session_duration = 3600
      managed_policy_arns  = ["arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
      statements = concat(
        length(r.execution_secret_arns) == 0 ? [] : [{
          sid        = "ReadTaskDefinitionSecrets"
          effect     = "Allow"
          actions    = ["secretsmanager:GetSecretValue", "ssm:GetParameters"]
          resources  = r.execution_secret_arns
          conditions = []
        }],
        length(r.execution_kms_key_arns) == 0 ? [] : [{
          sid        = "DecryptTaskDefinitionSecrets"
          effect     = "Allow"
          actions    = ["kms:Decrypt"]
          resources  = r.execution_kms_key_arns
          conditions = []
        }],
      )
      instance_profile = false
      trust            = local.ecs_trust
    } if r.execution_role
  }

  # Every apply role may create the service-linked roles the boundary allows (same scope).
  service_linked_role_statements = length(var.boundary_service_linked_roles) == 0 ? [] : [{
    sid        = "CreatePlatformServiceLinkedRoles"
    effect     = "Allow"
    actions    = ["iam:CreateServiceLinkedRole"]
    resources  = [local.service_linked_role_arns]
    conditions = [{ test = "StringEquals", variable = "iam:AWSServiceName", values = local.service_linked_role_services }]
  }]

  github_roles = var.github_oidc == null ? {} : merge(
    {
      "github-plan" = {
        name                 = "${var.name_prefix}-github-plan"
        description          = "Read-only Terraform plan for pull requests of ${var.github_oidc.repository}"
        max_session_duration = var.github_oidc.max_session_duration
        managed_policy_arns  = var.github_oidc.plan_role.managed_policy_arns
        statements           = var.github_oidc.plan_role.statements
        instance_profile     = false
        sub                  = "repo:${var.github_oidc.repository}:pull_request"
      }
    },
    {
      for env, r in var.github_oidc.apply_roles : "github-apply-${env}" => {
        name                 = "${var.name_prefix}-github-apply-${env}"
        description          = "Terraform apply for the ${env} GitHub environment of ${var.github_oidc.repository}"
        max_session_duration = var.github_oidc.max_session_duration
        managed_policy_arns  = r.managed_policy_arns
        statements           = concat(r.statements, local.service_linked_role_statements)
        instance_profile     = false
        sub                  = "repo:${var.github_oidc.repository}:environment:${env}"
      }
    },
  )

  github_roles_with_trust = {
    for k, r in local.github_roles : k => merge(r, {
      trust = [{
        principal_type = "Federated"
        identifiers    = [local.github_provider_arn]
        action         = "sts:AssumeRoleWithWebIdentity"
        # Exact audience and subject with StringEquals: never StringLike wildcards, never
        # ForAllValues (which is true when the claim is absent).
        conditions = [
          { test = "StringEquals", variable = "${local.github_host}:aud", values = ["sts.amazonaws.com"] },
          { test = "StringEquals", variable = "${local.github_host}:sub", values = [r.sub] },
        ]
      }]
    })
  }

  all_roles = merge(local.generic_roles, local.ec2_roles, local.irsa_roles, local.ecs_task_roles, local.ecs_execution_roles, local.github_roles_with_trust)

  managed_attachments = merge([
    for k, r in local.all_roles : { for i, arn in r.managed_policy_arns : "${k}/${i}" => { role = k, arn = arn } }
  ]...)
}

# ------------------------------------------------------------------------------------------------
# GitHub Actions OIDC provider
# ------------------------------------------------------------------------------------------------

resource "aws_iam_openid_connect_provider" "github" {
  count = var.github_oidc != null && try(var.github_oidc.create_provider, false) ? 1 : 0

  url            = "https://${local.github_host}"
  client_id_list = ["sts.amazonaws.com"]

  tags = local.tags
}

# ------------------------------------------------------------------------------------------------
# Roles
# ------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "trust" {
  for_each = local.all_roles

  dynamic "statement" {
    for_each = each.value.trust
    content {
      actions = [statement.value.action]
      principals {
        type        = statement.value.principal_type
        identifiers = statement.value.identifiers
      }
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.all_roles

  name                  = each.value.name
  path                  = var.path
  description           = each.value.description
  assume_role_policy    = data.aws_iam_policy_document.trust[each.key].json
  max_session_duration  = each.value.max_session_duration
  permissions_boundary  = local.boundary_arn
  force_detach_policies = true

  tags = local.tags
}

data "aws_iam_policy_document" "inline" {
  for_each = { for k, r in local.all_roles : k => r if length(r.statements) > 0 }

  dynamic "statement" {
    for_each = each.value.statements
    content {
      sid       = statement.value.sid
      effect    = statement.value.effect
      actions   = statement.value.actions
      resources = statement.value.resources
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "this" {
  for_each = data.aws_iam_policy_document.inline

  name   = "least-privilege"
  role   = aws_iam_role.this[each.key].id
  policy = each.value.json
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = local.managed_attachments

  role       = aws_iam_role.this[each.value.role].name
  policy_arn = each.value.arn
}

resource "aws_iam_instance_profile" "this" {
  for_each = { for k, r in local.all_roles : k => r if r.instance_profile }

  name = each.value.name
  path = var.path
  role = aws_iam_role.this[each.key].name

  tags = local.tags
}

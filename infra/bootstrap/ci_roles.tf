# GitHub Actions reaches AWS through OIDC only (no access keys anywhere):
#   - plan role: pull requests (sub repo:<repo>:pull_request), read-only plus the state lock file;
#   - apply role per environment (sub repo:<repo>:environment:<env>), bounded by the boundary;
#   - gate-plan role per gated environment (sub repo:<repo>:environment:<env>-plan): the fresh,
#     read-only plan of the merged commit that reviewers read before approving the apply.
# Every role sits under /platform/ and carries the boundary created by the iam module.

locals {
  state_objects = "${local.state_bucket_arn}/envs"

  # What the platform modules manage; the boundary (iam module default) is the ceiling of it.
  platform_services = [
    "acm", "aps", "autoscaling", "budgets", "ce", "cloudwatch", "config", "dynamodb", "ec2", "ecr", "eks",
    "elasticloadbalancing", "events", "kms", "logs", "rds", "s3", "secretsmanager", "sns", "sqs", "ssm", "tag",
  ]

  state_key_use = {
    sid       = "UseTheStateKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [module.state_kms.key_arn]
  }

  # Read every environment's state, write only the lock files (plans lock, as applies do).
  plan_statements = [
    { sid = "ListStateBucket", actions = ["s3:ListBucket"], resources = [local.state_bucket_arn] },
    { sid = "ReadState", actions = ["s3:GetObject"], resources = ["${local.state_objects}/*"] },
    { sid = "WriteLockFiles", actions = ["s3:PutObject", "s3:DeleteObject"], resources = ["${local.state_objects}/*/terraform.tfstate.tflock"] },
    { sid = "LegacyLockTable", actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], resources = [local.lock_table_arn] },
    local.state_key_use,
  ]

  apply_statements = {
    for env in var.apply_environments : env => [
      { sid = "PlatformServices", actions = formatlist("%s:*", local.platform_services), resources = ["*"] },
      {
        sid     = "IamUnderPlatformPath"
        actions = ["iam:*"]
        resources = [
          "arn:${local.partition}:iam::${var.account_id}:role/platform/*",
          "arn:${local.partition}:iam::${var.account_id}:policy/platform/*",
          "arn:${local.partition}:iam::${var.account_id}:instance-profile/platform/*",
          "arn:${local.partition}:iam::${var.account_id}:oidc-provider/*",
        ]
      },
      { sid = "IamRead", actions = ["iam:Get*", "iam:List*"], resources = ["*"] },
      { sid = "ListStateBucket", actions = ["s3:ListBucket"], resources = [local.state_bucket_arn] },
      { sid = "ReadWriteOwnState", actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], resources = ["${local.state_objects}/${env}/*"] },
      { sid = "LegacyLockTable", actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], resources = [local.lock_table_arn] },
      local.state_key_use,
      {
        # The account's state store is the bootstrap's, not the environment's: never touch it.
        sid       = "ProtectTheStateStore"
        effect    = "Deny"
        actions   = ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration", "s3:PutEncryptionConfiguration", "s3:PutBucketLogging", "s3:PutBucketPublicAccessBlock"]
        resources = [local.state_bucket_arn, aws_s3_bucket.access_logs.arn]
      },
      {
        # s3:* above would reach every key in the bucket: only envs/<env>/ is this environment's.
        sid       = "OnlyOwnState"
        effect    = "Deny"
        actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"]
        resources = concat(["${local.state_bucket_arn}/bootstrap/*"], [for other in ["dev", "staging", "prod"] : "${local.state_objects}/${other}/*" if other != env])
      },
      {
        sid       = "KeepAccessLogs"
        effect    = "Deny"
        actions   = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject"]
        resources = ["${aws_s3_bucket.access_logs.arn}/*"]
      },
      {
        sid       = "ProtectTheStateKey"
        effect    = "Deny"
        actions   = ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:CreateGrant"]
        resources = [module.state_kms.key_arn]
      },
    ]
  }
}

module "iam" {
  source  = "registry.internal/platform/iam/aws"
  version = "~> 1.0"

  name_prefix = var.name_prefix

  # The apply roles run whole services (ec2:*, eks:*, ...) across resources that do not exist
  # yet. That is allowed only because the boundary caps them: IAM only under /platform/ and
  # only for roles carrying this boundary, no users or keys, no organization changes.
  allow_wildcard_actions   = true
  allow_wildcard_resources = true

  github_oidc = {
    repository = var.github_repository
    plan_role = {
      managed_policy_arns = ["arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"]
      statements          = local.plan_statements
    }
    apply_roles = { for env, statements in local.apply_statements : env => { statements = statements } }
  }

  tags = local.tags
}

# The gate-plan roles: the iam module's plan role trusts pull requests only, and a job bound to
# the gated environment itself would wait for approval before it could plan.
data "aws_iam_policy_document" "gate_plan_trust" {
  for_each = var.gated_environments

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [module.iam.github_oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:environment:${each.key}-plan"]
    }
  }
}

data "aws_iam_policy_document" "gate_plan" {
  dynamic "statement" {
    for_each = local.plan_statements
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

resource "aws_iam_role" "gate_plan" {
  for_each = var.gated_environments

  name                 = "${var.name_prefix}-github-plan-${each.key}-gate"
  path                 = "/platform/"
  description          = "Read-only plan of main for the ${each.key} approval gate of ${var.github_repository}"
  assume_role_policy   = data.aws_iam_policy_document.gate_plan_trust[each.key].json
  permissions_boundary = module.iam.boundary_policy_arn
  max_session_duration = 3600

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "gate_plan_read_only" {
  for_each = var.gated_environments

  role       = aws_iam_role.gate_plan[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy" "gate_plan_state" {
  for_each = var.gated_environments

  name   = "terraform-state"
  role   = aws_iam_role.gate_plan[each.key].id
  policy = data.aws_iam_policy_document.gate_plan.json
}

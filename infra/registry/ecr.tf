# Where the release workflow pushes the image (immutable tags, scanned on push), the pull-through
# cache for the init image, and the role the workflow's image job assumes through GitHub OIDC.
resource "aws_ecr_repository" "modreg" {
  name                 = "modreg"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
  }

  tags = local.tags
}

resource "aws_ecr_lifecycle_policy" "modreg" {
  repository = aws_ecr_repository.modreg.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the 50 newest images; older ones cannot be running (each deploy pins a recent digest)"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 50 }
      action       = { type = "expire" }
    }]
  })
}

resource "aws_ecr_pull_through_cache_rule" "ecr_public" {
  ecr_repository_prefix = "ecr-public"
  upstream_registry_url = "public.ecr.aws"
}

data "aws_iam_policy_document" "image_push_trust" {
  statement {
    sid     = "GitHubReleaseImageJob"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.github.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github.repository}:environment:${var.github.environment}"]
    }
  }
}

resource "aws_iam_role" "image_push" {
  name                 = "${local.name}-image-push"
  description          = "GitHub Actions release workflow: push modreg images to ECR"
  assume_role_policy   = data.aws_iam_policy_document.image_push_trust.json
  permissions_boundary = var.permissions_boundary_arn
  path                 = var.iam_path
  max_session_duration = 3600

  tags = local.tags
}

data "aws_iam_policy_document" "image_push" {
  # GetAuthorizationToken has no resource-level permissions: AWS documents Resource "*".
  statement {
    sid       = "EcrAuth"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid = "PushModreg"
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
      "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.modreg.arn]
  }
}

resource "aws_iam_role_policy" "image_push" {
  name   = "modreg-image-push"
  role   = aws_iam_role.image_push.id
  policy = data.aws_iam_policy_document.image_push.json
}

# Two roles, each with only what it needs. The execution role is what ECS uses to start a task
# (pull the images, write logs, read the secrets); the task role is what modreg itself runs as:
# read and create objects under its prefix of the releases bucket, with its KMS key, and nothing
# else. No delete: even a compromised replica cannot remove a published release.
data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    sid     = "EcsTasks"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:*"]
    }
  }
}

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
}

resource "aws_iam_role" "execution" {
  name                 = "${var.name}-execution"
  description          = "ECS starts the modreg tasks with it: image pull, logs, secrets"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  permissions_boundary = var.permissions_boundary_arn
  path                 = var.iam_path

  tags = local.tags
}

data "aws_iam_policy_document" "execution" {
  # GetAuthorizationToken has no resource-level permissions: AWS documents Resource "*".
  statement {
    sid       = "EcrAuth"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "EcrPull"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = var.image_repository_arns
  }
  # A pull-through cache repository is created, and filled from upstream, by the first pull.
  statement {
    sid       = "EcrPullThroughCache"
    actions   = ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"]
    resources = var.image_repository_arns
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:log-stream:*"]
  }
  statement {
    sid       = "Secrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = concat([var.signing_key_secret_arn], values(var.webhook_secret_arns))
  }
  statement {
    sid       = "SecretsKey"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "modreg-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

resource "aws_iam_role" "task" {
  name                 = "${var.name}-task"
  description          = "modreg replicas run as it: their prefix of the releases bucket and its KMS key"
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_assume.json
  permissions_boundary = var.permissions_boundary_arn
  path                 = var.iam_path

  tags = local.tags
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "ListOwnPrefix"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.storage.prefix}*"]
    }
  }
  # Create-only writes (If-None-Match: *) and multipart uploads for large archives.
  statement {
    sid       = "ReadAndCreateObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["${local.bucket_arn}/${var.storage.prefix}*"]
  }
  # SSE-KMS with an S3 bucket key: S3 calls KMS with the bucket ARN as encryption context.
  statement {
    sid       = "BucketKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.storage.kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:s3:arn"
      values   = [local.bucket_arn]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "modreg-storage"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

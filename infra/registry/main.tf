# modreg, deployed: the registry's KMS key and releases bucket (platform modules, through the
# registry address like any consumer), the image repository and its push role, the certificate
# and the private zone for the host name, the secrets, the replicas (./modules/modreg) and their
# alarms (../observability/cloudwatch).
#
# Bootstrapping: the first `terraform init` needs a registry to fetch platform/kms and platform/s3
# from before this one exists; docs/deploy.md shows how to point registry.internal at a local
# `modreg demo` for that one run. The first apply leaves image_digest unset (no replicas yet).
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  # The registry's key prefix in the releases bucket (its objects: docs/storage.md).
  storage_prefix = "modreg/"
  environment    = var.tags["environment"]
  name           = "modreg-${local.environment}"
  account_id     = data.aws_caller_identity.current.account_id
  partition      = data.aws_partition.current.partition
  tags           = merge(var.tags, { managed_by = "terraform", stack = "infra/registry" })
  deploy         = var.image_digest != null
}

# Registry modules are pinned by version, not commit: a published release never changes (the
# registry answers 409 to different bytes for an existing version), so a version is as fixed.
module "kms" {
  # checkov:skip=CKV_TF_1: registry module pinned by version; releases are immutable in modreg
  source  = "registry.internal/platform/kms/aws"
  version = "~> 1.0"

  name                   = "modreg/${local.environment}"
  description            = "modreg ${local.environment}: releases bucket, secrets, logs"
  key_administrator_arns = var.key_administrator_arns
  service_principals     = ["logs"]
  via_services           = ["s3", "secretsmanager"]

  tags = local.tags
}

# Releases, manifests, tokens and audit. Versioned (a deleted object is restorable, see the
# runbook), SSE-KMS with the key above, TLS-only; non-current versions kept for a year.
module "releases" {
  # checkov:skip=CKV_TF_1: registry module pinned by version; releases are immutable in modreg
  source  = "registry.internal/platform/s3/aws"
  version = "~> 1.0"

  bucket_name                        = "modreg-releases-${local.environment}-${local.account_id}"
  kms_key_arn                        = module.kms.key_arn
  noncurrent_version_expiration_days = 365

  # The change log replicas follow (docs/storage.md, "Replica sync"): a replica reads only
  # its last few minutes, and one that starts builds its index from a LIST, so older entries
  # are never read again. Releases, tokens, revocations and audit events never expire.
  lifecycle_rules = [{
    id              = "expire-change-log"
    prefix          = "${local.storage_prefix}changes/"
    expiration_days = 7
  }]

  tags = local.tags
}

# Rotation is a runbook (docs/runbooks/rotate-secrets.md), not a Lambda: a new signing key
# invalidates outstanding archive links for at most their TTL and must reach every replica at
# once (a rolling restart), and a webhook secret must change in GitHub at the same moment.
resource "aws_secretsmanager_secret" "signing_key" {
  # checkov:skip=CKV2_AWS_57: rotated by the rotate-secrets runbook with a rolling restart; a rotation Lambda would hold more rights than the registry
  name                    = "${local.name}/signing-key"
  description             = "modreg archive-link signing key (hex, >= 32 bytes); set with: openssl rand -hex 32"
  kms_key_id              = module.kms.key_arn
  recovery_window_in_days = 30

  tags = local.tags
}

resource "aws_secretsmanager_secret" "webhook" {
  # checkov:skip=CKV2_AWS_57: must change in GitHub and here together; rotated by the rotate-secrets runbook
  for_each = var.git_sources

  name                    = "${local.name}/webhook/${each.key}"
  description             = "modreg webhook secret of git source ${each.key} (GitHub webhook secret)"
  kms_key_id              = module.kms.key_arn
  recovery_window_in_days = 30

  tags = local.tags
}

module "registry" {
  source = "./modules/modreg"
  count  = local.deploy ? 1 : 0

  name       = local.name
  image      = "${aws_ecr_repository.modreg.repository_url}@${var.image_digest}"
  init_image = "${local.account_id}.dkr.ecr.${var.region}.amazonaws.com/${aws_ecr_pull_through_cache_rule.ecr_public.ecr_repository_prefix}/${var.init_image.repository}@${var.init_image.digest}"
  image_repository_arns = [
    aws_ecr_repository.modreg.arn,
    "arn:${local.partition}:ecr:${var.region}:${local.account_id}:repository/${aws_ecr_pull_through_cache_rule.ecr_public.ecr_repository_prefix}/*",
  ]

  vpc_id             = var.network.vpc_id
  private_subnet_ids = var.network.private_subnet_ids
  client_cidr_blocks = var.network.client_cidr_blocks
  egress = {
    cidr_blocks     = [var.network.vpc_cidr_block]
    prefix_list_ids = [data.aws_ec2_managed_prefix_list.s3.id]
  }

  certificate_arn = aws_acm_certificate.registry.arn
  public_url      = "https://${var.host_name}"

  storage = {
    bucket_name = module.releases.bucket_name
    prefix      = local.storage_prefix
    kms_key_arn = module.kms.key_arn
  }
  kms_key_arn            = module.kms.key_arn
  signing_key_secret_arn = aws_secretsmanager_secret.signing_key.arn
  webhook_secret_arns    = { for name, secret in aws_secretsmanager_secret.webhook : name => secret.arn }
  config_toml            = var.config_toml
  settings               = var.settings
  autoscaling            = var.autoscaling

  deletion_protection      = true
  permissions_boundary_arn = var.permissions_boundary_arn
  iam_path                 = var.iam_path

  tags = local.tags
}

module "alarms" {
  source = "../observability/cloudwatch"
  count  = local.deploy ? 1 : 0

  name                     = local.name
  load_balancer_arn_suffix = module.registry[0].load_balancer_arn_suffix
  target_group_arn_suffix  = module.registry[0].target_group_arn_suffix
  alert_topic_arns         = var.alert_topic_arns
  thresholds               = { min_healthy_hosts = var.autoscaling.min_replicas }

  tags = local.tags
}

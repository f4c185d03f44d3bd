# Every option: a watched git repository with its webhook secret, extra settings, a larger task,
# wider autoscaling, ALB access logs and two-year log retention.
provider "aws" {
  region = "eu-west-1"
}

module "registry" {
  source = "../.."

  name       = "modreg-staging"
  image      = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/modreg:0.1.0@sha256:0d2a4e7c6b1f3e5d7c9b0a2e4f6d8c1b3a5e7f9d0c2b4a6e8f1d3c5b7a9e0f2d"
  init_image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/docker/library/busybox:1.37.0@sha256:9db7b59979c38555a39def84a31fb98b5296952f9e3afd4f6f11f05b07adfab0"
  image_repository_arns = [
    "arn:aws:ecr:eu-west-1:111122223333:repository/modreg",
    "arn:aws:ecr:eu-west-1:111122223333:repository/ecr-public/*",
  ]

  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210", "subnet-0a1b2c3d4e5f60718"]
  client_cidr_blocks = ["10.0.0.0/8", "172.16.0.0/12"]
  egress = {
    cidr_blocks     = ["10.20.0.0/16", "10.99.0.10/32"] # VPC endpoints; the git host
    prefix_list_ids = ["pl-6da54004"]
  }

  certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/8a1f5c2e-0d3b-4e6f-9a7c-1b2d3e4f5a6b"
  public_url      = "https://registry.internal"

  storage = {
    bucket_name = "modreg-releases-staging-111122223333"
    prefix      = "staging/modreg/"
    kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  kms_key_arn            = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  signing_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:modreg-staging/signing-key-AbCdEf"
  webhook_secret_arns = {
    platform-modules = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:modreg-staging/webhook/platform-modules-GhIjKl"
  }
  config_toml = <<-TOML
    [[git.sources]]
    name = "platform-modules"
    url = "https://git.internal/platform/modreg.git"
    namespace = "platform"
    poll_secs = 300
    webhook_secret_file = "/run/modreg/webhooks/platform-modules"
  TOML

  settings = {
    MODREG_ARCHIVE_URL_TTL_SECS = "120"
    MODREG_DOWNLOAD_FLUSH_SECS  = "15"
  }

  task_size          = { cpu = 1024, memory = 2048 }
  autoscaling        = { min_replicas = 3, max_replicas = 12, requests_per_target = 3000 }
  log_retention_days = 731
  access_logs        = { bucket_name = "platform-staging-alb-logs-111122223333", prefix = "modreg" }

  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"

  tags = {
    cost_center = "cc-platform"
    environment = "staging"
    application = "modreg"
    owner       = "platform-team"
    criticality = "high"
  }
}

output "task_role_arn" {
  description = "The role modreg runs as."
  value       = module.registry.task_role_arn
}

output "alarm_dimensions" {
  description = "CloudWatch dimensions for infra/observability/cloudwatch."
  value = {
    load_balancer = module.registry.load_balancer_arn_suffix
    target_group  = module.registry.target_group_arn_suffix
  }
}

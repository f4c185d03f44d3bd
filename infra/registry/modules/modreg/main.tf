# modreg as stateless replicas on ECS Fargate: the releases, manifests, tokens and audit live in
# S3 (storage.*), each task builds its SQLite index from the bucket into its own data volume, and
# the internal load balancer sends traffic only to tasks whose /readyz answers 200.
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  tags      = merge(var.tags, { managed_by = "terraform", module = "platform/modreg/aws" })
  region    = data.aws_region.current.region
  partition = data.aws_partition.current.partition

  container_port = 8080
  ops_port       = 9464    # /metrics, /healthz, /readyz without a token, for the scraper only
  uid            = "65532" # the distroless `nonroot` user the image runs as
  data_dir       = "/data"
  secrets_dir    = "/run/modreg"

  bucket_arn = "arn:${local.partition}:s3:::${var.storage.bucket_name}"

  # One environment variable per webhook secret for the init container; the file is named after
  # the git source.
  webhook_env = { for name, arn in var.webhook_secret_arns : name => "WEBHOOK_${upper(replace(name, "-", "_"))}" }

  # The init container turns the injected secrets into files only modreg's user can read, and
  # hands both volumes to that user. It runs before modreg and exits.
  init_script = join("\n", concat(
    [
      "set -eu",
      "umask 0077",
      "mkdir -p ${local.secrets_dir}/webhooks",
      "umask 0277",
      "printf '%s' \"$SIGNING_KEY\" > ${local.secrets_dir}/signing.key",
    ],
    [for name, env in local.webhook_env : "printf '%s' \"$${${env}}\" > ${local.secrets_dir}/webhooks/${name}"],
    var.config_toml == "" ? [] : ["printf '%s' \"$CONFIG_TOML\" > ${local.secrets_dir}/modreg.toml"],
    [
      "chmod 0500 ${local.secrets_dir} ${local.secrets_dir}/webhooks",
      "chown -R ${local.uid}:${local.uid} ${local.secrets_dir} ${local.data_dir}",
    ],
  ))

  modreg_environment = merge(
    {
      MODREG_DATA_DIR         = local.data_dir
      MODREG_LISTEN           = "0.0.0.0:${local.container_port}"
      MODREG_OPS_LISTEN       = "0.0.0.0:${local.ops_port}"
      MODREG_PLAIN_HTTP       = "true" # TLS ends at the load balancer (ACM certificate)
      MODREG_PUBLIC_URL       = var.public_url
      MODREG_LOG_FORMAT       = "json"
      MODREG_SIGNING_KEY_FILE = "${local.secrets_dir}/signing.key"
      MODREG_STORAGE          = "s3"
      MODREG_S3_BUCKET        = var.storage.bucket_name
      MODREG_S3_PREFIX        = var.storage.prefix
      MODREG_S3_REGION        = local.region
      MODREG_S3_KMS_KEY_ID    = var.storage.kms_key_arn
    },
    var.config_toml == "" ? {} : { MODREG_CONFIG = "${local.secrets_dir}/modreg.toml" },
    var.settings,
  )

  log_configuration = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = aws_cloudwatch_log_group.this.name
      awslogs-region        = local.region
      awslogs-stream-prefix = "modreg"
    }
  }

  # Docker's default capabilities less CHOWN: all the init container may do as root is chown.
  init_dropped_capabilities = ["AUDIT_WRITE", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = local.tags
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enhanced"
  }

  tags = local.tags
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_size.cpu
  memory                   = var.task_size.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # Task-scoped ephemeral volumes (Fargate task storage, removed with the task): the index and
  # git mirrors, and the secret files. Nothing on them must survive a task: S3 is the truth.
  volume {
    name = "data"
  }
  volume {
    name = "secrets"
  }

  container_definitions = jsonencode([
    {
      name                   = "secrets-init"
      image                  = var.init_image
      essential              = false
      user                   = "0"
      readonlyRootFilesystem = true
      entryPoint             = ["sh", "-c"]
      command                = [local.init_script]
      environment            = var.config_toml == "" ? [] : [{ name = "CONFIG_TOML", value = var.config_toml }]
      secrets = concat(
        [{ name = "SIGNING_KEY", valueFrom = var.signing_key_secret_arn }],
        [for name, env in local.webhook_env : { name = env, valueFrom = var.webhook_secret_arns[name] }],
      )
      mountPoints = [
        { sourceVolume = "secrets", containerPath = local.secrets_dir, readOnly = false },
        { sourceVolume = "data", containerPath = local.data_dir, readOnly = false },
      ]
      linuxParameters  = { capabilities = { drop = local.init_dropped_capabilities } }
      logConfiguration = local.log_configuration
    },
    {
      name                   = "modreg"
      image                  = var.image
      essential              = true
      user                   = "${local.uid}:${local.uid}"
      readonlyRootFilesystem = true
      portMappings = [
        { containerPort = local.container_port, protocol = "tcp" },
        { containerPort = local.ops_port, protocol = "tcp" },
      ]
      environment = [for k in sort(keys(local.modreg_environment)) : { name = k, value = local.modreg_environment[k] }]
      mountPoints = [
        { sourceVolume = "data", containerPath = local.data_dir, readOnly = false },
        { sourceVolume = "secrets", containerPath = local.secrets_dir, readOnly = true },
      ]
      dependsOn        = [{ containerName = "secrets-init", condition = "SUCCESS" }]
      linuxParameters  = { capabilities = { drop = ["ALL"] }, initProcessEnabled = true }
      ulimits          = [{ name = "nofile", softLimit = 65536, hardLimit = 65536 }]
      stopTimeout      = 30 # modreg drains in-flight requests on SIGTERM
      logConfiguration = local.log_configuration
    },
  ])

  tags = local.tags
}

resource "aws_ecs_service" "this" {
  name             = var.name
  cluster          = aws_ecs_cluster.this.id
  task_definition  = aws_ecs_task_definition.this.arn
  desired_count    = var.autoscaling.min_replicas
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = 120 # the index is built from the bucket before /readyz is 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = "modreg"
    container_port   = local.container_port
  }

  enable_ecs_managed_tags = true
  propagate_tags          = "SERVICE"
  enable_execute_command  = false

  # Autoscaling owns the replica count after creation.
  lifecycle {
    ignore_changes = [desired_count]
  }

  depends_on = [aws_lb_listener.https, aws_iam_role_policy.task]

  tags = local.tags
}

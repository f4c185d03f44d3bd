variable "name" {
  description = "Name of the deployment (e.g. \"modreg-staging\"): prefix of the cluster, service, load balancer, roles, log group and alarms."
  type        = string
  default     = "modreg"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,23}[a-z0-9]$", var.name))
    error_message = "name must be 2-25 characters of a-z, 0-9 and '-', start with a letter and not end with '-' (the load balancer and target group names add a suffix within AWS's 32-character limit)."
  }
}

variable "image" {
  description = "modreg container image, pinned by digest: <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<digest> (what .github/workflows/release.yml pushes). A tag alone is refused: a moved tag would change what runs."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+)?@sha256:[0-9a-f]{64}$", var.image))
    error_message = "image must be pinned by digest: <registry>/<repository>[:tag]@sha256:<64 hex digits>."
  }
}

variable "init_image" {
  description = "Image of the one-shot init container that writes the Secrets Manager values into files for modreg (it needs only a POSIX shell: busybox), pinned by digest, e.g. through an ECR pull-through cache of ECR Public."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+)?@sha256:[0-9a-f]{64}$", var.init_image))
    error_message = "init_image must be pinned by digest: <registry>/<repository>[:tag]@sha256:<64 hex digits>."
  }
}

variable "image_repository_arns" {
  description = "ECR repository ARNs the task execution role may pull from: the modreg repository and the init image's repository (for a pull-through cache, its repository prefix, e.g. arn:aws:ecr:<region>:<account>:repository/ecr-public/*)."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.image_repository_arns) > 0 && alltrue([for arn in var.image_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/[a-z0-9._/*-]+$", arn))])
    error_message = "image_repository_arns must be a non-empty list of ECR repository ARNs (arn:aws:ecr:<region>:<account>:repository/<name>)."
  }
}

variable "vpc_id" {
  description = "VPC that holds the load balancer and the tasks (platform/vpc output vpc_id)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets, in at least two Availability Zones, for the internal load balancer and the tasks (platform/vpc output private_subnet_ids). The tasks get no public IP."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "private_subnet_ids must hold at least two subnet ids (subnet-...), one per Availability Zone."
  }
}

variable "metrics_scraper_security_group_ids" {
  description = "Security groups of the Prometheus scrapers allowed to reach the tasks' ops port (9464: /metrics, /healthz, /readyz without a token). Empty: nothing reaches it."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.metrics_scraper_security_group_ids : can(regex("^sg-[0-9a-f]+$", id))])
    error_message = "metrics_scraper_security_group_ids must be security group ids (sg-…)."
  }
}

variable "client_cidr_blocks" {
  description = "IPv4 CIDR blocks allowed to reach the registry on 443 (consumers' VPCs, CI runners, the VPN). The load balancer is internal; 0.0.0.0/0 is refused."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.client_cidr_blocks) > 0 && alltrue([for c in var.client_cidr_blocks : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "client_cidr_blocks must be a non-empty list of IPv4 CIDR blocks, without 0.0.0.0/0."
  }
}

variable "egress" {
  description = "Where the tasks may open HTTPS connections: cidr_blocks (the VPC's interface endpoints for ECR, Logs, Secrets Manager, STS, and a git host if repositories are watched) and prefix_list_ids (the S3 gateway endpoint's prefix list). Nothing else leaves the tasks."
  type = object({
    cidr_blocks     = list(string)
    prefix_list_ids = optional(list(string), [])
  })
  nullable = false

  validation {
    condition     = length(var.egress.cidr_blocks) + length(var.egress.prefix_list_ids) > 0
    error_message = "egress needs at least one CIDR block or prefix list: the tasks must reach S3 and the AWS APIs."
  }
  validation {
    condition     = alltrue([for c in var.egress.cidr_blocks : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "egress.cidr_blocks must be IPv4 CIDR blocks, without 0.0.0.0/0 (reach AWS through VPC endpoints)."
  }
  validation {
    condition     = alltrue([for p in var.egress.prefix_list_ids : can(regex("^pl-[0-9a-f]{8,17}$", p))])
    error_message = "egress.prefix_list_ids must look like pl-0123456789abcdef0."
  }
}

variable "certificate_arn" {
  description = "ACM certificate for the HTTPS listener, covering the registry's host name (e.g. registry.internal, issued by the organisation's AWS Private CA). ACM renews it; the listener picks the renewal up."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)."
  }
}

variable "public_url" {
  description = "Base URL consumers use (MODREG_PUBLIC_URL), e.g. https://registry.internal. Terraform requires HTTPS and a host name with a dot."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^https://[a-z0-9-]+(\\.[a-z0-9-]+)+(:[0-9]+)?$", var.public_url))
    error_message = "public_url must be https://<host with a dot>[:port], without a path or trailing slash."
  }
}

variable "storage" {
  description = "The releases bucket (platform/s3 outputs bucket_name and kms_key_arn): bucket name, key prefix modreg owns (MODREG_S3_PREFIX, ending in '/'), and the KMS key used for SSE-KMS (MODREG_S3_KMS_KEY_ID). The task role gets exactly the S3 and KMS actions modreg needs on that prefix and key."
  type = object({
    bucket_name = string
    prefix      = optional(string, "modreg/")
    kms_key_arn = string
  })
  nullable = false

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.storage.bucket_name))
    error_message = "storage.bucket_name must be an S3 bucket name (not an ARN)."
  }
  validation {
    condition     = can(regex("^([A-Za-z0-9!_.*'()-]+/)+$", var.storage.prefix))
    error_message = "storage.prefix must be one or more path segments each ending in '/', e.g. modreg/ or prod/modreg/."
  }
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.storage.kms_key_arn))
    error_message = "storage.kms_key_arn must be a KMS key ARN (not an alias)."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for the log group and the secrets (platform/kms output key_arn). Its policy must let CloudWatch Logs use it and allow use via Secrets Manager."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias."
  }
}

variable "signing_key_secret_arn" {
  description = "Secrets Manager secret holding the archive-link signing key (at least 32 bytes as hex, e.g. `openssl rand -hex 32`). Every replica reads the same key, so a link signed by one verifies on all."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.signing_key_secret_arn))
    error_message = "signing_key_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "webhook_secret_arns" {
  description = "Secrets Manager secrets of the watched git sources' webhooks, by source name. Each is written to /run/modreg/webhooks/<name> for the source's webhook_secret_file in config_toml."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.webhook_secret_arns : can(regex("^[a-z0-9][a-z0-9_-]{0,62}$", k)) && can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", v))])
    error_message = "webhook_secret_arns keys must be git source names (a-z, 0-9, '_', '-') and values Secrets Manager secret ARNs."
  }
}

variable "config_toml" {
  description = "Optional modreg TOML configuration for what environment variables cannot express (the [[git.sources]] tables). Written to /run/modreg/modreg.toml and passed as MODREG_CONFIG. Secrets never go here: reference the files under /run/modreg/webhooks/."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = length(var.config_toml) <= 32768 && !can(regex("(?i)(secret|token|password)\\s*=\\s*\"[^\"/]", var.config_toml))
    error_message = "config_toml must be at most 32 KiB and must not hold a secret value inline (use *_file keys pointing to /run/modreg/...)."
  }
}

variable "settings" {
  description = "Further modreg settings as MODREG_* environment variables (e.g. MODREG_ARCHIVE_URL_TTL_SECS = \"120\"). The module sets the data directory, listener, public URL, storage, signing key and config file itself; those keys are refused here."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k in keys(var.settings) : can(regex("^MODREG_[A-Z0-9_]+$", k))])
    error_message = "settings keys must be MODREG_* variable names (upper case)."
  }
  validation {
    condition = length(setintersection(keys(var.settings), [
      "MODREG_DATA_DIR", "MODREG_LISTEN", "MODREG_OPS_LISTEN", "MODREG_PLAIN_HTTP", "MODREG_PUBLIC_URL", "MODREG_SIGNING_KEY_FILE",
      "MODREG_CONFIG", "MODREG_STORAGE", "MODREG_S3_BUCKET", "MODREG_S3_PREFIX", "MODREG_S3_REGION", "MODREG_S3_KMS_KEY_ID",
      "MODREG_TOKEN", "MODREG_URL",
    ])) == 0
    error_message = "settings must not set the keys the module owns (data dir, listener, public URL, storage, signing key, config) or client variables."
  }
}

variable "task_size" {
  description = "Fargate task size: cpu units (256-4096) and memory MiB, a valid Fargate combination. modreg is small: 512/1024 serves thousands of requests per second."
  type = object({
    cpu    = optional(number, 512)
    memory = optional(number, 1024)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.task_size.cpu) && var.task_size.memory >= 2 * var.task_size.cpu && var.task_size.memory <= 8 * var.task_size.cpu
    error_message = "task_size.cpu must be 256, 512, 1024, 2048 or 4096 and memory between 2x and 8x the cpu value (Fargate combinations)."
  }
}

variable "autoscaling" {
  description = "Replica count and scaling on load: min_replicas (keep >= 2 for one per Availability Zone), max_replicas, and requests_per_target, the ALB requests per replica per minute that target tracking holds."
  type = object({
    min_replicas        = optional(number, 2)
    max_replicas        = optional(number, 6)
    requests_per_target = optional(number, 6000)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.autoscaling.min_replicas >= 1 && var.autoscaling.max_replicas >= var.autoscaling.min_replicas && var.autoscaling.max_replicas <= 50 && floor(var.autoscaling.min_replicas) == var.autoscaling.min_replicas && floor(var.autoscaling.max_replicas) == var.autoscaling.max_replicas
    error_message = "autoscaling needs whole numbers 1 <= min_replicas <= max_replicas <= 50."
  }
  validation {
    condition     = var.autoscaling.requests_per_target >= 10 && var.autoscaling.requests_per_target <= 1000000
    error_message = "autoscaling.requests_per_target must be between 10 and 1000000 requests per replica per minute."
  }
}

variable "log_retention_days" {
  description = "Retention of the tasks' CloudWatch log group, in days (AWS FSBP CloudWatch.16 asks for at least 365)."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch retention of at least a year: 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "access_logs" {
  description = "ALB access logs: an existing bucket (ALB log delivery supports SSE-S3 only) and a prefix. null disables them."
  type = object({
    bucket_name = string
    prefix      = optional(string, "modreg")
  })
  default = null

  validation {
    condition     = var.access_logs == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", try(var.access_logs.bucket_name, "")))
    error_message = "access_logs.bucket_name must be an S3 bucket name (not an ARN)."
  }
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion. Turn off only to tear down a throw-away environment."
  type        = bool
  default     = true
  nullable    = false
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary attached to the task and task-execution roles (the platform boundary policy)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "iam_path" {
  description = "IAM path of every role this module creates. Keep it equal to the platform/iam module's path (default /platform/): its permissions boundary lets the bounded apply role create and pass roles only under that path."
  type        = string
  default     = "/platform/"
  nullable    = false

  validation {
    condition     = can(regex("^/([A-Za-z0-9+=,.@_-]+/)+$", var.iam_path)) && length(var.iam_path) <= 512
    error_message = "iam_path must be a path below the root that starts and ends with '/' (e.g. /platform/)."
  }
}

variable "tags" {
  description = "FinOps tags applied to every taggable resource. Must contain non-empty cost_center, environment (dev, staging or prod), application and owner; other keys are kept."
  type        = map(string)
  nullable    = false
  validation {
    condition     = alltrue([for k in ["cost_center", "environment", "application", "owner"] : trimspace(lookup(var.tags, k, "")) != ""])
    error_message = "tags must contain non-empty cost_center, environment, application and owner."
  }
  validation {
    condition     = contains(["dev", "staging", "prod"], lookup(var.tags, "environment", ""))
    error_message = "tags.environment must be one of dev, staging or prod."
  }
}

variable "region" {
  description = "AWS Region of the registry (MODREG_S3_REGION follows it)."
  type        = string
  default     = "eu-west-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS Region name such as eu-west-1."
  }
}

variable "host_name" {
  description = "Host name consumers use in module sources: the private Route 53 zone and the certificate are for it. Terraform requires a dot in it."
  type        = string
  default     = "registry.internal"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9-]+(\\.[a-z0-9-]+)+$", var.host_name))
    error_message = "host_name must be a lower-case DNS name with at least one dot, e.g. registry.internal."
  }
}

variable "network" {
  description = "The environment's network (platform/vpc outputs): vpc_id, private_subnet_ids (two or more AZs), vpc_cidr_block (where the interface endpoints are), consumer_vpc_ids (other VPCs that must resolve the host name) and client_cidr_blocks (who may reach the registry on 443)."
  type = object({
    vpc_id             = string
    private_subnet_ids = list(string)
    vpc_cidr_block     = string
    consumer_vpc_ids   = optional(list(string), [])
    client_cidr_blocks = list(string)
  })
  nullable = false

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.network.vpc_id)) && alltrue([for v in var.network.consumer_vpc_ids : can(regex("^vpc-[0-9a-f]{8,17}$", v))])
    error_message = "network.vpc_id and network.consumer_vpc_ids must be VPC ids (vpc-...)."
  }
  validation {
    condition     = can(cidrhost(var.network.vpc_cidr_block, 0))
    error_message = "network.vpc_cidr_block must be an IPv4 CIDR block."
  }
}

variable "private_ca_arn" {
  description = "AWS Private CA that issues the registry's certificate (a .internal name cannot get a public certificate). Consumers trust this CA's root."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:[0-9]{12}:certificate-authority/[0-9a-f-]+$", var.private_ca_arn))
    error_message = "private_ca_arn must be an AWS Private CA ARN (arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>)."
  }
}

variable "image_digest" {
  description = "Digest of the modreg image to run (sha256:...), as printed by the release workflow's image job for the modreg-v* tag. null on the very first apply, before any image is pushed: everything but the service is created."
  type        = string
  default     = null

  validation {
    condition     = var.image_digest == null || can(regex("^sha256:[0-9a-f]{64}$", var.image_digest))
    error_message = "image_digest must be sha256:<64 hex digits>."
  }
}

variable "init_image" {
  description = "Upstream repository and digest of the init container image, pulled through the ECR pull-through cache of ECR Public. Dependabot does not see it: bump it with the Dockerfile's bases."
  type = object({
    repository = optional(string, "docker/library/busybox")
    digest     = optional(string, "sha256:9db7b59979c38555a39def84a31fb98b5296952f9e3afd4f6f11f05b07adfab0") # busybox 1.37.0
  })
  default  = {}
  nullable = false

  validation {
    condition     = can(regex("^[a-z0-9._/-]+$", var.init_image.repository)) && can(regex("^sha256:[0-9a-f]{64}$", var.init_image.digest))
    error_message = "init_image needs a repository path and a sha256:<64 hex> digest."
  }
}

variable "github" {
  description = "The GitHub repository whose release workflow pushes images (owner/name), its OIDC provider ARN in this account, and the environment its image job runs in."
  type = object({
    repository        = string
    oidc_provider_arn = string
    environment       = optional(string, "release-image")
  })
  nullable = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github.repository)) && can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token.actions.githubusercontent.com$", var.github.oidc_provider_arn))
    error_message = "github.repository must be owner/name and github.oidc_provider_arn the account's token.actions.githubusercontent.com OIDC provider ARN."
  }
}

variable "key_administrator_arns" {
  description = "Roles that administer the registry's KMS key (never use it)."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.key_administrator_arns) > 0
    error_message = "key_administrator_arns needs at least one role."
  }
}

variable "permissions_boundary_arn" {
  description = "Platform permissions boundary, attached to every role this root creates."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN."
  }
}

variable "alert_topic_arns" {
  description = "The environment's alert topics by severity (platform/monitoring output topic_arns); the registry's alarms go to critical and warning."
  type        = map(string)
  nullable    = false

  validation {
    condition     = contains(keys(var.alert_topic_arns), "critical") && contains(keys(var.alert_topic_arns), "warning")
    error_message = "alert_topic_arns must contain critical and warning."
  }
}

variable "git_sources" {
  description = "Names of the git sources modreg watches; each gets a Secrets Manager secret for its webhook, written to /run/modreg/webhooks/<name>. Their [[git.sources]] tables go in config_toml."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.git_sources : can(regex("^[a-z0-9][a-z0-9_-]{0,62}$", s))])
    error_message = "git_sources names must be 1-63 characters of a-z, 0-9, '_' and '-'."
  }
}

variable "config_toml" {
  description = "modreg TOML for settings environment variables cannot carry ([[git.sources]]); see the module's config_toml."
  type        = string
  default     = ""
  nullable    = false
}

variable "settings" {
  description = "Extra MODREG_* settings for the replicas (see the module's settings)."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "autoscaling" {
  description = "Replica count and the requests per replica per minute target tracking holds."
  type = object({
    min_replicas        = optional(number, 2)
    max_replicas        = optional(number, 6)
    requests_per_target = optional(number, 6000)
  })
  default  = {}
  nullable = false
}

variable "iam_path" {
  description = "IAM path of every role this root creates. Keep it equal to the platform/iam module's path (default /platform/): its permissions boundary lets the bounded apply role create and pass roles only under that path."
  type        = string
  default     = "/platform/"
  nullable    = false

  validation {
    condition     = can(regex("^/([A-Za-z0-9+=,.@_-]+/)+$", var.iam_path)) && length(var.iam_path) <= 512
    error_message = "iam_path must be a path below the root that starts and ends with '/' (e.g. /platform/)."
  }
}

variable "tags" {
  description = "FinOps tags applied to every taggable resource (also as provider default_tags). Must contain non-empty cost_center, environment (dev, staging or prod), application and owner."
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

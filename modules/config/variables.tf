variable "name" {
  description = "Name prefix for the recorder, delivery channel, rules and IAM roles (e.g. \"platform-prod\"). 1-32 characters: letters, digits, '-'."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,31}$", var.name))
    error_message = "name must be 1-32 characters of letters, digits or '-', starting with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key (platform/kms output key_arn) that encrypts the delivered configuration snapshots and history (SSE-KMS). The Config role created here is granted kms:GenerateDataKey and kms:Decrypt on it."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the IAM permissions boundary (platform/iam output boundary_policy_arn) attached to every role this module creates (the Config service role and the remediation role)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "iam_path" {
  description = "IAM path of every role and instance profile this module creates. Keep it equal to the platform/iam module's path (default /platform/): its permissions boundary lets the bounded apply role create and pass roles only under that path."
  type        = string
  default     = "/platform/"
  nullable    = false

  validation {
    condition     = can(regex("^/([A-Za-z0-9+=,.@_-]+/)+$", var.iam_path)) && length(var.iam_path) <= 512
    error_message = "iam_path must be a path below the root that starts and ends with '/' (e.g. /platform/): the platform boundary never lets the apply role create roles at /."
  }
}

variable "existing_bucket_name" {
  description = "Deliver to this existing bucket instead of creating one (it must already enforce SSE-KMS with kms_key_arn, TLS-only access and allow this account's Config role to write). null creates a hardened bucket with the platform s3 module's controls."
  type        = string
  default     = null

  validation {
    condition     = var.existing_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.existing_bucket_name))
    error_message = "existing_bucket_name must be a valid S3 bucket name (not an ARN)."
  }
}

variable "bucket_name" {
  description = "Name of the delivery bucket this module creates. null derives \"<first 24 characters of name>-config-<account id>-<region>\". Ignored when existing_bucket_name is set."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || (can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name)) && !can(regex("\\.\\.", var.bucket_name)))
    error_message = "bucket_name must be a valid S3 bucket name: 3-63 characters of a-z, 0-9, '.', '-', no '..'."
  }
}

variable "s3_key_prefix" {
  description = "Key prefix for delivered objects (no leading or trailing '/')."
  type        = string
  default     = "config"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", var.s3_key_prefix))
    error_message = "s3_key_prefix must be non-empty path segments of safe characters, without leading or trailing '/'."
  }
}

variable "force_destroy" {
  description = "WEAKENS audit retention: allow terraform destroy to delete the delivery bucket while it still holds configuration history. Keep false outside throw-away environments."
  type        = bool
  default     = false
  nullable    = false
}

variable "access_logging" {
  description = "Server access logging for the created bucket. target_bucket is an existing log bucket in the same account and Region; null disables access logging."
  type = object({
    target_bucket = string
    target_prefix = optional(string, "config-bucket/")
  })
  default = null

  validation {
    condition     = var.access_logging == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_logging.target_bucket))
    error_message = "access_logging.target_bucket must be a valid bucket name (not an ARN)."
  }
}

variable "retention" {
  description = "Lifecycle of delivered objects: move to Glacier Instant Retrieval after transition_days, delete after expiration_days (0 keeps forever), delete non-current versions after noncurrent_days, abort incomplete multipart uploads after abort_multipart_days."
  type = object({
    transition_days      = optional(number, 90)
    expiration_days      = optional(number, 2557)
    noncurrent_days      = optional(number, 30)
    abort_multipart_days = optional(number, 7)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.retention.transition_days >= 30 && var.retention.transition_days <= 3650 && floor(var.retention.transition_days) == var.retention.transition_days
    error_message = "retention.transition_days must be a whole number between 30 and 3650."
  }
  validation {
    condition     = var.retention.expiration_days == 0 || (var.retention.expiration_days > var.retention.transition_days && var.retention.expiration_days <= 36500 && floor(var.retention.expiration_days) == var.retention.expiration_days)
    error_message = "retention.expiration_days must be 0 (keep forever) or a whole number greater than transition_days and at most 36500."
  }
  validation {
    condition     = var.retention.noncurrent_days >= 1 && var.retention.noncurrent_days <= 3650 && var.retention.abort_multipart_days >= 1 && var.retention.abort_multipart_days <= 365
    error_message = "retention.noncurrent_days must be 1-3650 and retention.abort_multipart_days 1-365."
  }
}

variable "sns_topic_arn" {
  description = "SNS topic for Config delivery notifications (e.g. monitoring's info_topic_arn). null sends none."
  type        = string
  default     = null

  validation {
    condition     = var.sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.sns_topic_arn))
    error_message = "sns_topic_arn must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)."
  }
}

variable "recording_frequency" {
  description = "CONTINUOUS records every change; DAILY records at most one item per resource per day, which costs far less in busy accounts (FinOps) at the price of coarser history."
  type        = string
  default     = "CONTINUOUS"
  nullable    = false

  validation {
    condition     = contains(["CONTINUOUS", "DAILY"], var.recording_frequency)
    error_message = "recording_frequency must be CONTINUOUS or DAILY."
  }
}

variable "include_global_resource_types" {
  description = "Record global resources (IAM users, roles, policies). Set true in exactly one Region per account to avoid duplicate records and cost."
  type        = bool
  default     = true
  nullable    = false
}

variable "snapshot_delivery_frequency" {
  description = "How often Config delivers a configuration snapshot to the bucket."
  type        = string
  default     = "TwentyFour_Hours"
  nullable    = false

  validation {
    condition     = contains(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], var.snapshot_delivery_frequency)
    error_message = "snapshot_delivery_frequency must be One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours."
  }
}

variable "periodic_rule_frequency" {
  description = "Evaluation frequency of the periodic managed rules (vpc-flow-logs-enabled, eks-*, cloudwatch-log-group-encrypted). Each evaluation is billed."
  type        = string
  default     = "TwentyFour_Hours"
  nullable    = false

  validation {
    condition     = contains(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], var.periodic_rule_frequency)
    error_message = "periodic_rule_frequency must be One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours."
  }
}

variable "disabled_rules" {
  description = "WEAKENS detection: managed rules to leave out, by rule name (e.g. \"eks-secrets-encrypted\" in an account without EKS). Every rule is on by default."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition = alltrue([for r in var.disabled_rules : contains([
      "required-tags", "encrypted-volumes", "rds-storage-encrypted", "rds-instance-public-access-check",
      "rds-instance-deletion-protection-enabled", "s3-bucket-ssl-requests-only", "s3-bucket-public-read-prohibited",
      "s3-bucket-public-write-prohibited", "s3-bucket-level-public-access-prohibited", "restricted-ssh",
      "vpc-flow-logs-enabled", "iam-policy-no-statements-with-admin-access", "cloudwatch-log-group-encrypted",
      "eks-secrets-encrypted", "eks-endpoint-no-public-access", "ec2-imdsv2-check",
    ], r)])
    error_message = "disabled_rules may only name rules this module creates (see README: required-tags, encrypted-volumes, rds-storage-encrypted, ...)."
  }
}

variable "required_tag_environments" {
  description = "Allowed values of the environment tag checked by the required-tags rule."
  type        = list(string)
  default     = ["dev", "staging", "prod"]
  nullable    = false

  validation {
    condition     = length(var.required_tag_environments) > 0 && alltrue([for e in var.required_tag_environments : can(regex("^[a-z0-9-]{1,32}$", e))])
    error_message = "required_tag_environments must list at least one value of 1-32 lower-case letters, digits or '-'."
  }
}

variable "remediation" {
  description = "Automatic remediation (SSM Automation) per rule. On by default only where the fix cannot break a workload: blocking public access on S3 buckets. The others change security groups, bucket policies or databases and are opt-in."
  type = object({
    s3_bucket_public_read_prohibited  = optional(bool, true)
    s3_bucket_public_write_prohibited = optional(bool, true)
    s3_bucket_ssl_requests_only       = optional(bool, false)
    restricted_ssh                    = optional(bool, false)
    rds_instance_public_access_check  = optional(bool, false)
  })
  default  = {}
  nullable = false
}

variable "remediation_retry" {
  description = "Automatic remediation retries: at most max_attempts within retry_seconds."
  type = object({
    max_attempts  = optional(number, 5)
    retry_seconds = optional(number, 60)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.remediation_retry.max_attempts >= 1 && var.remediation_retry.max_attempts <= 25 && var.remediation_retry.retry_seconds >= 1 && var.remediation_retry.retry_seconds <= 2678000
    error_message = "remediation_retry.max_attempts must be 1-25 and retry_seconds 1-2678000."
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

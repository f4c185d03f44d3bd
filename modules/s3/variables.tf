variable "bucket_name" {
  description = "Exact bucket name (3-63 chars, lower-case letters, digits, '.' and '-'). Bucket names are global: include account or environment to keep them unique."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name)) && !can(regex("\\.\\.|^xn--|^sthree-|-s3alias$|--ol-s3$|^\\d+\\.\\d+\\.\\d+\\.\\d+$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name: 3-63 characters of a-z, 0-9, '.', '-', starting and ending with a letter or digit, no '..', not an IP address, no reserved prefix/suffix."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key (platform/kms output key_arn) used for SSE-KMS default encryption. Writers must be allowed to use it."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases are not accepted because bucket policies compare key ARNs."
  }
}

variable "force_destroy" {
  description = "WEAKENS data protection: allow terraform destroy to delete a bucket that still holds objects. Keep false outside throw-away environments."
  type        = bool
  default     = false
  nullable    = false
}

variable "access_logging" {
  description = "Server access logging target. null disables it (e.g. for the log bucket itself). target_bucket is the name of an existing log bucket in the same account and Region."
  type = object({
    target_bucket = string
    target_prefix = optional(string, "")
  })
  default = null

  validation {
    condition     = var.access_logging == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_logging.target_bucket))
    error_message = "access_logging.target_bucket must be a valid bucket name (not an ARN)."
  }
}

variable "access_log_delivery" {
  description = "Make this bucket a target of S3 server access logs: a bucket-policy grant to logging.s3.amazonaws.com (ACLs stay disabled with BucketOwnerEnforced) for PutObject under prefix, from this account only and, if source_bucket_arns is not empty, only from those buckets. The KMS key must let logging.s3 use it (platform/kms service_principals). null: no grant."
  type = object({
    prefix             = optional(string, "")
    source_bucket_arns = optional(list(string), [])
  })
  default = null

  validation {
    condition     = var.access_log_delivery == null || alltrue([for a in try(var.access_log_delivery.source_bucket_arns, []) : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", a))])
    error_message = "access_log_delivery.source_bucket_arns must be bucket ARNs (arn:aws:s3:::<bucket>, no wildcards or object paths)."
  }

  validation {
    condition     = var.access_log_delivery == null || can(regex("^([A-Za-z0-9!_.*'()-]+/)*$", try(var.access_log_delivery.prefix, "")))
    error_message = "access_log_delivery.prefix must be empty or path segments ending in '/' (e.g. s3-access/)."
  }

  validation {
    condition     = var.access_log_delivery == null || var.object_lock == null
    error_message = "A server access log target cannot have Object Lock default retention (S3 does not deliver logs to it)."
  }

  validation {
    condition     = var.access_log_delivery == null || try(var.access_logging.target_bucket, "") != var.bucket_name
    error_message = "A log bucket must not log to itself (every delivery would create another log record)."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted (their parts cost storage but are invisible)."
  type        = number
  default     = 7
  nullable    = false

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && var.abort_incomplete_multipart_upload_days <= 365 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "abort_incomplete_multipart_upload_days must be a whole number between 1 and 365."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current (overwritten or deleted) object versions are permanently removed. 0 keeps them forever."
  type        = number
  default     = 90
  nullable    = false

  validation {
    condition     = var.noncurrent_version_expiration_days >= 0 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number >= 0."
  }
}

variable "lifecycle_rules" {
  description = "Extra lifecycle rules for current objects under a prefix: optional transition to a cheaper storage class after transition_days and optional expiration after expiration_days."
  type = list(object({
    id              = string
    prefix          = optional(string, "")
    transition_days = optional(number)
    storage_class   = optional(string, "STANDARD_IA")
    expiration_days = optional(number)
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for r in var.lifecycle_rules : can(regex("^[A-Za-z0-9._-]{1,200}$", r.id)) && r.id != "platform-defaults"])
    error_message = "lifecycle_rules[*].id must be 1-200 characters of letters, digits, '.', '_' or '-' and must not be platform-defaults (reserved)."
  }

  validation {
    condition     = alltrue([for r in var.lifecycle_rules : contains(["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], r.storage_class)])
    error_message = "lifecycle_rules[*].storage_class must be one of STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE."
  }

  validation {
    condition     = alltrue([for r in var.lifecycle_rules : r.transition_days != null || r.expiration_days != null])
    error_message = "Each lifecycle rule needs transition_days, expiration_days or both."
  }

  validation {
    condition = alltrue([for r in var.lifecycle_rules : (
      (r.transition_days == null ? true : r.transition_days >= 0) &&
      (r.expiration_days == null ? true : r.expiration_days >= 1) &&
      (r.transition_days == null || r.expiration_days == null ? true : r.expiration_days > r.transition_days)
    )])
    error_message = "lifecycle_rules: transition_days must be >= 0, expiration_days >= 1 and greater than transition_days."
  }

  validation {
    condition     = alltrue([for r in var.lifecycle_rules : !contains(["STANDARD_IA", "ONEZONE_IA"], r.storage_class) || r.transition_days == null || try(r.transition_days >= 30, false)])
    error_message = "lifecycle_rules: S3 refuses transitions to STANDARD_IA or ONEZONE_IA before 30 days; use transition_days >= 30 (or INTELLIGENT_TIERING / GLACIER_IR earlier)."
  }
}

variable "object_lock" {
  description = "Enable S3 Object Lock (WORM) with a default retention. null disables it. COMPLIANCE mode cannot be shortened or removed by anyone, including root, until retention expires. Can only be set when the bucket is created."
  type = object({
    mode = string
    days = number
  })
  default = null

  validation {
    condition     = var.object_lock == null || contains(["GOVERNANCE", "COMPLIANCE"], try(var.object_lock.mode, ""))
    error_message = "object_lock.mode must be GOVERNANCE or COMPLIANCE."
  }

  validation {
    condition     = var.object_lock == null || (try(var.object_lock.days, 0) >= 1 && try(var.object_lock.days, 0) <= 36500)
    error_message = "object_lock.days must be between 1 and 36500."
  }
}

variable "policy_statements" {
  description = "Extra Allow statements for the bucket policy, for named IAM principals only (no '*'). Resources are the bucket and its objects (object_prefix narrows them). The module's deny statements always come first and win."
  type = list(object({
    sid            = string
    actions        = list(string)
    principal_arns = list(string)
    object_prefix  = optional(string, "")
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for s in var.policy_statements : can(regex("^[A-Za-z0-9]{1,100}$", s.sid))])
    error_message = "policy_statements[*].sid must be 1-100 letters or digits."
  }

  validation {
    condition     = alltrue(flatten([for s in var.policy_statements : [for a in s.actions : can(regex("^s3:[A-Za-z]+\\*?$", a)) && a != "s3:*"]]))
    error_message = "policy_statements[*].actions must be s3 actions such as s3:GetObject; s3:* is not allowed."
  }

  validation {
    condition     = alltrue(flatten([for s in var.policy_statements : [for p in s.principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+|user/.+)$", p))]])) && alltrue([for s in var.policy_statements : length(s.principal_arns) > 0])
    error_message = "policy_statements[*].principal_arns must be non-empty lists of IAM role, user or account-root ARNs; '*' is not allowed."
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

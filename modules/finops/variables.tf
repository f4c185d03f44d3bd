variable "name" {
  description = "Name prefix for budgets, the data export, anomaly monitors and the bucket (e.g. \"platform-prod\"). 1-32 characters: letters, digits, '-'."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,31}$", var.name))
    error_message = "name must be 1-32 characters of letters, digits or '-', starting with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key (platform/kms output key_arn) encrypting the cost report bucket. Its key policy must let bcm-data-exports.amazonaws.com and billingreports.amazonaws.com use kms:GenerateDataKey* and kms:Decrypt."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias."
  }
}

variable "alert_topic_arns" {
  description = "SNS topics for budget and anomaly alerts by severity: pass the monitoring module's topic_arns output. Needs keys critical and warning (info is optional). The topics must allow budgets.amazonaws.com and costalerts.amazonaws.com to publish (monitoring does by default)."
  type        = map(string)
  nullable    = false

  validation {
    condition     = contains(keys(var.alert_topic_arns), "critical") && contains(keys(var.alert_topic_arns), "warning")
    error_message = "alert_topic_arns must contain the keys critical and warning (monitoring's topic_arns output does)."
  }
  validation {
    condition     = alltrue([for k, v in var.alert_topic_arns : contains(["critical", "warning", "info"], k) && can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", v))])
    error_message = "alert_topic_arns keys must be critical, warning or info and values SNS topic ARNs."
  }
}

variable "activate_cost_allocation_tags" {
  description = "Activate cost_center, environment, application and owner (plus extra_cost_allocation_tag_keys) as cost allocation tags. Only the management (payer) account can do this; set false in member accounts."
  type        = bool
  default     = true
  nullable    = false
}

variable "extra_cost_allocation_tag_keys" {
  description = "Further tag keys to activate for cost allocation, besides the four FinOps keys."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for k in var.extra_cost_allocation_tag_keys : can(regex("^[A-Za-z0-9_.:/=+@ -]{1,128}$", k)) && !startswith(k, "aws:")])
    error_message = "extra_cost_allocation_tag_keys must be 1-128 characters of letters, digits, spaces and _.:/=+-@, not starting with aws:."
  }
}

variable "cost_export" {
  description = "CUR 2.0 Data Export to the encrypted bucket (Parquet, for Athena). time_granularity HOURLY, DAILY or MONTHLY; include_resources adds resource ids (bigger files); include_split_cost_allocation_data adds EKS pod-level costs. enabled = false skips the export and its bucket."
  type = object({
    enabled                            = optional(bool, true)
    time_granularity                   = optional(string, "DAILY")
    include_resources                  = optional(bool, true)
    include_split_cost_allocation_data = optional(bool, true)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["HOURLY", "DAILY", "MONTHLY"], var.cost_export.time_granularity)
    error_message = "cost_export.time_granularity must be HOURLY, DAILY or MONTHLY."
  }
}

variable "bucket_name" {
  description = "Name of the cost report bucket. null derives \"<first 24 characters of name>-cur-<account id>\"."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || (can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name)) && !can(regex("\\.\\.", var.bucket_name)))
    error_message = "bucket_name must be a valid S3 bucket name: 3-63 characters of a-z, 0-9, '.', '-', no '..'."
  }
}

variable "force_destroy" {
  description = "WEAKENS data protection: allow terraform destroy to delete the cost report bucket while it still holds reports. Keep false outside throw-away environments."
  type        = bool
  default     = false
  nullable    = false
}

variable "access_logging" {
  description = "Server access logging for the cost report bucket. target_bucket is an existing log bucket in the same account and Region; null disables access logging."
  type = object({
    target_bucket = string
    target_prefix = optional(string, "cur-bucket/")
  })
  default = null

  validation {
    condition     = var.access_logging == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_logging.target_bucket))
    error_message = "access_logging.target_bucket must be a valid bucket name (not an ARN)."
  }
}

variable "report_retention" {
  description = "Lifecycle of cost reports: Glacier Instant Retrieval after transition_days, deletion after expiration_days (0 keeps forever), non-current versions deleted after noncurrent_days, incomplete multipart uploads aborted after abort_multipart_days."
  type = object({
    transition_days      = optional(number, 180)
    expiration_days      = optional(number, 1095)
    noncurrent_days      = optional(number, 30)
    abort_multipart_days = optional(number, 7)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.report_retention.transition_days >= 30 && var.report_retention.transition_days <= 3650 && floor(var.report_retention.transition_days) == var.report_retention.transition_days
    error_message = "report_retention.transition_days must be a whole number between 30 and 3650."
  }
  validation {
    condition     = var.report_retention.expiration_days == 0 || (var.report_retention.expiration_days > var.report_retention.transition_days && var.report_retention.expiration_days <= 36500 && floor(var.report_retention.expiration_days) == var.report_retention.expiration_days)
    error_message = "report_retention.expiration_days must be 0 (keep forever) or a whole number greater than transition_days and at most 36500."
  }
  validation {
    condition     = var.report_retention.noncurrent_days >= 1 && var.report_retention.noncurrent_days <= 3650 && var.report_retention.abort_multipart_days >= 1 && var.report_retention.abort_multipart_days <= 365
    error_message = "report_retention.noncurrent_days must be 1-3650 and abort_multipart_days 1-365."
  }
}

variable "budgets" {
  description = "Cost budgets per application and environment, keyed by a short name. Spend is filtered on the application AND environment cost allocation tags. Actual spend at each actual_thresholds percentage alerts warning (critical from 100%); forecast spend at each forecast_thresholds percentage alerts warning."
  type = map(object({
    application         = string
    environment         = string
    limit_usd           = number
    time_unit           = optional(string, "MONTHLY")
    actual_thresholds   = optional(list(number), [80, 100])
    forecast_thresholds = optional(list(number), [100])
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k, b in var.budgets : can(regex("^[A-Za-z0-9_-]{1,40}$", k)) && trimspace(b.application) != "" && contains(["dev", "staging", "prod"], b.environment)])
    error_message = "budgets keys must be 1-40 characters of letters, digits, '-' or '_'; application must be non-empty and environment one of dev, staging, prod."
  }
  validation {
    condition     = alltrue([for b in values(var.budgets) : b.limit_usd > 0 && b.limit_usd <= 10000000])
    error_message = "budgets[*].limit_usd must be greater than 0 and at most 10,000,000."
  }
  validation {
    condition     = alltrue([for b in values(var.budgets) : contains(["MONTHLY", "QUARTERLY", "ANNUALLY"], b.time_unit)])
    error_message = "budgets[*].time_unit must be MONTHLY, QUARTERLY or ANNUALLY."
  }
  validation {
    condition = alltrue([for b in values(var.budgets) :
      length(b.actual_thresholds) + length(b.forecast_thresholds) >= 1 && length(b.actual_thresholds) + length(b.forecast_thresholds) <= 10 &&
      alltrue([for t in concat(b.actual_thresholds, b.forecast_thresholds) : t > 0 && t <= 1000])
    ])
    error_message = "budgets[*] need 1-10 notification thresholds in total, each a percentage in (0, 1000]."
  }
}

variable "anomaly_detection" {
  description = "Cost Anomaly Detection: a service-level monitor (only one per account: set service_monitor = false if another exists), optional per-application monitors on the application tag, and a subscription alerting the warning topic when an anomaly's total impact reaches threshold_usd."
  type = object({
    enabled         = optional(bool, true)
    service_monitor = optional(bool, true)
    applications    = optional(set(string), [])
    threshold_usd   = optional(number, 100)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.anomaly_detection.threshold_usd >= 1 && var.anomaly_detection.threshold_usd <= 1000000
    error_message = "anomaly_detection.threshold_usd must be between 1 and 1,000,000."
  }
  validation {
    condition     = !var.anomaly_detection.enabled || var.anomaly_detection.service_monitor || length(var.anomaly_detection.applications) > 0
    error_message = "anomaly_detection needs service_monitor = true or at least one application when enabled."
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

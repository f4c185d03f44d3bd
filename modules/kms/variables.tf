variable "name" {
  description = "Name of the key; the alias becomes alias/<name>. Lower-case letters, digits, '-', '_' and '/' only."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9/_-]{0,199}$", var.name)) && !startswith(var.name, "aws/")
    error_message = "name must be 1-200 characters of a-z, 0-9, '/', '_' or '-', start with a letter or digit, and must not start with aws/ (reserved)."
  }
}

variable "description" {
  description = "Human-readable description of what the key protects."
  type        = string
  nullable    = false

  validation {
    condition     = length(trimspace(var.description)) > 0 && length(var.description) <= 8192
    error_message = "description must be non-empty and at most 8192 characters."
  }
}

variable "deletion_window_in_days" {
  description = "Days KMS waits before deleting the key after it is scheduled for deletion (7-30). Long windows make accidental deletion recoverable."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "deletion_window_in_days must be a whole number between 7 and 30."
  }
}

variable "rotation_period_in_days" {
  description = "Automatic key material rotation period in days (90-2560). Rotation itself cannot be turned off."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = var.rotation_period_in_days >= 90 && var.rotation_period_in_days <= 2560 && floor(var.rotation_period_in_days) == var.rotation_period_in_days
    error_message = "rotation_period_in_days must be a whole number between 90 and 2560."
  }
}

variable "multi_region" {
  description = "Create a multi-Region primary key. Off by default: a single-Region key keeps the blast radius to one Region."
  type        = bool
  default     = false
  nullable    = false
}

variable "key_administrator_arns" {
  description = "IAM role or user ARNs that administer the key (describe, update policy, rotate, schedule deletion). They cannot encrypt or decrypt. At least one is required so the key can never be locked out."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.key_administrator_arns) > 0
    error_message = "key_administrator_arns must contain at least one ARN, otherwise nobody could ever manage the key."
  }

  validation {
    condition     = alltrue([for arn in var.key_administrator_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", arn))])
    error_message = "Each key_administrator_arns entry must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "key_user_arns" {
  description = "IAM role or user ARNs allowed to use the key for cryptographic operations, and to create grants for AWS resources (EBS, RDS, EKS need this)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.key_user_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", arn))])
    error_message = "Each key_user_arns entry must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>)."
  }
}

variable "service_principals" {
  description = "AWS services that call KMS as themselves and may use the key, scoped to this account: logs (CloudWatch Logs in this Region, limited to this account's log groups), cloudwatch (alarms publishing to encrypted SNS), events (EventBridge), sns, delivery.logs (VPC flow logs to S3), budgets and costalerts (AWS Budgets and Cost Anomaly Detection alerts publishing to encrypted SNS; the platform/finops module needs both on the monitoring topics' key), logging.s3 (S3 server access logs delivered to a bucket encrypted with this key)."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.service_principals : contains(["logs", "cloudwatch", "events", "sns", "delivery.logs", "budgets", "costalerts", "logging.s3"], s)])
    error_message = "service_principals entries must be among logs, cloudwatch, events, sns, delivery.logs, budgets, costalerts, logging.s3."
  }
}

variable "via_services" {
  description = "AWS services through which principals of this account may use the key (kms:ViaService + kms:CallerAccount), e.g. rds, ec2 (EBS), eks, s3, secretsmanager, sns, sqs, ssm. The caller still needs an IAM policy allowing it."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.via_services : contains(["rds", "ec2", "eks", "s3", "secretsmanager", "sns", "sqs", "ssm", "logs", "dynamodb", "elasticfilesystem"], s)])
    error_message = "via_services entries must be among rds, ec2, eks, s3, secretsmanager, sns, sqs, ssm, logs, dynamodb, elasticfilesystem."
  }
}

variable "allow_autoscaling_service_linked_role" {
  description = "Let the Auto Scaling service-linked role (AWSServiceRoleForAutoScaling) use the key and create grants for AWS resources, as EC2 Auto Scaling needs to launch instances (e.g. EKS managed nodes) whose EBS volumes are encrypted with this key. The role must exist when the key policy is written: set create_autoscaling_service_linked_role in a fresh account."
  type        = bool
  default     = false
  nullable    = false
}

variable "create_autoscaling_service_linked_role" {
  description = "Create the Auto Scaling service-linked role before the key policy names it (a fresh account has none until its first Auto Scaling group). Leave false where it already exists: creating it twice fails."
  type        = bool
  default     = false
  nullable    = false

  validation {
    condition     = !var.create_autoscaling_service_linked_role || var.allow_autoscaling_service_linked_role
    error_message = "create_autoscaling_service_linked_role needs allow_autoscaling_service_linked_role = true."
  }
}

variable "allow_iam_policy_delegation" {
  description = "WEAKENS the key policy: adds the account-root statement so any IAM policy in the account can grant use of the key. Off by default: only the principals named here get access."
  type        = bool
  default     = false
  nullable    = false
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

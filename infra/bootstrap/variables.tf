variable "account_id" {
  description = "The AWS account being bootstrapped; the provider refuses any other."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID."
  }
}

variable "region" {
  description = "Region of the state bucket (and of the environments' backends)."
  type        = string
  nullable    = false
}

variable "name_prefix" {
  description = "Prefix of the bucket, key alias, lock table and IAM names (the boundary becomes <name_prefix>-boundary)."
  type        = string
  default     = "platform"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name_prefix))
    error_message = "name_prefix must be 2-20 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "environment" {
  description = "FinOps environment tag of the bootstrap resources: the environment this account hosts (dev or staging)."
  type        = string
  nullable    = false

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "finops_tags" {
  description = "cost_center, application and owner tag values of the bootstrap resources."
  type = object({
    cost_center = string
    application = string
    owner       = string
  })
  nullable = false
}

variable "github_repository" {
  description = "The repository whose workflows plan and apply (owner/repo)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/repo."
  }
}

variable "apply_environments" {
  description = "GitHub environments that apply into this account (each gets an apply role trusting exactly repo:<repository>:environment:<env>)."
  type        = set(string)
  nullable    = false

  validation {
    condition     = length(var.apply_environments) > 0 && alltrue([for e in var.apply_environments : contains(["dev", "staging", "prod"], e)])
    error_message = "apply_environments must be a non-empty subset of dev, staging, prod."
  }
}

variable "gated_environments" {
  description = "Those apply_environments whose apply waits for a reviewer: each gets a read-only role for the fresh plan shown before approval, trusting exactly repo:<repository>:environment:<env>-plan."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for e in var.gated_environments : contains(var.apply_environments, e)])
    error_message = "gated_environments must be a subset of apply_environments."
  }
}

variable "kms_administrator_arns" {
  description = "Roles administering the state key: the administrator running this bootstrap and a break-glass role."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.kms_administrator_arns) > 0 && alltrue([for a in var.kms_administrator_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "kms_administrator_arns must be a non-empty list of IAM role ARNs."
  }
}

variable "state_noncurrent_version_days" {
  description = "Days an overwritten state version is kept before it expires (recovery window for a bad apply)."
  type        = number
  default     = 90
  nullable    = false

  validation {
    condition     = var.state_noncurrent_version_days >= 30 && var.state_noncurrent_version_days <= 3650
    error_message = "state_noncurrent_version_days must be between 30 and 3650."
  }
}

variable "access_log_retention_days" {
  description = "Days the state bucket's S3 server access logs are kept."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = var.access_log_retention_days >= 90
    error_message = "access_log_retention_days must be at least 90."
  }
}

variable "create_dynamodb_lock_table" {
  description = "Also create a DynamoDB lock table, for tooling older than Terraform 1.11 (dynamodb_table in the backend). S3-native locking (use_lockfile) needs none."
  type        = bool
  default     = false
  nullable    = false
}

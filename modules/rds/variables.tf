variable "name" {
  description = "Identifier of the DB instance; also names the subnet group, security group, parameter group, log groups and monitoring role."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,52}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name must be 2-54 characters of lowercase letters, digits and single hyphens, start with a letter and not end with a hyphen."
  }
}

variable "engine_version" {
  description = "PostgreSQL engine version, major or major.minor (e.g. \"17\" or \"17.5\"). The parameter group family is derived from the major version."
  type        = string
  default     = "17"
  nullable    = false
  validation {
    condition     = can(regex("^(1[3-9]|[2-9][0-9])(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be a supported PostgreSQL version (major 13 or later), e.g. \"17\" or \"17.5\"."
  }
}

variable "allow_major_version_upgrade" {
  description = "Allow a change of engine_version to a new major version. Leave false except during a planned upgrade."
  type        = bool
  default     = false
  nullable    = false
}

variable "instance_class" {
  description = "DB instance class, e.g. db.t4g.medium or db.m7g.large."
  type        = string
  default     = "db.t4g.medium"
  nullable    = false
  validation {
    condition     = can(regex("^db\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must look like db.<family>.<size>, e.g. db.t4g.medium."
  }
}

variable "ca_cert_identifier" {
  description = "Certificate authority of the server certificate clients verify."
  type        = string
  default     = "rds-ca-rsa2048-g1"
  nullable    = false
  validation {
    condition     = contains(["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"], var.ca_cert_identifier)
    error_message = "ca_cert_identifier must be one of rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1."
  }
}

variable "db_name" {
  description = "Name of the database created in the instance."
  type        = string
  default     = "app"
  nullable    = false
  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,62}$", var.db_name)) && !contains(["postgres", "template0", "template1", "rdsadmin"], lower(var.db_name))
    error_message = "db_name must be 1-63 letters, digits or underscores, start with a letter and not be a reserved name (postgres, template0, template1, rdsadmin)."
  }
}

variable "username" {
  description = "Master user name. Its password is generated and rotated by RDS in Secrets Manager; it is never in state."
  type        = string
  default     = "dbadmin"
  nullable    = false
  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,62}$", var.username)) && !contains(["postgres", "admin", "rdsadmin", "root"], lower(var.username))
    error_message = "username must be 1-63 letters, digits or underscores, start with a letter and not be a well-known default (postgres, admin, rdsadmin, root)."
  }
}

variable "port" {
  description = "TCP port the database listens on."
  type        = number
  default     = 5432
  nullable    = false
  validation {
    condition     = var.port >= 1150 && var.port <= 65535 && floor(var.port) == var.port
    error_message = "port must be an integer between 1150 and 65535."
  }
}

variable "iam_database_authentication_enabled" {
  description = "Allow IAM database authentication (short-lived tokens instead of passwords)."
  type        = bool
  default     = true
  nullable    = false
}

variable "allocated_storage" {
  description = "Initial storage in GiB."
  type        = number
  default     = 20
  nullable    = false
  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536 && floor(var.allocated_storage) == var.allocated_storage
    error_message = "allocated_storage must be an integer between 20 and 65536 GiB."
  }
}

variable "max_allocated_storage" {
  description = "Ceiling in GiB for storage autoscaling; 0 disables autoscaling. Caps the storage bill."
  type        = number
  default     = 100
  nullable    = false
  validation {
    condition     = var.max_allocated_storage == 0 || (var.max_allocated_storage >= var.allocated_storage && var.max_allocated_storage <= 65536)
    error_message = "max_allocated_storage must be 0 (no autoscaling) or between allocated_storage and 65536."
  }
}

variable "storage_type" {
  description = "Storage type: gp3 (default), gp2, io1 or io2."
  type        = string
  default     = "gp3"
  nullable    = false
  validation {
    condition     = contains(["gp2", "gp3", "io1", "io2"], var.storage_type)
    error_message = "storage_type must be one of gp2, gp3, io1 or io2."
  }
}

variable "iops" {
  description = "Provisioned IOPS for io1/io2 (required there) or gp3 at 400 GiB and above; null to use the baseline."
  type        = number
  default     = null
  validation {
    condition     = var.iops == null || (contains(["io1", "io2", "gp3"], var.storage_type) && try(var.iops >= 1000 && var.iops <= 256000, false))
    error_message = "iops may only be set for io1, io2 or gp3 storage and must be between 1000 and 256000."
  }
  validation {
    condition     = !contains(["io1", "io2"], var.storage_type) || var.iops != null
    error_message = "iops is required when storage_type is io1 or io2."
  }
  validation {
    condition     = var.storage_type != "gp3" || var.iops == null || (var.allocated_storage >= 400 && try(var.iops >= 12000 && var.iops <= 64000, false))
    error_message = "gp3 iops can be provisioned only from 400 GiB of allocated_storage, between 12000 and 64000 (PostgreSQL); below 400 GiB gp3 has a fixed 3000 IOPS baseline: leave iops null."
  }
}

variable "vpc_id" {
  description = "VPC of the database (the vpc module's vpc_id)."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "db_subnet_group_name" {
  description = "Existing private DB subnet group to use (the vpc module's database_subnet_group_name). Set this or subnet_ids, not both."
  type        = string
  default     = ""
  nullable    = false
  validation {
    condition     = var.db_subnet_group_name == "" || can(regex("^[a-z0-9][a-z0-9 ._-]{0,254}$", var.db_subnet_group_name))
    error_message = "db_subnet_group_name must be a DB subnet group name (lowercase letters, digits, spaces, periods, underscores, hyphens)."
  }
  validation {
    condition     = (var.db_subnet_group_name == "") != (length(var.subnet_ids) == 0)
    error_message = "Set exactly one of db_subnet_group_name or subnet_ids."
  }
}

variable "subnet_ids" {
  description = "Private subnet ids (at least two AZs) for a subnet group created by this module (the vpc module's database_subnet_ids). Set this or db_subnet_group_name, not both."
  type        = list(string)
  default     = []
  nullable    = false
  validation {
    condition     = alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must contain subnet ids such as subnet-0123456789abcdef0."
  }
  validation {
    condition     = length(var.subnet_ids) == 0 || length(distinct(var.subnet_ids)) >= 2
    error_message = "subnet_ids must list at least two distinct subnets (RDS requires two AZs)."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups (e.g. the ec2 or eks node security groups) allowed to connect on the database port. No CIDR ingress is ever opened."
  type        = list(string)
  default     = []
  nullable    = false
  validation {
    condition     = alltrue([for s in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "allowed_security_group_ids must contain security group ids such as sg-0123456789abcdef0."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key (the kms module's key_arn) for storage, the master-user secret, Performance Insights and the log groups. Its policy must allow use via rds and secretsmanager, and the CloudWatch Logs service principal."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases are not accepted."
  }
}

variable "multi_az" {
  description = "Run a synchronous standby in a second AZ. Setting false halves the instance cost but loses automatic failover; meant for dev only."
  type        = bool
  default     = true
  nullable    = false
}

variable "deletion_protection" {
  description = "Refuse DeleteDBInstance. Set false only for the apply that destroys the instance on purpose."
  type        = bool
  default     = true
  nullable    = false
}

variable "backup_retention_period" {
  description = "Days of automated backups and point-in-time recovery (7-35)."
  type        = number
  default     = 14
  nullable    = false
  validation {
    condition     = var.backup_retention_period >= 7 && var.backup_retention_period <= 35 && floor(var.backup_retention_period) == var.backup_retention_period
    error_message = "backup_retention_period must be an integer between 7 and 35 days."
  }
}

variable "backup_window" {
  description = "Daily UTC backup window hh24:mi-hh24:mi; must not overlap maintenance_window."
  type        = string
  default     = "02:00-03:00"
  nullable    = false
  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.backup_window))
    error_message = "backup_window must be hh24:mi-hh24:mi in UTC, e.g. 02:00-03:00."
  }
}

variable "maintenance_window" {
  description = "Weekly UTC maintenance window ddd:hh24:mi-ddd:hh24:mi."
  type        = string
  default     = "sun:04:00-sun:05:00"
  nullable    = false
  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must be ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. sun:04:00-sun:05:00."
  }
}

variable "apply_immediately" {
  description = "Apply modifications now instead of in the next maintenance window."
  type        = bool
  default     = false
  nullable    = false
}

variable "performance_insights_retention_period" {
  description = "Days Performance Insights data is kept: 7 (free tier), 731, or a multiple of 31."
  type        = number
  default     = 7
  nullable    = false
  validation {
    condition     = var.performance_insights_retention_period == 7 || var.performance_insights_retention_period == 731 || (var.performance_insights_retention_period % 31 == 0 && var.performance_insights_retention_period >= 31 && var.performance_insights_retention_period <= 713)
    error_message = "performance_insights_retention_period must be 7, 731, or a multiple of 31 between 31 and 713."
  }
}

variable "monitoring_interval" {
  description = "Enhanced monitoring granularity in seconds."
  type        = number
  default     = 60
  nullable    = false
  validation {
    condition     = contains([1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 1, 5, 10, 15, 30 or 60 seconds."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the IAM policy set as permissions boundary on the enhanced-monitoring role (the iam module's boundary_policy_arn)."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
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

variable "log_retention_in_days" {
  description = "Retention of the exported postgresql and upgrade log groups."
  type        = number
  default     = 365
  nullable    = false
  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a CloudWatch retention of at least one year: 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "log_statement" {
  description = "PostgreSQL log_statement: which statements are always logged (ddl by default; all may log sensitive data)."
  type        = string
  default     = "ddl"
  nullable    = false
  validation {
    condition     = contains(["none", "ddl", "mod", "all"], var.log_statement)
    error_message = "log_statement must be one of none, ddl, mod or all."
  }
}

variable "log_min_duration_statement_ms" {
  description = "PostgreSQL log_min_duration_statement in milliseconds: statements slower than this are logged; -1 disables."
  type        = number
  default     = 1000
  nullable    = false
  validation {
    condition     = var.log_min_duration_statement_ms >= -1 && floor(var.log_min_duration_statement_ms) == var.log_min_duration_statement_ms
    error_message = "log_min_duration_statement_ms must be an integer >= -1."
  }
}

variable "parameters" {
  description = "Additional parameters for the DB parameter group. The security-relevant ones this module sets (rds.force_ssl, log_statement, log_min_duration_statement, log_connections, log_disconnections) cannot be overridden here."
  type = list(object({
    name         = string
    value        = string
    apply_method = optional(string, "immediate")
  }))
  default  = []
  nullable = false
  validation {
    condition     = alltrue([for p in var.parameters : !contains(["rds.force_ssl", "log_statement", "log_min_duration_statement", "log_connections", "log_disconnections"], p.name)])
    error_message = "parameters must not set rds.force_ssl, log_statement, log_min_duration_statement, log_connections or log_disconnections; use the dedicated inputs."
  }
  validation {
    condition     = alltrue([for p in var.parameters : contains(["immediate", "pending-reboot"], p.apply_method)])
    error_message = "parameters[*].apply_method must be immediate or pending-reboot."
  }
  validation {
    condition     = length(distinct([for p in var.parameters : p.name])) == length(var.parameters)
    error_message = "parameters must not list the same name twice."
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

# What differs between environments. Everything else (the wiring, the module versions, the
# FinOps tag keys, the secure defaults) is fixed in this module so dev and staging cannot drift.

variable "name" {
  description = "Short name of the environment's resources (e.g. platform-dev): prefix of the VPC, cluster, hosts, database, topics and buckets."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,19}$", var.name))
    error_message = "name must be 3-20 lowercase letters, digits or '-', starting with a letter (it prefixes IAM role names, which the iam module limits)."
  }
}

variable "environment" {
  description = "The environment this is: dev or staging (prod later). Becomes the FinOps environment tag and selects the matching GitHub apply role."
  type        = string
  nullable    = false

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "finops_tags" {
  description = "The FinOps tag values other than environment (which comes from var.environment): cost_center, application and owner, all non-empty."
  type = object({
    cost_center = string
    application = string
    owner       = string
  })
  nullable = false

  validation {
    condition     = alltrue([for v in values(var.finops_tags) : trimspace(v) != ""])
    error_message = "finops_tags.cost_center, application and owner must all be non-empty."
  }
}

variable "permissions_boundary_arn" {
  description = "The permissions boundary of this account, created by infra/bootstrap (output boundary_policy_arn). Every role the modules create carries it, because the apply role may only create roles that do."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (infra/bootstrap output boundary_policy_arn)."
  }
}

variable "kms_administrator_arns" {
  description = "Roles that administer the environment's KMS keys: the environment's GitHub apply role (infra/bootstrap output github_apply_role_arns) and a break-glass role. AWS refuses a key policy that locks out the identity creating it."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.kms_administrator_arns) > 0 && alltrue([for a in var.kms_administrator_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "kms_administrator_arns must be a non-empty list of IAM role ARNs."
  }
}

variable "cluster_admin_role_arns" {
  description = "IAM roles given cluster-admin on the EKS cluster through access entries, keyed by a short name. Include the GitHub apply role: it installs eks-monitoring through Helm."
  type        = map(string)
  nullable    = false

  validation {
    condition     = alltrue([for k, a in var.cluster_admin_role_arns : can(regex("^[a-z0-9-]{1,32}$", k)) && can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "cluster_admin_role_arns keys must be short lowercase names and values IAM role ARNs (arn:aws:iam::<account>:role/<path/name>, never assumed-role ARNs)."
  }
}

variable "network" {
  description = "The VPC: CIDR, Availability Zones, subnets per tier (one per AZ), the NAT gateway mode (single or per_az) and the interface endpoints that let EKS nodes run without internet egress."
  type = object({
    cidr_block       = string
    azs              = list(string)
    public_subnets   = list(string)
    private_subnets  = list(string)
    database_subnets = list(string)
    nat_gateway_mode = string
    # Interface endpoints (service names after com.amazonaws.<region>.); none: nodes use NAT.
    interface_endpoints = optional(set(string), [])
  })
  nullable = false

  validation {
    condition     = contains(["single", "per_az"], var.network.nat_gateway_mode)
    error_message = "network.nat_gateway_mode must be single or per_az."
  }

  validation {
    condition     = length(var.network.database_subnets) >= 2 && alltrue([for c in var.network.database_subnets : can(cidrhost(c, 0))])
    error_message = "network.database_subnets must list at least two CIDR blocks (RDS needs two AZs even without Multi-AZ)."
  }
}

variable "cluster" {
  description = "The frontend EKS cluster: Kubernetes version and managed node groups (instance types and sizes)."
  type = object({
    kubernetes_version = string
    node_groups = map(object({
      instance_types = list(string)
      min_size       = number
      desired_size   = number
      max_size       = number
      capacity_type  = optional(string, "ON_DEMAND")
    }))
  })
  nullable = false

  validation {
    condition     = length(var.cluster.node_groups) > 0
    error_message = "cluster.node_groups must define at least one node group."
  }
}

variable "backend" {
  description = "The backend application hosts (platform/ec2): how many, which instance type, and the application port the frontends call."
  type = object({
    instance_count = number
    instance_type  = string
    app_port       = optional(number, 8080)
  })
  nullable = false

  validation {
    condition     = var.backend.instance_count >= 1 && var.backend.instance_count <= 20
    error_message = "backend.instance_count must be between 1 and 20."
  }
}

variable "database" {
  description = "The PostgreSQL instance (platform/rds): class, storage, Multi-AZ, backups, deletion protection and max_connections (for the connections alarm)."
  type = object({
    instance_class          = string
    allocated_storage       = number
    max_allocated_storage   = number
    multi_az                = bool
    backup_retention_period = number
    deletion_protection     = bool
    max_connections         = number
  })
  nullable = false

  validation {
    condition     = var.database.max_allocated_storage >= var.database.allocated_storage
    error_message = "database.max_allocated_storage must be at least allocated_storage."
  }
}

variable "alerts" {
  description = "Who is told, per severity: e-mail addresses and HTTPS endpoints (AWS Chatbot, PagerDuty) subscribed to the critical, warning and info topics."
  type = object({
    email = optional(object({
      critical = optional(list(string), [])
      warning  = optional(list(string), [])
      info     = optional(list(string), [])
    }), {})
    https = optional(object({
      critical = optional(list(string), [])
      warning  = optional(list(string), [])
      info     = optional(list(string), [])
    }), {})
  })
  nullable = false
}

variable "prometheus" {
  description = "In-cluster Prometheus sizing (eks-monitoring): replicas, retention and volume size."
  type = object({
    replicas       = number
    retention_days = number
    storage_gb     = number
  })
  nullable = false
}

variable "finops" {
  description = "Cost guardrails: the monthly budget of this environment, the anomaly alert threshold, and whether this account activates cost allocation tags and the CUR export (payer or billing-enabled accounts only)."
  type = object({
    monthly_budget_usd            = number
    anomaly_threshold_usd         = number
    activate_cost_allocation_tags = bool
    cost_export                   = bool
  })
  nullable = false

  validation {
    condition     = var.finops.monthly_budget_usd > 0 && var.finops.anomaly_threshold_usd > 0
    error_message = "finops.monthly_budget_usd and anomaly_threshold_usd must be positive."
  }
}

variable "create_autoscaling_service_linked_role" {
  description = "Create the Auto Scaling service-linked role before the KMS key policy names it: true only in a fresh account that has never run an Auto Scaling group (creating it twice fails)."
  type        = bool
  default     = false
  nullable    = false
}

variable "record_global_resources" {
  description = "Whether this environment's AWS Config recorder records global resource types (IAM). Exactly one Region per account should."
  type        = bool
  default     = true
  nullable    = false
}

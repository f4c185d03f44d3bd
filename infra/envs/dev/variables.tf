# The root's inputs, set in terraform.tfvars. Types only: every rule on the values is checked
# once, in infra/envs/platform/variables.tf, whose descriptions say what each one means.

variable "account_id" {
  description = "The AWS account this environment lives in; the providers refuse to run against any other."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID."
  }
}

variable "region" {
  description = "The AWS Region of the environment (finops runs in us-east-1 regardless)."
  type        = string
}

variable "name" {
  description = "Short name of the environment's resources (e.g. platform-dev)."
  type        = string
}

variable "environment" {
  description = "dev or staging: the FinOps environment tag."
  type        = string
}

variable "finops_tags" {
  description = "cost_center, application and owner tag values."
  type = object({
    cost_center = string
    application = string
    owner       = string
  })
}

variable "permissions_boundary_arn" {
  description = "The account's permissions boundary (infra/bootstrap output boundary_policy_arn)."
  type        = string
}

variable "kms_administrator_arns" {
  description = "Administrators of the environment's KMS keys (the apply role and a break-glass role)."
  type        = list(string)
}

variable "cluster_admin_role_arns" {
  description = "Roles given cluster-admin on the EKS cluster, keyed by a short name."
  type        = map(string)
}

variable "network" {
  description = "VPC CIDR, AZs, subnets per tier and NAT gateway mode."
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
}

variable "cluster" {
  description = "Kubernetes version and managed node groups of the frontend cluster."
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
}

variable "backend" {
  description = "Count and type of the backend hosts, and their application port."
  type = object({
    instance_count = number
    instance_type  = string
    app_port       = optional(number, 8080)
  })
}

variable "database" {
  description = "PostgreSQL class, storage, Multi-AZ, backups, deletion protection and max_connections."
  type = object({
    instance_class          = string
    allocated_storage       = number
    max_allocated_storage   = number
    multi_az                = bool
    backup_retention_period = number
    deletion_protection     = bool
    max_connections         = number
  })
}

variable "alerts" {
  description = "E-mail and HTTPS subscribers per severity."
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
}

variable "prometheus" {
  description = "In-cluster Prometheus replicas, retention and volume size."
  type = object({
    replicas       = number
    retention_days = number
    storage_gb     = number
  })
}

variable "finops" {
  description = "Monthly budget, anomaly threshold, and the payer-only cost allocation tag and CUR switches."
  type = object({
    monthly_budget_usd            = number
    anomaly_threshold_usd         = number
    activate_cost_allocation_tags = bool
    cost_export                   = bool
  })
}

variable "create_autoscaling_service_linked_role" {
  description = "Create the Auto Scaling service-linked role (a fresh account only)."
  type        = bool
}

variable "record_global_resources" {
  description = "Whether this environment's AWS Config recorder records IAM (one Region per account)."
  type        = bool
}

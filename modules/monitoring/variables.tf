variable "name" {
  description = "Name prefix for the SNS topics, alarms and dashboard (e.g. \"shop-prod\"). 1-40 characters: letters, digits, '-' and '_'."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$", var.name))
    error_message = "name must be 1-40 characters of letters, digits, '-' or '_', starting with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key (platform/kms output key_arn) that encrypts the SNS topics. Its key policy must let cloudwatch.amazonaws.com (and budgets.amazonaws.com / costalerts.amazonaws.com if finops publishes here) use kms:GenerateDataKey* and kms:Decrypt: the AWS-managed alias/aws/sns key cannot be used by CloudWatch alarms."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias."
  }
}

variable "email_subscriptions" {
  description = "E-mail addresses subscribed to each severity topic. Each address must confirm the subscription from the AWS e-mail."
  type = object({
    critical = optional(list(string), [])
    warning  = optional(list(string), [])
    info     = optional(list(string), [])
  })
  default  = {}
  nullable = false

  validation {
    condition = alltrue([
      for e in concat(var.email_subscriptions.critical, var.email_subscriptions.warning, var.email_subscriptions.info) :
      can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$", e))
    ])
    error_message = "email_subscriptions must contain valid e-mail addresses (name@domain.tld)."
  }
}

variable "https_subscriptions" {
  description = "HTTPS endpoints (e.g. a Slack/Chatbot or incident-tool webhook) subscribed to each severity topic. Only https:// URLs are accepted: alert payloads must not travel in clear text."
  type = object({
    critical = optional(list(string), [])
    warning  = optional(list(string), [])
    info     = optional(list(string), [])
  })
  default  = {}
  nullable = false

  validation {
    condition = alltrue([
      for u in concat(var.https_subscriptions.critical, var.https_subscriptions.warning, var.https_subscriptions.info) :
      can(regex("^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\\s]*)?$", u))
    ])
    error_message = "https_subscriptions must contain https:// URLs (http:// is refused)."
  }
}

variable "topic_publisher_services" {
  description = "AWS service principals allowed to publish to the topics (always scoped to this account with aws:SourceAccount). CloudWatch is needed for alarms, budgets and costalerts for the finops module's budgets and anomaly alerts, events for EventBridge rules."
  type        = set(string)
  default     = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "costalerts.amazonaws.com"]
  nullable    = false

  validation {
    condition = alltrue([for s in var.topic_publisher_services : contains([
      "cloudwatch.amazonaws.com", "budgets.amazonaws.com", "costalerts.amazonaws.com", "events.amazonaws.com", "config.amazonaws.com",
    ], s)])
    error_message = "topic_publisher_services may only contain cloudwatch.amazonaws.com, budgets.amazonaws.com, costalerts.amazonaws.com, events.amazonaws.com or config.amazonaws.com."
  }
}

variable "ec2_instances" {
  description = "EC2 instances to alarm on, keyed by a short stable name. burstable = true adds a CPUCreditBalance alarm (t3/t4g). auto_recover = true adds the EC2 recover action to the system status-check alarm."
  type = map(object({
    instance_id  = string
    burstable    = optional(bool, false)
    auto_recover = optional(bool, true)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for i in values(var.ec2_instances) : can(regex("^i-[0-9a-f]{8,17}$", i.instance_id))])
    error_message = "ec2_instances[*].instance_id must be an EC2 instance id (i-0123456789abcdef0)."
  }
}

variable "rds_instances" {
  description = "RDS PostgreSQL instances to alarm on, keyed by a short stable name. allocated_storage_gb and max_connections turn the percentage thresholds into absolute values; is_replica = true adds a ReplicaLag alarm."
  type = map(object({
    identifier           = string
    allocated_storage_gb = number
    max_connections      = number
    is_replica           = optional(bool, false)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for r in values(var.rds_instances) : can(regex("^[a-z][a-z0-9-]{0,62}$", r.identifier))])
    error_message = "rds_instances[*].identifier must be an RDS DB instance identifier (lower-case letter first, then letters, digits, '-')."
  }
  validation {
    condition     = alltrue([for r in values(var.rds_instances) : r.allocated_storage_gb >= 20 && r.allocated_storage_gb <= 65536 && r.max_connections >= 1 && r.max_connections <= 262143])
    error_message = "rds_instances[*].allocated_storage_gb must be 20-65536 and max_connections 1-262143."
  }
}

variable "albs" {
  description = "Application Load Balancers (e.g. in front of the EKS ingress or the EC2 backends) to alarm on, keyed by a short name. Use the ARN suffixes (aws_lb.arn_suffix, aws_lb_target_group.arn_suffix), which are the CloudWatch dimensions."
  type = map(object({
    load_balancer_arn_suffix = string
    target_group_arn_suffix  = string
  }))
  default  = {}
  nullable = false

  validation {
    condition = alltrue([for a in values(var.albs) :
      can(regex("^app/[A-Za-z0-9-]+/[0-9a-f]+$", a.load_balancer_arn_suffix)) && can(regex("^targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$", a.target_group_arn_suffix))
    ])
    error_message = "albs[*] must use ARN suffixes: load_balancer_arn_suffix app/<name>/<id>, target_group_arn_suffix targetgroup/<name>/<id>."
  }
}

variable "eks_cluster_names" {
  description = "EKS clusters with Container Insights enabled to alarm on (failed nodes, node CPU and memory)."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for c in var.eks_cluster_names : can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", c))])
    error_message = "eks_cluster_names must be EKS cluster names (1-100 characters: letters, digits, '-', '_')."
  }
}

variable "thresholds" {
  description = "Alarm thresholds. Defaults follow AWS's recommended alarms; every value is range-checked."
  type = object({
    ec2_cpu_percent              = optional(number, 80)
    ec2_cpu_credit_balance       = optional(number, 50)
    rds_cpu_percent              = optional(number, 80)
    rds_free_storage_percent     = optional(number, 10)
    rds_freeable_memory_mb       = optional(number, 256)
    rds_connections_percent      = optional(number, 80)
    rds_read_latency_seconds     = optional(number, 0.02)
    rds_write_latency_seconds    = optional(number, 0.02)
    rds_replica_lag_seconds      = optional(number, 60)
    alb_target_5xx_percent       = optional(number, 5)
    alb_target_response_time_p99 = optional(number, 2)
    eks_node_cpu_percent         = optional(number, 80)
    eks_node_memory_percent      = optional(number, 80)
    eks_failed_node_count        = optional(number, 0)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.thresholds.ec2_cpu_percent >= 1 && var.thresholds.ec2_cpu_percent <= 100
    error_message = "thresholds.ec2_cpu_percent must be between 1 and 100."
  }
  validation {
    condition     = var.thresholds.ec2_cpu_credit_balance >= 0 && var.thresholds.ec2_cpu_credit_balance <= 4000
    error_message = "thresholds.ec2_cpu_credit_balance must be between 0 and 4000 credits."
  }
  validation {
    condition     = var.thresholds.rds_cpu_percent >= 1 && var.thresholds.rds_cpu_percent <= 100
    error_message = "thresholds.rds_cpu_percent must be between 1 and 100."
  }
  validation {
    condition     = var.thresholds.rds_free_storage_percent >= 1 && var.thresholds.rds_free_storage_percent <= 50
    error_message = "thresholds.rds_free_storage_percent must be between 1 and 50."
  }
  validation {
    condition     = var.thresholds.rds_freeable_memory_mb >= 16 && var.thresholds.rds_freeable_memory_mb <= 65536
    error_message = "thresholds.rds_freeable_memory_mb must be between 16 and 65536."
  }
  validation {
    condition     = var.thresholds.rds_connections_percent >= 10 && var.thresholds.rds_connections_percent <= 100
    error_message = "thresholds.rds_connections_percent must be between 10 and 100."
  }
  validation {
    condition     = var.thresholds.rds_read_latency_seconds > 0 && var.thresholds.rds_read_latency_seconds <= 10 && var.thresholds.rds_write_latency_seconds > 0 && var.thresholds.rds_write_latency_seconds <= 10
    error_message = "thresholds.rds_read_latency_seconds and rds_write_latency_seconds must be in (0, 10] seconds."
  }
  validation {
    condition     = var.thresholds.rds_replica_lag_seconds >= 1 && var.thresholds.rds_replica_lag_seconds <= 86400
    error_message = "thresholds.rds_replica_lag_seconds must be between 1 and 86400."
  }
  validation {
    condition     = var.thresholds.alb_target_5xx_percent > 0 && var.thresholds.alb_target_5xx_percent <= 100
    error_message = "thresholds.alb_target_5xx_percent must be in (0, 100]."
  }
  validation {
    condition     = var.thresholds.alb_target_response_time_p99 > 0 && var.thresholds.alb_target_response_time_p99 <= 60
    error_message = "thresholds.alb_target_response_time_p99 must be in (0, 60] seconds."
  }
  validation {
    condition     = var.thresholds.eks_node_cpu_percent >= 1 && var.thresholds.eks_node_cpu_percent <= 100 && var.thresholds.eks_node_memory_percent >= 1 && var.thresholds.eks_node_memory_percent <= 100
    error_message = "thresholds.eks_node_cpu_percent and eks_node_memory_percent must be between 1 and 100."
  }
  validation {
    condition     = var.thresholds.eks_failed_node_count >= 0 && var.thresholds.eks_failed_node_count <= 100 && floor(var.thresholds.eks_failed_node_count) == var.thresholds.eks_failed_node_count
    error_message = "thresholds.eks_failed_node_count must be a whole number between 0 and 100."
  }
}

variable "evaluation" {
  description = "M-of-N evaluation shared by the metric alarms: period_seconds per datapoint, evaluation_periods (N) and datapoints_to_alarm (M). Defaults: 3 of 5 five-minute periods (15 of 25 minutes), as AWS recommends to avoid flapping."
  type = object({
    period_seconds      = optional(number, 300)
    evaluation_periods  = optional(number, 5)
    datapoints_to_alarm = optional(number, 3)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains([60, 300, 900, 3600], var.evaluation.period_seconds)
    error_message = "evaluation.period_seconds must be 60, 300, 900 or 3600."
  }
  validation {
    condition     = var.evaluation.evaluation_periods >= 1 && var.evaluation.evaluation_periods <= 24 && var.evaluation.datapoints_to_alarm >= 1 && var.evaluation.datapoints_to_alarm <= var.evaluation.evaluation_periods
    error_message = "evaluation.evaluation_periods must be 1-24 and datapoints_to_alarm between 1 and evaluation_periods."
  }
}

variable "create_dashboard" {
  description = "Create a CloudWatch dashboard for the application (named <application>-<environment> from the tags) showing the monitored EC2, RDS, ALB and EKS metrics."
  type        = bool
  default     = true
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

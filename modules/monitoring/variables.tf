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

variable "ec2_host_alarms" {
  description = "Further alarms per ec2_instances key (same keys): network_in/network_out_bytes_per_second alarm when the average received/sent rate over a period stays above it (set it below the instance type's sustained bandwidth), memory_used_percent on the CloudWatch agent's mem_used_percent. Memory needs the CloudWatch agent on the host (platform/iam ec2_roles enable_cloudwatch_agent) publishing to agent_namespace with an InstanceId dimension (append_dimensions InstanceId, aggregation_dimensions [[\"InstanceId\"]]); without it the alarm stays INSUFFICIENT_DATA."
  type = map(object({
    network_in_bytes_per_second  = optional(number)
    network_out_bytes_per_second = optional(number)
    memory_used_percent          = optional(number)
    agent_namespace              = optional(string, "CWAgent")
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k in keys(var.ec2_host_alarms) : contains(keys(var.ec2_instances), k)])
    error_message = "ec2_host_alarms keys must be ec2_instances keys."
  }

  validation {
    condition = alltrue([for a in values(var.ec2_host_alarms) : alltrue([
      a.network_in_bytes_per_second == null || try(a.network_in_bytes_per_second > 0, false),
      a.network_out_bytes_per_second == null || try(a.network_out_bytes_per_second > 0, false),
      a.memory_used_percent == null || try(a.memory_used_percent >= 1 && a.memory_used_percent <= 100, false),
      a.network_in_bytes_per_second != null || a.network_out_bytes_per_second != null || a.memory_used_percent != null,
    ])])
    error_message = "ec2_host_alarms: network thresholds must be positive bytes per second, memory_used_percent between 1 and 100, and each entry needs at least one of them."
  }

  validation {
    condition     = alltrue([for a in values(var.ec2_host_alarms) : can(regex("^[A-Za-z0-9/_.#:-]{1,255}$", a.agent_namespace)) && !startswith(a.agent_namespace, "AWS/")])
    error_message = "ec2_host_alarms agent_namespace must be a custom CloudWatch namespace (not AWS/...), e.g. CWAgent."
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

variable "slack_channels" {
  description = "Slack channels that receive the severity topics through AWS Chatbot, keyed by a short name. The Slack workspace (slack_team_id) must have been authorised once in the AWS Chatbot console; invite the AWS app to the channel (slack_channel_id, from the channel's details). The channel role can only read CloudWatch, and channel members act with their own permissions, capped by that guardrail."
  type = map(object({
    slack_team_id    = string
    slack_channel_id = string
    severities       = optional(set(string), ["critical", "warning"])
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k, c in var.slack_channels : can(regex("^[a-z0-9-]{1,32}$", k)) && can(regex("^T[A-Z0-9]{8,12}$", c.slack_team_id)) && can(regex("^[CG][A-Z0-9]{8,12}$", c.slack_channel_id))])
    error_message = "slack_channels keys are 1-32 of a-z, 0-9, '-'; slack_team_id looks like T0123ABCD and slack_channel_id like C0123ABCDEF (not the channel name)."
  }

  validation {
    condition     = alltrue([for c in values(var.slack_channels) : length(c.severities) > 0 && alltrue([for s in c.severities : contains(["critical", "warning", "info"], s)])])
    error_message = "slack_channels severities must be a non-empty subset of critical, warning, info."
  }
}

variable "trusted_advisor_alerts" {
  description = "Route Trusted Advisor check results (EventBridge, source aws.trustedadvisor) whose status is in statuses to the severity topic. AWS emits these events in us-east-1 only, so this instance of the module must run there; checks beyond the core security and service-quota ones need a Business or Enterprise support plan. null: off."
  type = object({
    statuses = optional(set(string), ["ERROR", "WARN"])
    severity = optional(string, "warning")
  })
  default = null

  validation {
    condition     = var.trusted_advisor_alerts == null || (length(try(var.trusted_advisor_alerts.statuses, [])) > 0 && alltrue([for s in try(var.trusted_advisor_alerts.statuses, []) : contains(["ERROR", "WARN", "OK"], s)]))
    error_message = "trusted_advisor_alerts.statuses must be a non-empty subset of ERROR, WARN, OK."
  }

  validation {
    condition     = var.trusted_advisor_alerts == null || contains(["critical", "warning", "info"], try(var.trusted_advisor_alerts.severity, ""))
    error_message = "trusted_advisor_alerts.severity must be critical, warning or info."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary (platform/iam output boundary_policy_arn) of the AWS Chatbot channel role; required when slack_channels is not empty."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)."
  }

  validation {
    condition     = length(var.slack_channels) == 0 || var.permissions_boundary_arn != null
    error_message = "slack_channels need permissions_boundary_arn: every role carries the platform boundary."
  }
}

variable "iam_path" {
  description = "IAM path of the AWS Chatbot channel role. Keep it equal to the platform/iam module's path (default /platform/): its permissions boundary lets the bounded apply role create and pass roles only under that path."
  type        = string
  default     = "/platform/"
  nullable    = false

  validation {
    condition     = can(regex("^/([A-Za-z0-9+=,.@_-]+/)+$", var.iam_path)) && length(var.iam_path) <= 512
    error_message = "iam_path must be a path below the root that starts and ends with '/' (e.g. /platform/): the platform boundary never lets the apply role create roles at /."
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

variable "name" {
  description = "Name prefix of the alarms (e.g. \"modreg-prod\")."
  type        = string
  default     = "modreg"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$", var.name))
    error_message = "name must be 1-40 characters of letters, digits, '-' or '_'."
  }
}

variable "load_balancer_arn_suffix" {
  description = "ARN suffix of the registry's Application Load Balancer (aws_lb.arn_suffix: app/<name>/<id>), the CloudWatch LoadBalancer dimension."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^app/[A-Za-z0-9-]+/[0-9a-f]+$", var.load_balancer_arn_suffix))
    error_message = "load_balancer_arn_suffix must look like app/<name>/<id> (aws_lb.arn_suffix), not a full ARN."
  }
}

variable "target_group_arn_suffix" {
  description = "ARN suffix of the registry replicas' target group (aws_lb_target_group.arn_suffix: targetgroup/<name>/<id>)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$", var.target_group_arn_suffix))
    error_message = "target_group_arn_suffix must look like targetgroup/<name>/<id> (aws_lb_target_group.arn_suffix), not a full ARN."
  }
}

variable "alert_topic_arns" {
  description = "SNS topics by severity (platform/monitoring output topic_arns): critical receives the 5xx-ratio and no-healthy-host alarms, warning the latency and unhealthy-host alarms."
  type        = map(string)
  nullable    = false

  validation {
    condition     = contains(keys(var.alert_topic_arns), "critical") && contains(keys(var.alert_topic_arns), "warning")
    error_message = "alert_topic_arns must contain the keys critical and warning."
  }
  validation {
    condition     = alltrue([for k, v in var.alert_topic_arns : contains(["critical", "warning", "info"], k) && can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", v))])
    error_message = "alert_topic_arns keys must be critical, warning or info and values SNS topic ARNs."
  }
}

variable "thresholds" {
  description = "Alarm thresholds: target_5xx_percent of requests answered 5xx by the replicas, p99_latency_seconds of target response time, min_healthy_hosts below which the registry is considered down."
  type = object({
    target_5xx_percent  = optional(number, 5)
    p99_latency_seconds = optional(number, 1)
    min_healthy_hosts   = optional(number, 1)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.thresholds.target_5xx_percent > 0 && var.thresholds.target_5xx_percent <= 100
    error_message = "thresholds.target_5xx_percent must be in (0, 100]."
  }
  validation {
    condition     = var.thresholds.p99_latency_seconds >= 0.01 && var.thresholds.p99_latency_seconds <= 60
    error_message = "thresholds.p99_latency_seconds must be between 0.01 and 60."
  }
  validation {
    condition     = var.thresholds.min_healthy_hosts >= 1 && var.thresholds.min_healthy_hosts <= 100 && floor(var.thresholds.min_healthy_hosts) == var.thresholds.min_healthy_hosts
    error_message = "thresholds.min_healthy_hosts must be a whole number between 1 and 100."
  }
}

variable "evaluation" {
  description = "M-of-N evaluation on one-minute datapoints: datapoints_to_alarm (M) out of evaluation_periods (N)."
  type = object({
    evaluation_periods  = optional(number, 5)
    datapoints_to_alarm = optional(number, 3)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.evaluation.evaluation_periods >= 1 && var.evaluation.evaluation_periods <= 60 && var.evaluation.datapoints_to_alarm >= 1 && var.evaluation.datapoints_to_alarm <= var.evaluation.evaluation_periods
    error_message = "evaluation.evaluation_periods must be 1-60 and datapoints_to_alarm between 1 and evaluation_periods."
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

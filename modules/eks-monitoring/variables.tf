variable "cluster_name" {
  description = "Name of the EKS cluster (platform/eks output cluster_name) the stack is installed on. The helm and kubernetes providers passed in must point at this cluster."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be an EKS cluster name (1-100 characters: letters, digits, '-', '_')."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (platform/eks output oidc_provider_arn), trusted by the IRSA roles for Grafana and Alertmanager."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/oidc\\.eks\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/id/[A-Za-z0-9]+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an EKS IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>)."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the Prometheus, Alertmanager and Grafana EBS volumes (gp3 StorageClass). The EBS CSI driver's role must be allowed to use it."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the IAM permissions boundary (platform/iam output boundary_policy_arn) attached to the IRSA roles this module creates."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
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

variable "alert_topic_arns" {
  description = "SNS topics Alertmanager routes to by the alert's severity label: pass the monitoring module's topic_arns output (keys critical, warning, info). Alerts without a known severity go to warning."
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

variable "alert_topics_kms_key_arn" {
  description = "ARN of the KMS key encrypting the alert SNS topics (the kms_key_arn given to monitoring); Alertmanager's role gets kms:GenerateDataKey* and kms:Decrypt on it to publish."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.alert_topics_kms_key_arn))
    error_message = "alert_topics_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "grafana_admin_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the Grafana admin credentials as JSON {\"username\": \"…\", \"password\": \"…\"}. Read through an ephemeral resource and passed write-only: never stored in state or plan."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$", var.grafana_admin_secret_arn))
    error_message = "grafana_admin_secret_arn must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)."
  }
}

variable "grafana_admin_secret_revision" {
  description = "Bump after rotating the Grafana admin secret: write-only values are only re-sent when this number changes."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.grafana_admin_secret_revision >= 1 && floor(var.grafana_admin_secret_revision) == var.grafana_admin_secret_revision
    error_message = "grafana_admin_secret_revision must be a whole number >= 1."
  }
}

variable "namespace" {
  description = "Kubernetes namespace created for the stack."
  type        = string
  default     = "monitoring"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace)) && !contains(["default", "kube-system", "kube-public", "kube-node-lease"], var.namespace)
    error_message = "namespace must be a DNS-1123 label and not a system namespace (default, kube-system, kube-public, kube-node-lease)."
  }
}

variable "chart_repository" {
  description = "Helm repository serving kube-prometheus-stack: the upstream HTTPS repository or an internal mirror (https:// or oci://)."
  type        = string
  default     = "https://prometheus-community.github.io/helm-charts"
  nullable    = false

  validation {
    condition     = can(regex("^(https|oci)://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\\s]*)?$", var.chart_repository))
    error_message = "chart_repository must be an https:// or oci:// URL."
  }
}

variable "chart_version" {
  description = "Exact kube-prometheus-stack chart version (pinned; upgrades are a reviewed change)."
  type        = string
  default     = "80.7.0"
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.chart_version))
    error_message = "chart_version must be an exact version (MAJOR.MINOR.PATCH), not a range."
  }
}

variable "prometheus" {
  description = "Prometheus sizing: retention_days of metrics kept, storage_gb per replica (gp3, CMK-encrypted; retention by size is capped at 90% of it), replicas (2 for HA)."
  type = object({
    retention_days = optional(number, 15)
    storage_gb     = optional(number, 50)
    replicas       = optional(number, 2)
    cpu_request    = optional(string, "500m")
    memory_request = optional(string, "2Gi")
    memory_limit   = optional(string, "4Gi")
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.prometheus.retention_days >= 1 && var.prometheus.retention_days <= 365 && floor(var.prometheus.retention_days) == var.prometheus.retention_days
    error_message = "prometheus.retention_days must be a whole number between 1 and 365."
  }
  validation {
    condition     = var.prometheus.storage_gb >= 10 && var.prometheus.storage_gb <= 16384 && floor(var.prometheus.storage_gb) == var.prometheus.storage_gb
    error_message = "prometheus.storage_gb must be a whole number between 10 and 16384."
  }
  validation {
    condition     = contains([1, 2, 3], var.prometheus.replicas)
    error_message = "prometheus.replicas must be 1, 2 or 3."
  }
  validation {
    condition     = can(regex("^[0-9]+(\\.[0-9]+)?m?$", var.prometheus.cpu_request)) && alltrue([for q in [var.prometheus.memory_request, var.prometheus.memory_limit] : can(regex("^[0-9]+(Mi|Gi)$", q))])
    error_message = "prometheus.cpu_request must be a CPU quantity (e.g. 500m, 1) and memory_request/memory_limit Mi or Gi quantities (e.g. 2Gi)."
  }
}

variable "prometheus_rule_files" {
  description = "Extra Prometheus rule files (Prometheus YAML with a top-level groups list) installed through the chart's additionalPrometheusRulesMap, keyed by a short name, e.g. { modreg = file(\"infra/observability/prometheus/modreg-rules.yml\") }."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k, v in var.prometheus_rule_files : can(regex("^[a-z0-9][a-z0-9-]{0,40}$", k)) && can(length(yamldecode(v).groups))])
    error_message = "prometheus_rule_files keys must be 1-41 lower-case letters, digits or '-', and values rule files with a top-level groups list."
  }
}

variable "alertmanager" {
  description = "Alertmanager sizing: replicas (2+ for HA gossip) and storage_gb for silences and notification state."
  type = object({
    replicas   = optional(number, 2)
    storage_gb = optional(number, 5)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains([1, 2, 3], var.alertmanager.replicas) && var.alertmanager.storage_gb >= 1 && var.alertmanager.storage_gb <= 100
    error_message = "alertmanager.replicas must be 1, 2 or 3 and storage_gb between 1 and 100."
  }
}

variable "grafana" {
  description = "Grafana: storage_gb of its persistent volume, cloudwatch_datasource adds a CloudWatch data source through the IRSA role, extra_dashboards maps file names to dashboard JSON provisioned next to the module's own dashboards."
  type = object({
    storage_gb            = optional(number, 10)
    cloudwatch_datasource = optional(bool, true)
    extra_dashboards      = optional(map(string), {})
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.grafana.storage_gb >= 1 && var.grafana.storage_gb <= 100
    error_message = "grafana.storage_gb must be between 1 and 100."
  }
  validation {
    condition     = alltrue([for k, v in var.grafana.extra_dashboards : can(regex("^[a-z0-9][a-z0-9-]{0,50}\\.json$", k)) && can(jsondecode(v).uid)])
    error_message = "grafana.extra_dashboards keys must be file names like my-dashboard.json and values dashboard JSON with a uid."
  }
}

variable "storage_reclaim_policy" {
  description = "Reclaim policy of the encrypted gp3 StorageClass. Retain keeps metric volumes after an uninstall (delete them by hand); Delete removes them with their claims."
  type        = string
  default     = "Retain"
  nullable    = false

  validation {
    condition     = contains(["Retain", "Delete"], var.storage_reclaim_policy)
    error_message = "storage_reclaim_policy must be Retain or Delete."
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

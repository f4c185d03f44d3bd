variable "namespaces" {
  description = "Namespaces to create, keyed by name, with extra labels and the Pod Security Admission level enforced (restricted by default; audit and warn are always restricted)."
  type = map(object({
    labels       = optional(map(string), {})
    pod_security = optional(string, "restricted")
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for n, v in var.namespaces : can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", n)) && !startswith(n, "kube-") && n != "default"])
    error_message = "namespaces keys must be DNS labels (lower-case letters, digits, '-'), not default or kube-*."
  }

  validation {
    condition     = alltrue([for v in values(var.namespaces) : contains(["restricted", "baseline", "privileged"], v.pod_security)])
    error_message = "namespaces pod_security must be restricted, baseline or privileged."
  }
}

variable "config_maps" {
  description = "ConfigMaps keyed by a static name: Kubernetes name, namespace (created here or existing) and data."
  type = map(object({
    name      = string
    namespace = string
    data      = map(string)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for c in values(var.config_maps) : can(regex("^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$", c.name)) && can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", c.namespace))])
    error_message = "config_maps name must be a DNS subdomain and namespace a DNS label."
  }

  validation {
    condition     = length(distinct([for c in values(var.config_maps) : "${c.namespace}/${c.name}"])) == length(var.config_maps)
    error_message = "config_maps must not define the same namespace/name twice."
  }
}

variable "secrets" {
  description = "Secrets keyed by a static name: Kubernetes name, namespace, type (Opaque by default) and data (plain values; the provider base64-encodes them). Sensitive: kept out of plan output, but stored in state."
  type = map(object({
    name      = string
    namespace = string
    type      = optional(string, "Opaque")
    data      = map(string)
  }))
  default   = {}
  nullable  = false
  sensitive = true

  validation {
    condition     = alltrue([for s in values(var.secrets) : can(regex("^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$", s.name)) && can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", s.namespace))])
    error_message = "secrets name must be a DNS subdomain and namespace a DNS label."
  }

  validation {
    condition     = alltrue([for s in values(var.secrets) : contains(["Opaque", "kubernetes.io/dockerconfigjson", "kubernetes.io/tls", "kubernetes.io/basic-auth"], s.type)])
    error_message = "secrets type must be Opaque, kubernetes.io/dockerconfigjson, kubernetes.io/tls or kubernetes.io/basic-auth (service-account tokens are not minted here)."
  }
}

variable "tags" {
  description = "FinOps tags, set as labels on every object (values sanitised to Kubernetes label syntax). Must contain non-empty cost_center, environment (dev, staging or prod), application and owner."
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

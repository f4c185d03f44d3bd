variable "name_prefix" {
  description = "Prefix of every role, policy and instance profile name (e.g. platform-dev). Role names become <name_prefix>-<key>."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{1,19}$", var.name_prefix))
    error_message = "name_prefix must be 2-20 characters of letters, digits and '-', starting with a letter."
  }
}

variable "path" {
  description = "IAM path for roles, policies and instance profiles; lets SCPs and boundaries match platform-managed identities (e.g. /platform/)."
  type        = string
  default     = "/platform/"
  nullable    = false

  validation {
    condition     = can(regex("^/([A-Za-z0-9+=,.@_-]+/)*$", var.path)) && length(var.path) <= 512
    error_message = "path must start and end with '/' (e.g. /platform/)."
  }
}

# ------------------------------------------------------------------------------------------------
# Permissions boundary
# ------------------------------------------------------------------------------------------------

variable "create_boundary_policy" {
  description = "Create the platform permissions-boundary policy and attach it to every role here. Set false only to reuse an existing boundary through permissions_boundary_arn."
  type        = bool
  default     = true
  nullable    = false
}

variable "permissions_boundary_arn" {
  description = "Existing permissions boundary to attach to every role when create_boundary_policy is false (e.g. one shared by several iam module instances)."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN."
  }

  validation {
    condition     = var.create_boundary_policy != (var.permissions_boundary_arn != null)
    error_message = "Set exactly one of create_boundary_policy = true or permissions_boundary_arn: every role must carry a boundary."
  }
}

variable "boundary_allowed_services" {
  description = "IAM service prefixes the boundary lets roles use at all (the ceiling; roles still need their own policies). The default covers what the platform modules run (network, compute, EKS, ECS, RDS, S3, KMS, monitoring and Chatbot, Config, FinOps and its data exports); tests/modules/check_composition.py proves it covers every resource the modules create; IAM itself is handled separately (platform path only)."
  type        = set(string)
  default = [
    "acm", "aps", "autoscaling", "bcm-data-exports", "budgets", "ce", "chatbot", "cloudwatch", "config", "cur",
    "dynamodb", "ec2", "ec2messages", "ecr", "ecs", "eks", "eks-auth", "elasticloadbalancing", "events", "kms",
    "logs", "rds", "rds-db", "route53", "s3", "secretsmanager", "sns", "sqs", "ssm", "ssmmessages", "sts", "tag",
  ]
  nullable = false

  validation {
    condition     = length(var.boundary_allowed_services) > 0 && alltrue([for s in var.boundary_allowed_services : can(regex("^[a-z0-9-]+$", s))])
    error_message = "boundary_allowed_services must be a non-empty set of IAM service prefixes such as s3 or ec2."
  }

  validation {
    condition     = !contains(var.boundary_allowed_services, "organizations") && !contains(var.boundary_allowed_services, "account")
    error_message = "organizations and account can never be allowed by the platform boundary."
  }
}

variable "boundary_allowed_regions" {
  description = "If non-empty, the boundary denies every regional action outside these Regions (global services such as IAM, STS, CloudFront and Route 53 stay usable)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for r in var.boundary_allowed_regions : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", r))])
    error_message = "boundary_allowed_regions entries must be Region names such as eu-west-1."
  }
}

variable "boundary_service_linked_roles" {
  description = "Services (the part before .amazonaws.com) whose service-linked roles the boundary, and every GitHub apply role, may create with iam:CreateServiceLinkedRole, scoped by iam:AWSServiceName. A fresh account's first EKS cluster, node group, RDS instance, load balancer, Auto Scaling group, Spot request, ECS cluster or Chatbot channel needs one. Empty allows none."
  type        = set(string)
  default     = ["autoscaling", "ecs", "eks", "eks-nodegroup", "elasticloadbalancing", "management.chatbot", "rds", "spot"]
  nullable    = false

  validation {
    condition     = alltrue([for s in var.boundary_service_linked_roles : can(regex("^[a-z0-9-]+(\\.[a-z0-9-]+)*$", s)) && !endswith(s, ".amazonaws.com")])
    error_message = "boundary_service_linked_roles entries are service names without .amazonaws.com, e.g. eks or eks-nodegroup (no wildcards)."
  }
}

# ------------------------------------------------------------------------------------------------
# Least-privilege switches
# ------------------------------------------------------------------------------------------------

variable "allow_wildcard_actions" {
  description = "WEAKENS least privilege: allow \"*\" and \"service:*\" actions in Allow statements and the AdministratorAccess / IAMFullAccess / PowerUserAccess managed policies. Off by default."
  type        = bool
  default     = false
  nullable    = false
}

variable "allow_wildcard_resources" {
  description = "WEAKENS least privilege: allow Resource \"*\" in Allow statements (some read-only and Describe actions need it). Off by default."
  type        = bool
  default     = false
  nullable    = false
}

# ------------------------------------------------------------------------------------------------
# Roles
# ------------------------------------------------------------------------------------------------

variable "roles" {
  description = "Generic roles keyed by short name, trusted by AWS service principals (e.g. lambda.amazonaws.com) and/or other role ARNs, with typed least-privilege statements and managed policies."
  type = map(object({
    description                = string
    trusted_service_principals = optional(list(string), [])
    trusted_role_arns          = optional(list(string), [])
    max_session_duration       = optional(number, 3600)
    managed_policy_arns        = optional(list(string), [])
    statements = optional(list(object({
      sid        = optional(string)
      effect     = optional(string, "Allow")
      actions    = list(string)
      resources  = list(string)
      conditions = optional(list(object({ test = string, variable = string, values = list(string) })), [])
    })), [])
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k, r in var.roles : can(regex("^[a-zA-Z0-9-]{1,32}$", k)) && length(trimspace(r.description)) > 0])
    error_message = "roles keys must be 1-32 letters, digits or '-', and every role needs a description."
  }

  validation {
    condition     = alltrue([for r in values(var.roles) : length(r.trusted_service_principals) + length(r.trusted_role_arns) > 0])
    error_message = "Every role needs at least one trusted_service_principals or trusted_role_arns entry."
  }

  validation {
    condition = alltrue(flatten([for r in values(var.roles) : [
      [for p in r.trusted_service_principals : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?$", p))],
      [for a in r.trusted_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))],
    ]]))
    error_message = "trusted_service_principals must look like ec2.amazonaws.com and trusted_role_arns must be IAM role ARNs ('*' and account roots are refused)."
  }

  validation {
    condition     = alltrue([for r in values(var.roles) : r.max_session_duration >= 3600 && r.max_session_duration <= 43200])
    error_message = "max_session_duration must be between 3600 and 43200 seconds."
  }

  validation {
    condition = alltrue(flatten([for ss in [for r in values(var.roles) : r.statements] : [for s in ss : [
      contains(["Allow", "Deny"], s.effect),
      length(s.actions) > 0,
      length(s.resources) > 0,
      s.sid == null ? true : can(regex("^[A-Za-z0-9]{1,128}$", s.sid)),
      [for a in s.actions : can(regex("^(\\*|[a-z0-9-]+:[A-Za-z0-9*]+)$", a))],
      [for r in s.resources : r == "*" || can(regex("^arn:aws[a-z-]*:[a-z0-9-]+:", r))],
    ]]]))
    error_message = "roles: every statement needs effect Allow or Deny, at least one action (service:Action) and one resource (an ARN or \"*\"); sid is alphanumeric."
  }

  validation {
    condition     = var.allow_wildcard_actions || alltrue(flatten([for ss in [for r in values(var.roles) : r.statements] : [for s in ss : [for a in s.actions : a != "*" && !endswith(a, ":*") if s.effect == "Allow"]]]))
    error_message = "roles: Allow statements may not use \"*\" or \"service:*\" actions unless allow_wildcard_actions = true."
  }

  validation {
    condition     = var.allow_wildcard_resources || alltrue(flatten([for ss in [for r in values(var.roles) : r.statements] : [for s in ss : [for r in s.resources : r != "*" if s.effect == "Allow"]]]))
    error_message = "roles: Allow statements may not use Resource \"*\" unless allow_wildcard_resources = true."
  }

  validation {
    condition     = alltrue(flatten([for ps in [for r in values(var.roles) : r.managed_policy_arns] : [for p in ps : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", p))]]))
    error_message = "roles: managed_policy_arns must be IAM policy ARNs."
  }

  validation {
    condition     = var.allow_wildcard_actions || alltrue(flatten([for ps in [for r in values(var.roles) : r.managed_policy_arns] : [for p in ps : !can(regex(":policy/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$", p))]]))
    error_message = "roles: AdministratorAccess, IAMFullAccess and PowerUserAccess need allow_wildcard_actions = true."
  }
}

variable "ec2_roles" {
  description = "EC2 instance roles keyed by short name, each with an instance profile and AmazonSSMManagedInstanceCore attached (Session Manager instead of SSH). Add the CloudWatch agent policy with enable_cloudwatch_agent."
  type = map(object({
    description             = string
    enable_cloudwatch_agent = optional(bool, true)
    managed_policy_arns     = optional(list(string), [])
    statements = optional(list(object({
      sid        = optional(string)
      effect     = optional(string, "Allow")
      actions    = list(string)
      resources  = list(string)
      conditions = optional(list(object({ test = string, variable = string, values = list(string) })), [])
    })), [])
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k, r in var.ec2_roles : can(regex("^[a-zA-Z0-9-]{1,32}$", k)) && length(trimspace(r.description)) > 0])
    error_message = "ec2_roles keys must be 1-32 letters, digits or '-', and every role needs a description."
  }

  validation {
    condition = alltrue(flatten([for ss in [for r in values(var.ec2_roles) : r.statements] : [for s in ss : [
      contains(["Allow", "Deny"], s.effect),
      length(s.actions) > 0,
      length(s.resources) > 0,
      s.sid == null ? true : can(regex("^[A-Za-z0-9]{1,128}$", s.sid)),
      [for a in s.actions : can(regex("^(\\*|[a-z0-9-]+:[A-Za-z0-9*]+)$", a))],
      [for r in s.resources : r == "*" || can(regex("^arn:aws[a-z-]*:[a-z0-9-]+:", r))],
    ]]]))
    error_message = "ec2_roles: every statement needs effect Allow or Deny, at least one action (service:Action) and one resource (an ARN or \"*\"); sid is alphanumeric."
  }

  validation {
    condition     = var.allow_wildcard_actions || alltrue(flatten([for ss in [for r in values(var.ec2_roles) : r.statements] : [for s in ss : [for a in s.actions : a != "*" && !endswith(a, ":*") if s.effect == "Allow"]]]))
    error_message = "ec2_roles: Allow statements may not use \"*\" or \"service:*\" actions unless allow_wildcard_actions = true."
  }

  validation {
    condition     = var.allow_wildcard_resources || alltrue(flatten([for ss in [for r in values(var.ec2_roles) : r.statements] : [for s in ss : [for r in s.resources : r != "*" if s.effect == "Allow"]]]))
    error_message = "ec2_roles: Allow statements may not use Resource \"*\" unless allow_wildcard_resources = true."
  }

  validation {
    condition     = alltrue(flatten([for ps in [for r in values(var.ec2_roles) : r.managed_policy_arns] : [for p in ps : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", p))]]))
    error_message = "ec2_roles: managed_policy_arns must be IAM policy ARNs."
  }

  validation {
    condition     = var.allow_wildcard_actions || alltrue(flatten([for ps in [for r in values(var.ec2_roles) : r.managed_policy_arns] : [for p in ps : !can(regex(":policy/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$", p))]]))
    error_message = "ec2_roles: AdministratorAccess, IAMFullAccess and PowerUserAccess need allow_wildcard_actions = true."
  }
}

variable "ecs_task_roles" {
  description = "ECS task roles keyed by short name: the task role (what the containers may do; trusted by ecs-tasks.amazonaws.com from this account only) and, unless execution_role = false, the task execution role (pull images, write logs, and read exactly the execution_secret_arns the task definition injects, decrypting with execution_kms_key_arns)."
  type = map(object({
    description            = string
    managed_policy_arns    = optional(list(string), [])
    execution_role         = optional(bool, true)
    execution_secret_arns  = optional(list(string), [])
    execution_kms_key_arns = optional(list(string), [])
    statements = optional(list(object({
      sid        = optional(string)
      effect     = optional(string, "Allow")
      actions    = list(string)
      resources  = list(string)
      conditions = optional(list(object({ test = string, variable = string, values = list(string) })), [])
    })), [])
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k, r in var.ecs_task_roles : can(regex("^[a-zA-Z0-9-]{1,32}$", k)) && length(trimspace(r.description)) > 0])
    error_message = "ecs_task_roles keys must be 1-32 letters, digits or '-', and every role needs a description."
  }

  validation {
    condition = alltrue(flatten([for r in values(var.ecs_task_roles) : [
      [for a in r.execution_secret_arns : can(regex("^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:|ssm:[a-z0-9-]+:[0-9]{12}:parameter/)[A-Za-z0-9/_+=.@-]+$", a))],
      [for a in r.execution_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-f0-9-]+$", a))],
      length(r.execution_secret_arns) == 0 || r.execution_role,
    ]]))
    error_message = "ecs_task_roles: execution_secret_arns must be exact Secrets Manager secret or SSM parameter ARNs (no wildcards), execution_kms_key_arns KMS key ARNs, and both need execution_role = true."
  }

  validation {
    condition = alltrue(flatten([for ss in [for r in values(var.ecs_task_roles) : r.statements] : [for s in ss : [
      contains(["Allow", "Deny"], s.effect),
      length(s.actions) > 0,
      length(s.resources) > 0,
      s.sid == null ? true : can(regex("^[A-Za-z0-9]{1,128}$", s.sid)),
      [for a in s.actions : can(regex("^(\\*|[a-z0-9-]+:[A-Za-z0-9*]+)$", a))],
      [for r in s.resources : r == "*" || can(regex("^arn:aws[a-z-]*:[a-z0-9-]+:", r))],
    ]]]))
    error_message = "ecs_task_roles: every statement needs effect Allow or Deny, at least one action (service:Action) and one resource (an ARN or \"*\"); sid is alphanumeric."
  }

  validation {
    condition     = var.allow_wildcard_actions || alltrue(flatten([for ss in [for r in values(var.ecs_task_roles) : r.statements] : [for s in ss : [for a in s.actions : a != "*" && !endswith(a, ":*") if s.effect == "Allow"]]]))
    error_message = "ecs_task_roles: Allow statements may not use \"*\" or \"service:*\" actions unless allow_wildcard_actions = true."
  }

  validation {
    condition     = var.allow_wildcard_resources || alltrue(flatten([for ss in [for r in values(var.ecs_task_roles) : r.statements] : [for s in ss : [for r in s.resources : r != "*" if s.effect == "Allow"]]]))
    error_message = "ecs_task_roles: Allow statements may not use Resource \"*\" unless allow_wildcard_resources = true."
  }

  validation {
    condition     = alltrue(flatten([for ps in [for r in values(var.ecs_task_roles) : r.managed_policy_arns] : [for p in ps : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", p))]]))
    error_message = "ecs_task_roles: managed_policy_arns must be IAM policy ARNs."
  }

  validation {
    condition     = var.allow_wildcard_actions || alltrue(flatten([for ps in [for r in values(var.ecs_task_roles) : r.managed_policy_arns] : [for p in ps : !can(regex(":policy/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$", p))]]))
    error_message = "ecs_task_roles: AdministratorAccess, IAMFullAccess and PowerUserAccess need allow_wildcard_actions = true."
  }
}

variable "eks_oidc_provider_arn" {
  description = "ARN of the EKS cluster's IAM OIDC provider (platform/eks output oidc_provider_arn). Required when irsa_roles is not empty."
  type        = string
  default     = null

  validation {
    condition     = var.eks_oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/oidc\\.eks\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/id/[A-Z0-9]+$", var.eks_oidc_provider_arn))
    error_message = "eks_oidc_provider_arn must be an EKS OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>)."
  }
}

variable "irsa_roles" {
  description = "IAM roles for Kubernetes service accounts (IRSA) keyed by short name. Trust is pinned with StringEquals to exactly system:serviceaccount:<namespace>:<service_account> and audience sts.amazonaws.com."
  type = map(object({
    description         = string
    namespace           = string
    service_account     = string
    managed_policy_arns = optional(list(string), [])
    statements = optional(list(object({
      sid        = optional(string)
      effect     = optional(string, "Allow")
      actions    = list(string)
      resources  = list(string)
      conditions = optional(list(object({ test = string, variable = string, values = list(string) })), [])
    })), [])
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for k, r in var.irsa_roles : can(regex("^[a-zA-Z0-9-]{1,32}$", k)) && length(trimspace(r.description)) > 0])
    error_message = "irsa_roles keys must be 1-32 letters, digits or '-', and every role needs a description."
  }

  validation {
    condition     = alltrue([for r in values(var.irsa_roles) : can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", r.namespace)) && can(regex("^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$", r.service_account))])
    error_message = "irsa_roles namespace and service_account must be exact Kubernetes names (no wildcards)."
  }

  validation {
    condition     = length(var.irsa_roles) == 0 || var.eks_oidc_provider_arn != null
    error_message = "irsa_roles need eks_oidc_provider_arn."
  }

  validation {
    condition = alltrue(flatten([for ss in [for r in values(var.irsa_roles) : r.statements] : [for s in ss : [
      contains(["Allow", "Deny"], s.effect),
      length(s.actions) > 0,
      length(s.resources) > 0,
      s.sid == null ? true : can(regex("^[A-Za-z0-9]{1,128}$", s.sid)),
      [for a in s.actions : can(regex("^(\\*|[a-z0-9-]+:[A-Za-z0-9*]+)$", a))],
      [for r in s.resources : r == "*" || can(regex("^arn:aws[a-z-]*:[a-z0-9-]+:", r))],
    ]]]))
    error_message = "irsa_roles: every statement needs effect Allow or Deny, at least one action (service:Action) and one resource (an ARN or \"*\"); sid is alphanumeric."
  }

  validation {
    condition     = var.allow_wildcard_actions || alltrue(flatten([for ss in [for r in values(var.irsa_roles) : r.statements] : [for s in ss : [for a in s.actions : a != "*" && !endswith(a, ":*") if s.effect == "Allow"]]]))
    error_message = "irsa_roles: Allow statements may not use \"*\" or \"service:*\" actions unless allow_wildcard_actions = true."
  }

  validation {
    condition     = var.allow_wildcard_resources || alltrue(flatten([for ss in [for r in values(var.irsa_roles) : r.statements] : [for s in ss : [for r in s.resources : r != "*" if s.effect == "Allow"]]]))
    error_message = "irsa_roles: Allow statements may not use Resource \"*\" unless allow_wildcard_resources = true."
  }

  validation {
    condition     = alltrue(flatten([for ps in [for r in values(var.irsa_roles) : r.managed_policy_arns] : [for p in ps : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", p))]]))
    error_message = "irsa_roles: managed_policy_arns must be IAM policy ARNs."
  }

  validation {
    condition     = var.allow_wildcard_actions || alltrue(flatten([for ps in [for r in values(var.irsa_roles) : r.managed_policy_arns] : [for p in ps : !can(regex(":policy/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$", p))]]))
    error_message = "irsa_roles: AdministratorAccess, IAMFullAccess and PowerUserAccess need allow_wildcard_actions = true."
  }
}

variable "github_oidc" {
  description = <<-EOT
    GitHub Actions OIDC: the token.actions.githubusercontent.com provider (or an existing one) and CI roles
    for one repository (owner/repo; the immutable owner@id/repo@id form is accepted). The plan role trusts
    exactly repo:<repository>:pull_request; each apply role trusts exactly repo:<repository>:environment:<env>.
    All trust conditions use StringEquals on aud and sub. null creates nothing.
  EOT
  type = object({
    repository            = string
    create_provider       = optional(bool, true)
    existing_provider_arn = optional(string)
    max_session_duration  = optional(number, 3600)
    plan_role = optional(object({
      managed_policy_arns = optional(list(string), [])
      statements = optional(list(object({
        sid        = optional(string)
        effect     = optional(string, "Allow")
        actions    = list(string)
        resources  = list(string)
        conditions = optional(list(object({ test = string, variable = string, values = list(string) })), [])
      })), [])
    }), {})
    apply_roles = optional(map(object({
      managed_policy_arns = optional(list(string), [])
      statements = optional(list(object({
        sid        = optional(string)
        effect     = optional(string, "Allow")
        actions    = list(string)
        resources  = list(string)
        conditions = optional(list(object({ test = string, variable = string, values = list(string) })), [])
      })), [])
    })), {})
  })
  default = null

  validation {
    condition     = var.github_oidc == null || can(regex("^[A-Za-z0-9_.-]+(@[0-9]+)?/[A-Za-z0-9_.-]+(@[0-9]+)?$", var.github_oidc.repository))
    error_message = "github_oidc.repository must be exactly owner/repo (or owner@id/repo@id); wildcards are refused."
  }

  validation {
    condition     = var.github_oidc == null || (try(var.github_oidc.create_provider, true) != (try(var.github_oidc.existing_provider_arn, null) != null))
    error_message = "github_oidc: set exactly one of create_provider = true or existing_provider_arn."
  }

  validation {
    condition     = var.github_oidc == null || try(var.github_oidc.existing_provider_arn, null) == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.github_oidc.existing_provider_arn))
    error_message = "github_oidc.existing_provider_arn must be the ARN of the token.actions.githubusercontent.com OIDC provider."
  }

  validation {
    condition     = var.github_oidc == null || alltrue([for e in keys(try(var.github_oidc.apply_roles, {})) : contains(["dev", "staging", "prod"], e)])
    error_message = "github_oidc.apply_roles keys are GitHub environment names and must be dev, staging or prod."
  }

  validation {
    condition     = var.github_oidc == null || (try(var.github_oidc.max_session_duration, 3600) >= 900 && try(var.github_oidc.max_session_duration, 3600) <= 43200)
    error_message = "github_oidc.max_session_duration must be between 900 and 43200 seconds (keep CI sessions short)."
  }

  validation {
    condition = alltrue(flatten([for ss in var.github_oidc == null ? [] : concat([var.github_oidc.plan_role.statements], [for r in values(var.github_oidc.apply_roles) : r.statements]) : [for s in ss : [
      contains(["Allow", "Deny"], s.effect),
      length(s.actions) > 0,
      length(s.resources) > 0,
      s.sid == null ? true : can(regex("^[A-Za-z0-9]{1,128}$", s.sid)),
      [for a in s.actions : can(regex("^(\\*|[a-z0-9-]+:[A-Za-z0-9*]+)$", a))],
      [for r in s.resources : r == "*" || can(regex("^arn:aws[a-z-]*:[a-z0-9-]+:", r))],
    ]]]))
    error_message = "github_oidc: every statement needs effect Allow or Deny, at least one action (service:Action) and one resource (an ARN or \"*\"); sid is alphanumeric."
  }

  validation {
    condition     = var.allow_wildcard_actions || alltrue(flatten([for ss in var.github_oidc == null ? [] : concat([var.github_oidc.plan_role.statements], [for r in values(var.github_oidc.apply_roles) : r.statements]) : [for s in ss : [for a in s.actions : a != "*" && !endswith(a, ":*") if s.effect == "Allow"]]]))
    error_message = "github_oidc: Allow statements may not use \"*\" or \"service:*\" actions unless allow_wildcard_actions = true."
  }

  validation {
    condition     = var.allow_wildcard_resources || alltrue(flatten([for ss in var.github_oidc == null ? [] : concat([var.github_oidc.plan_role.statements], [for r in values(var.github_oidc.apply_roles) : r.statements]) : [for s in ss : [for r in s.resources : r != "*" if s.effect == "Allow"]]]))
    error_message = "github_oidc: Allow statements may not use Resource \"*\" unless allow_wildcard_resources = true."
  }

  validation {
    condition     = alltrue(flatten([for ps in var.github_oidc == null ? [] : concat([var.github_oidc.plan_role.managed_policy_arns], [for r in values(var.github_oidc.apply_roles) : r.managed_policy_arns]) : [for p in ps : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", p))]]))
    error_message = "github_oidc: managed_policy_arns must be IAM policy ARNs."
  }

  validation {
    condition     = var.allow_wildcard_actions || alltrue(flatten([for ps in var.github_oidc == null ? [] : concat([var.github_oidc.plan_role.managed_policy_arns], [for r in values(var.github_oidc.apply_roles) : r.managed_policy_arns]) : [for p in ps : !can(regex(":policy/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$", p))]]))
    error_message = "github_oidc: AdministratorAccess, IAMFullAccess and PowerUserAccess need allow_wildcard_actions = true."
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

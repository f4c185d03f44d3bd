variable "name" {
  description = "Name of the EKS cluster; prefixes its security groups, roles, launch templates and log group."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,36}[a-z0-9]$", var.name))
    error_message = "name must be 2-38 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane, e.g. \"1.34\". Node groups follow it."
  type        = string
  default     = "1.34"
  nullable    = false
  validation {
    condition     = can(regex("^1\\.(29|3[0-9])$", var.kubernetes_version))
    error_message = "kubernetes_version must be a supported EKS minor version of the form 1.NN (1.29 or later)."
  }
}

variable "support_type" {
  description = "EKS version support policy. STANDARD upgrades the cluster when standard support ends; EXTENDED keeps it running at several times the control-plane price."
  type        = string
  default     = "STANDARD"
  nullable    = false
  validation {
    condition     = contains(["STANDARD", "EXTENDED"], var.support_type)
    error_message = "support_type must be STANDARD or EXTENDED."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster (the vpc module's vpc_id)."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the nodes (the vpc module's private_subnet_ids), in at least two AZs. Also used for the control-plane ENIs unless control_plane_subnet_ids is set."
  type        = list(string)
  nullable    = false
  validation {
    condition     = length(distinct(var.subnet_ids)) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must contain at least two distinct subnet ids such as subnet-0123456789abcdef0."
  }
}

variable "control_plane_subnet_ids" {
  description = "Subnets for the control-plane ENIs, if different from subnet_ids (at least two AZs). Empty to use subnet_ids."
  type        = list(string)
  default     = []
  nullable    = false
  validation {
    condition     = length(var.control_plane_subnet_ids) == 0 || (length(distinct(var.control_plane_subnet_ids)) >= 2 && alltrue([for s in var.control_plane_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))]))
    error_message = "control_plane_subnet_ids must be empty or contain at least two distinct subnet ids."
  }
}

variable "service_ipv4_cidr" {
  description = "CIDR for Kubernetes service IPs; must not overlap the VPC. Null lets EKS choose (10.100.0.0/16 or 172.20.0.0/16)."
  type        = string
  default     = null
  validation {
    condition     = var.service_ipv4_cidr == null || try(can(cidrhost(var.service_ipv4_cidr, 0)) && tonumber(split("/", var.service_ipv4_cidr)[1]) >= 12 && tonumber(split("/", var.service_ipv4_cidr)[1]) <= 24, false)
    error_message = "service_ipv4_cidr must be an IPv4 CIDR with a prefix between /12 and /24."
  }
}

variable "allow_public_endpoint" {
  description = "Also expose the Kubernetes API endpoint publicly, limited to public_endpoint_cidrs. Off: the API is reachable only from inside the VPC."
  type        = bool
  default     = false
  nullable    = false
}

variable "public_endpoint_cidrs" {
  description = "IPv4 CIDRs allowed to reach the public API endpoint when allow_public_endpoint is true (e.g. office or CI egress IPs). Must not include 0.0.0.0/0."
  type        = list(string)
  default     = []
  nullable    = false
  validation {
    condition     = alltrue([for c in var.public_endpoint_cidrs : can(cidrhost(c, 0)) && !strcontains(c, ":")])
    error_message = "public_endpoint_cidrs must contain valid IPv4 CIDR blocks."
  }
  validation {
    condition     = alltrue([for c in var.public_endpoint_cidrs : try(tonumber(split("/", c)[1]) >= 8, false)])
    error_message = "public_endpoint_cidrs must not contain 0.0.0.0/0 or any block wider than /8."
  }
  validation {
    condition     = !var.allow_public_endpoint || length(var.public_endpoint_cidrs) > 0
    error_message = "allow_public_endpoint = true requires a non-empty public_endpoint_cidrs allow-list."
  }
  validation {
    condition     = var.allow_public_endpoint || length(var.public_endpoint_cidrs) == 0
    error_message = "public_endpoint_cidrs is only meaningful with allow_public_endpoint = true."
  }
}

variable "cluster_api_ingress_security_group_ids" {
  description = "Security groups (e.g. a bastion or CI runners), keyed by a static name, allowed to reach the private API endpoint on 443. Nodes are always allowed."
  type        = map(string)
  default     = {}
  nullable    = false
  validation {
    condition     = alltrue([for s in values(var.cluster_api_ingress_security_group_ids) : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "cluster_api_ingress_security_group_ids values must be security group ids such as sg-0123456789abcdef0."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key (the kms module's key_arn) for Kubernetes secrets, the control-plane log group and node volumes; the EBS CSI driver may also use it (StorageClass kmsKeyId). Its policy must allow use via eks and ec2, the CloudWatch Logs service principal and the Auto Scaling service-linked role."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases are not accepted."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the control-plane log group (all five log types)."
  type        = number
  default     = 365
  nullable    = false
  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a CloudWatch retention of at least one year: 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "permissions_boundary_arn" {
  description = "IAM policy ARN set as permissions boundary on every role the module creates (cluster, nodes, EBS CSI) — the iam module's boundary_policy_arn."
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

variable "bootstrap_cluster_creator_admin_permissions" {
  description = "Give the identity that creates the cluster cluster-admin through an access entry. Off: list admins explicitly in access_entries."
  type        = bool
  default     = false
  nullable    = false
}

variable "access_entries" {
  description = "EKS access entries keyed by a static name: the IAM principal, optional Kubernetes groups, and EKS access policies with a cluster or namespace scope."
  type = map(object({
    principal_arn     = string
    kubernetes_groups = optional(list(string), [])
    policy_associations = optional(map(object({
      policy_arn = string
      scope      = optional(string, "cluster")
      namespaces = optional(list(string), [])
    })), {})
  }))
  default  = {}
  nullable = false
  validation {
    condition     = alltrue([for e in values(var.access_entries) : can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:(role|user)/.+$", e.principal_arn))])
    error_message = "access_entries principal_arn must be an IAM role or user ARN (arn:aws:iam::<account>:role/<path/name>); EKS rejects STS assumed-role session ARNs: use the role's ARN."
  }
  validation {
    condition     = alltrue(flatten([for e in values(var.access_entries) : [for p in values(e.policy_associations) : can(regex("^arn:aws[a-zA-Z-]*:eks::aws:cluster-access-policy/[A-Za-z]+$", p.policy_arn))]]))
    error_message = "access_entries policy_arn must be an EKS access policy ARN (arn:aws:eks::aws:cluster-access-policy/<Name>)."
  }
  validation {
    condition     = alltrue(flatten([for e in values(var.access_entries) : [for p in values(e.policy_associations) : (p.scope == "cluster" && length(p.namespaces) == 0) || (p.scope == "namespace" && length(p.namespaces) > 0)]]))
    error_message = "access_entries scope must be \"cluster\" (no namespaces) or \"namespace\" with a non-empty namespaces list."
  }
  validation {
    condition     = length(distinct([for e in values(var.access_entries) : e.principal_arn])) == length(var.access_entries)
    error_message = "access_entries must not list the same principal_arn twice."
  }
  validation {
    condition     = alltrue(flatten([for e in values(var.access_entries) : [for g in e.kubernetes_groups : !startswith(g, "system:")]]))
    error_message = "access_entries kubernetes_groups must not start with system: (EKS rejects them)."
  }
}

variable "node_groups" {
  description = "Managed node groups keyed by name (at least one). Amazon Linux 2023 AMI types only. Graviton (arm64) instance types need an ARM_64 ami_type. Instances get IMDSv2 (hop limit 1) and encrypted gp3 root volumes."
  type = map(object({
    instance_types             = list(string)
    min_size                   = number
    desired_size               = number
    max_size                   = number
    ami_type                   = optional(string, "AL2023_ARM_64_STANDARD")
    capacity_type              = optional(string, "ON_DEMAND")
    disk_size                  = optional(number, 50)
    disk_iops                  = optional(number)
    disk_throughput            = optional(number)
    subnet_ids                 = optional(list(string), [])
    labels                     = optional(map(string), {})
    max_unavailable_percentage = optional(number, 33)
    taints = optional(list(object({
      key    = string
      value  = optional(string)
      effect = string
    })), [])
  }))
  default = {
    default = {
      instance_types = ["m7g.large"]
      min_size       = 2
      desired_size   = 2
      max_size       = 4
    }
  }
  nullable = false
  validation {
    # coredns and the EBS CSI controller need nodes to become ACTIVE.
    condition     = length(var.node_groups) > 0
    error_message = "node_groups must define at least one managed node group."
  }
  validation {
    condition     = alltrue([for k, g in var.node_groups : can(regex("^[a-z][a-z0-9-]{0,30}$", k))])
    error_message = "node_groups keys must be 1-31 lowercase letters, digits or hyphens, starting with a letter."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : g.min_size >= 0 && g.max_size >= 1 && g.min_size <= g.desired_size && g.desired_size <= g.max_size && g.max_size <= 1000])
    error_message = "node_groups sizes must satisfy 0 <= min_size <= desired_size <= max_size, 1 <= max_size <= 1000."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : length(g.instance_types) > 0 && alltrue([for t in g.instance_types : can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", t))])])
    error_message = "node_groups instance_types must be a non-empty list of instance types such as m7g.large."
  }
  validation {
    # Amazon Linux 2023 only: its root volume (/dev/xvda) is the one the launch template encrypts.
    condition     = alltrue([for g in values(var.node_groups) : contains(["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA", "AL2023_x86_64_NEURON"], g.ami_type)])
    error_message = "node_groups ami_type must be one of AL2023_x86_64_STANDARD, AL2023_ARM_64_STANDARD, AL2023_x86_64_NVIDIA, AL2023_x86_64_NEURON."
  }
  validation {
    # Graviton families carry a "g" right after the generation digit (t4g, m7g, c7gn, r8gd).
    condition     = alltrue([for g in values(var.node_groups) : alltrue([for t in g.instance_types : can(regex("^[a-z]+[0-9]+g", t)) == strcontains(g.ami_type, "ARM_64")])])
    error_message = "node_groups instance_types must match the ami_type architecture: Graviton types (e.g. m7g) with *_ARM_64_* AMIs, x86 types with *_x86_64_* AMIs."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : contains(["ON_DEMAND", "SPOT"], g.capacity_type)])
    error_message = "node_groups capacity_type must be ON_DEMAND or SPOT."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : g.disk_size >= 20 && g.disk_size <= 16384 && (g.disk_iops == null || try(g.disk_iops >= 3000 && g.disk_iops <= 16000, false)) && (g.disk_throughput == null || try(g.disk_throughput >= 125 && g.disk_throughput <= 1000, false))])
    error_message = "node_groups disk_size must be 20-16384 GiB, disk_iops 3000-16000 and disk_throughput 125-1000 MiB/s (gp3)."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : g.max_unavailable_percentage >= 1 && g.max_unavailable_percentage <= 100])
    error_message = "node_groups max_unavailable_percentage must be between 1 and 100."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : alltrue([for t in g.taints : contains(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"], t.effect)])])
    error_message = "node_groups taints effect must be NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : alltrue([for s in g.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])])
    error_message = "node_groups subnet_ids must contain subnet ids such as subnet-0123456789abcdef0."
  }
}

variable "node_detailed_monitoring" {
  description = "One-minute CloudWatch metrics for node instances (billed per instance)."
  type        = bool
  default     = true
  nullable    = false
}

variable "node_ssm_access" {
  description = "Attach AmazonSSMManagedInstanceCore to the node role so nodes can be reached with Session Manager instead of SSH."
  type        = bool
  default     = true
  nullable    = false
}

variable "node_iam_role_policy_arns" {
  description = "Extra managed policy ARNs for the node role, keyed by a static name. Prefer IRSA or Pod Identity roles for workloads."
  type        = map(string)
  default     = {}
  nullable    = false
  validation {
    condition     = alltrue([for a in values(var.node_iam_role_policy_arns) : can(regex("^arn:aws[a-zA-Z-]*:iam::([0-9]{12}|aws):policy/.+$", a)) && !can(regex(":policy/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$", a))])
    error_message = "node_iam_role_policy_arns values must be IAM policy ARNs and must not be AdministratorAccess, PowerUserAccess or IAMFullAccess."
  }
}

variable "node_ingress_rules" {
  description = "Extra ingress rules of the node security group, keyed by a short name (e.g. from the load balancer's security group). Each needs a description and exactly one source."
  type = map(object({
    description                  = string
    ip_protocol                  = optional(string, "tcp")
    from_port                    = optional(number)
    to_port                      = optional(number)
    cidr_ipv4                    = optional(string)
    cidr_ipv6                    = optional(string)
    prefix_list_id               = optional(string)
    referenced_security_group_id = optional(string)
  }))
  default  = {}
  nullable = false
  validation {
    condition     = alltrue([for r in values(var.node_ingress_rules) : length(compact([r.cidr_ipv4, r.cidr_ipv6, r.prefix_list_id, r.referenced_security_group_id])) == 1 && trimspace(r.description) != ""])
    error_message = "Each node ingress rule needs a description and exactly one of cidr_ipv4, cidr_ipv6, prefix_list_id or referenced_security_group_id."
  }
  validation {
    condition     = alltrue([for r in values(var.node_ingress_rules) : (r.cidr_ipv4 == null || can(cidrhost(r.cidr_ipv4, 0))) && (r.cidr_ipv6 == null || can(cidrhost(r.cidr_ipv6, 0)))])
    error_message = "node_ingress_rules cidr_ipv4/cidr_ipv6 must be valid CIDR blocks."
  }
  validation {
    condition     = alltrue([for r in values(var.node_ingress_rules) : !contains(["0.0.0.0/0", "::/0"], coalesce(r.cidr_ipv4, r.cidr_ipv6, "none"))])
    error_message = "Nodes never accept ingress from 0.0.0.0/0 or ::/0; reference the load balancer's security group instead."
  }
  validation {
    condition     = alltrue([for r in values(var.node_ingress_rules) : contains(["tcp", "udp", "icmp", "icmpv6", "-1"], r.ip_protocol) && (r.ip_protocol == "-1" || try(r.from_port >= -1 && r.to_port <= 65535 && r.from_port <= r.to_port, false))])
    error_message = "node_ingress_rules ip_protocol must be tcp, udp, icmp, icmpv6 or -1, with from_port <= to_port <= 65535 unless it is -1."
  }
}

variable "node_egress_rules" {
  description = "Extra egress rules of the node security group, keyed by a short name. Node-to-node and node-to-API traffic is always allowed; list the rest (HTTPS to VPC endpoints / the S3 prefix list for ECR, the database)."
  type = map(object({
    description                  = string
    ip_protocol                  = optional(string, "tcp")
    from_port                    = optional(number)
    to_port                      = optional(number)
    cidr_ipv4                    = optional(string)
    cidr_ipv6                    = optional(string)
    prefix_list_id               = optional(string)
    referenced_security_group_id = optional(string)
  }))
  default  = {}
  nullable = false
  validation {
    condition     = alltrue([for r in values(var.node_egress_rules) : length(compact([r.cidr_ipv4, r.cidr_ipv6, r.prefix_list_id, r.referenced_security_group_id])) == 1 && trimspace(r.description) != ""])
    error_message = "Each node egress rule needs a description and exactly one of cidr_ipv4, cidr_ipv6, prefix_list_id or referenced_security_group_id."
  }
  validation {
    condition     = alltrue([for r in values(var.node_egress_rules) : (r.cidr_ipv4 == null || can(cidrhost(r.cidr_ipv4, 0))) && (r.cidr_ipv6 == null || can(cidrhost(r.cidr_ipv6, 0)))])
    error_message = "node_egress_rules cidr_ipv4/cidr_ipv6 must be valid CIDR blocks."
  }
  validation {
    condition     = var.allow_internet_egress || alltrue([for r in values(var.node_egress_rules) : !contains(["0.0.0.0/0", "::/0"], coalesce(r.cidr_ipv4, r.cidr_ipv6, "none"))])
    error_message = "node_egress_rules to 0.0.0.0/0 or ::/0 require allow_internet_egress = true."
  }
  validation {
    condition     = alltrue([for r in values(var.node_egress_rules) : contains(["tcp", "udp", "icmp", "icmpv6", "-1"], r.ip_protocol) && (r.ip_protocol == "-1" || try(r.from_port >= -1 && r.to_port <= 65535 && r.from_port <= r.to_port, false))])
    error_message = "node_egress_rules ip_protocol must be tcp, udp, icmp, icmpv6 or -1, with from_port <= to_port <= 65535 unless it is -1."
  }
}

variable "allow_internet_egress" {
  description = "Permit node_egress_rules whose destination is 0.0.0.0/0 or ::/0 (e.g. pulling public images through a NAT gateway). Off by default."
  type        = bool
  default     = false
  nullable    = false
}

variable "vpc_endpoint_security_group_id" {
  description = "Security group of the VPC's interface endpoints (platform/vpc output interface_endpoint_security_group_id): nodes get HTTPS egress to it for ECR, STS, EC2, EKS auth, CloudWatch Logs and SSM. Nodes need HTTPS to those APIs by this, by a node_egress_rules entry covering TCP 443, or they cannot join the cluster."
  type        = string
  default     = null

  validation {
    condition     = var.vpc_endpoint_security_group_id == null || can(regex("^sg-[0-9a-f]{8,17}$", var.vpc_endpoint_security_group_id))
    error_message = "vpc_endpoint_security_group_id must be a security group id (sg-...)."
  }

  validation {
    condition = var.vpc_endpoint_security_group_id != null || anytrue([for r in values(var.node_egress_rules) :
    r.ip_protocol == "-1" || (r.ip_protocol == "tcp" && try(r.from_port <= 443 && r.to_port >= 443, false))])
    error_message = "Nodes have no way to reach the AWS APIs (ECR, STS, EC2): set vpc_endpoint_security_group_id (platform/vpc interface_endpoints) or add a node_egress_rules entry covering TCP 443 (e.g. 0.0.0.0/0 through NAT with allow_internet_egress = true)."
  }
}

variable "s3_prefix_list_id" {
  description = "Prefix list of the VPC's S3 gateway endpoint (platform/vpc output gateway_endpoint_prefix_list_ids[\"s3\"]): nodes get HTTPS egress to it, which ECR image layers need when nodes have no internet egress."
  type        = string
  default     = null

  validation {
    condition     = var.s3_prefix_list_id == null || can(regex("^pl-[0-9a-f]{8,17}$", var.s3_prefix_list_id))
    error_message = "s3_prefix_list_id must be a prefix list id (pl-...)."
  }
}

variable "addons" {
  description = "Per-add-on settings keyed by add-on name: version pin, configuration JSON, IRSA role. The core add-ons vpc-cni, kube-proxy, eks-pod-identity-agent, coredns and aws-ebs-csi-driver are always installed; other keys add more add-ons. Null version means the EKS default for the cluster version."
  type = map(object({
    addon_version            = optional(string)
    configuration_values     = optional(string)
    service_account_role_arn = optional(string)
  }))
  default  = {}
  nullable = false
  validation {
    condition     = alltrue([for k, a in var.addons : can(regex("^[a-z0-9][a-z0-9_-]*$", k)) && (a.addon_version == null || can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+-eksbuild\\.[0-9]+$", a.addon_version)))])
    error_message = "addons keys must be add-on names and addon_version must look like v1.19.0-eksbuild.1."
  }
  validation {
    condition     = alltrue([for a in values(var.addons) : a.configuration_values == null || can(jsondecode(a.configuration_values))])
    error_message = "addons configuration_values must be valid JSON (use jsonencode)."
  }
  validation {
    condition     = alltrue([for a in values(var.addons) : a.service_account_role_arn == null || can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", a.service_account_role_arn))])
    error_message = "addons service_account_role_arn must be an IAM role ARN."
  }
  validation {
    condition     = try(var.addons["aws-ebs-csi-driver"].service_account_role_arn, null) == null
    error_message = "The aws-ebs-csi-driver role is managed by the module; do not set its service_account_role_arn."
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

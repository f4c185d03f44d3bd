variable "name" {
  description = "Name of the host group; instances are named NAME-01, NAME-02, ..."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,46}[a-z0-9]$", var.name))
    error_message = "name must be 2-48 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen."
  }
}

variable "instance_count" {
  description = "Number of instances, spread round-robin over subnet_ids."
  type        = number
  default     = 1
  nullable    = false
  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 50 && floor(var.instance_count) == var.instance_count
    error_message = "instance_count must be an integer between 1 and 50."
  }
}

variable "instance_type" {
  description = "EC2 instance type. Its architecture must match the AMI (the default SSM parameter is arm64, for Graviton types)."
  type        = string
  default     = "t4g.small"
  nullable    = false
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must look like <family>.<size>, e.g. t4g.small or m7g.large."
  }
}

variable "cpu_credits" {
  description = "CPU credit option for burstable (t*) types: standard caps cost, unlimited may bill surplus credits. Ignored for other types."
  type        = string
  default     = "standard"
  nullable    = false
  validation {
    condition     = contains(["standard", "unlimited"], var.cpu_credits)
    error_message = "cpu_credits must be standard or unlimited."
  }
}

variable "ami_id" {
  description = "AMI id to launch. Empty to resolve the AMI from ami_ssm_parameter."
  type        = string
  default     = ""
  nullable    = false
  validation {
    condition     = var.ami_id == "" || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be empty or an AMI id such as ami-0123456789abcdef0."
  }
}

variable "ami_ssm_parameter" {
  description = "SSM parameter holding the AMI id, used when ami_id is empty. Default: latest Amazon Linux 2023 for arm64."
  type        = string
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
  nullable    = false
  validation {
    condition     = can(regex("^/[a-zA-Z0-9_./-]+$", var.ami_ssm_parameter))
    error_message = "ami_ssm_parameter must be an SSM parameter path starting with /."
  }
}

variable "vpc_id" {
  description = "VPC of the hosts (the vpc module's vpc_id); the security group is created in it."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Subnets (normally the vpc module's private_subnet_ids) over which the instances are spread round-robin."
  type        = list(string)
  nullable    = false
  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must contain at least one subnet id such as subnet-0123456789abcdef0."
  }
}

variable "allow_public_ip" {
  description = "Associate a public IPv4 address with each instance. Off: backends are reached through a load balancer and SSM. Needs a public subnet to be useful."
  type        = bool
  default     = false
  nullable    = false
}

variable "additional_security_group_ids" {
  description = "Extra security groups attached to every instance besides the module's own."
  type        = list(string)
  default     = []
  nullable    = false
  validation {
    condition     = alltrue([for s in var.additional_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "additional_security_group_ids must contain security group ids such as sg-0123456789abcdef0."
  }
}

variable "ingress_rules" {
  description = "Ingress rules of the module's security group, keyed by a short name. Each needs a description and exactly one source: cidr_ipv4, cidr_ipv6, prefix_list_id or referenced_security_group_id. ip_protocol \"-1\" means all protocols (ports ignored)."
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
    condition     = alltrue([for r in values(var.ingress_rules) : length(compact([r.cidr_ipv4, r.cidr_ipv6, r.prefix_list_id, r.referenced_security_group_id])) == 1])
    error_message = "Each ingress rule must set exactly one of cidr_ipv4, cidr_ipv6, prefix_list_id or referenced_security_group_id."
  }
  validation {
    condition     = alltrue([for r in values(var.ingress_rules) : (r.cidr_ipv4 == null || can(cidrhost(r.cidr_ipv4, 0))) && (r.cidr_ipv6 == null || can(cidrhost(r.cidr_ipv6, 0)))])
    error_message = "ingress_rules cidr_ipv4/cidr_ipv6 must be valid CIDR blocks."
  }
  validation {
    condition     = alltrue([for r in values(var.ingress_rules) : !contains(["0.0.0.0/0", "::/0"], coalesce(r.cidr_ipv4, r.cidr_ipv6, "none"))])
    error_message = "Backend hosts never accept ingress from 0.0.0.0/0 or ::/0; reference the load balancer's security group instead."
  }
  validation {
    condition     = alltrue([for r in values(var.ingress_rules) : contains(["tcp", "udp", "icmp", "icmpv6", "-1"], r.ip_protocol) && (r.ip_protocol == "-1" || (r.from_port != null && r.to_port != null))])
    error_message = "ingress_rules ip_protocol must be tcp, udp, icmp, icmpv6 or -1, and from_port/to_port are required unless it is -1."
  }
  validation {
    condition     = alltrue([for r in values(var.ingress_rules) : r.ip_protocol != "tcp" && r.ip_protocol != "udp" || try(r.from_port >= 0 && r.to_port <= 65535 && r.from_port <= r.to_port, false)])
    error_message = "ingress_rules tcp/udp ports must satisfy 0 <= from_port <= to_port <= 65535."
  }
  validation {
    condition     = alltrue([for r in values(var.ingress_rules) : trimspace(r.description) != ""])
    error_message = "Every ingress rule needs a non-empty description."
  }
  validation {
    condition     = alltrue([for r in values(var.ingress_rules) : (r.prefix_list_id == null || can(regex("^pl-[0-9a-f]{8,17}$", r.prefix_list_id))) && (r.referenced_security_group_id == null || can(regex("^sg-[0-9a-f]{8,17}$", r.referenced_security_group_id)))])
    error_message = "ingress_rules prefix_list_id must look like pl-... and referenced_security_group_id like sg-...."
  }
}

variable "egress_rules" {
  description = "Egress rules of the module's security group, keyed by a short name; same shape as ingress_rules. There is no default egress: list what the hosts need (e.g. 443 to the VPC CIDR for interface endpoints, the database security group)."
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
    condition     = alltrue([for r in values(var.egress_rules) : length(compact([r.cidr_ipv4, r.cidr_ipv6, r.prefix_list_id, r.referenced_security_group_id])) == 1])
    error_message = "Each egress rule must set exactly one of cidr_ipv4, cidr_ipv6, prefix_list_id or referenced_security_group_id."
  }
  validation {
    condition     = alltrue([for r in values(var.egress_rules) : (r.cidr_ipv4 == null || can(cidrhost(r.cidr_ipv4, 0))) && (r.cidr_ipv6 == null || can(cidrhost(r.cidr_ipv6, 0)))])
    error_message = "egress_rules cidr_ipv4/cidr_ipv6 must be valid CIDR blocks."
  }
  validation {
    condition     = var.allow_internet_egress || alltrue([for r in values(var.egress_rules) : !contains(["0.0.0.0/0", "::/0"], coalesce(r.cidr_ipv4, r.cidr_ipv6, "none"))])
    error_message = "egress_rules to 0.0.0.0/0 or ::/0 require allow_internet_egress = true."
  }
  validation {
    condition     = alltrue([for r in values(var.egress_rules) : contains(["tcp", "udp", "icmp", "icmpv6", "-1"], r.ip_protocol) && (r.ip_protocol == "-1" || (r.from_port != null && r.to_port != null))])
    error_message = "egress_rules ip_protocol must be tcp, udp, icmp, icmpv6 or -1, and from_port/to_port are required unless it is -1."
  }
  validation {
    condition     = alltrue([for r in values(var.egress_rules) : r.ip_protocol != "tcp" && r.ip_protocol != "udp" || try(r.from_port >= 0 && r.to_port <= 65535 && r.from_port <= r.to_port, false)])
    error_message = "egress_rules tcp/udp ports must satisfy 0 <= from_port <= to_port <= 65535."
  }
  validation {
    condition     = alltrue([for r in values(var.egress_rules) : trimspace(r.description) != ""])
    error_message = "Every egress rule needs a non-empty description."
  }
  validation {
    condition     = alltrue([for r in values(var.egress_rules) : (r.prefix_list_id == null || can(regex("^pl-[0-9a-f]{8,17}$", r.prefix_list_id))) && (r.referenced_security_group_id == null || can(regex("^sg-[0-9a-f]{8,17}$", r.referenced_security_group_id)))])
    error_message = "egress_rules prefix_list_id must look like pl-... and referenced_security_group_id like sg-...."
  }
}

variable "allow_internet_egress" {
  description = "Permit egress_rules whose destination is 0.0.0.0/0 or ::/0 (e.g. HTTPS through a NAT gateway when there are no VPC endpoints). Off by default."
  type        = bool
  default     = false
  nullable    = false
}

variable "key_name" {
  description = "Name of an EC2 key pair for SSH. Empty (default) means no key: use SSM Session Manager."
  type        = string
  default     = ""
  nullable    = false
  validation {
    condition     = length(var.key_name) <= 255
    error_message = "key_name must be at most 255 characters."
  }
}

variable "user_data" {
  description = "Cloud-init user data (plain text; the provider base64-encodes it). Never put secrets here: fetch them from Secrets Manager or SSM at boot."
  type        = string
  default     = ""
  nullable    = false
  validation {
    condition     = length(var.user_data) <= 16384
    error_message = "user_data must be at most 16 KiB."
  }
  validation {
    condition     = !can(regex("(AKIA|ASIA)[0-9A-Z]{16}", var.user_data))
    error_message = "user_data appears to contain an AWS access key id; use the instance role instead."
  }
}

variable "user_data_replace_on_change" {
  description = "Replace the instances when user_data changes (otherwise the change applies only after a stop/start)."
  type        = bool
  default     = false
  nullable    = false
}

variable "root_volume" {
  description = "Root EBS volume: size in GiB, type, and optional iops/throughput (gp3, io1, io2). Always encrypted with kms_key_arn."
  type = object({
    size       = optional(number, 20)
    type       = optional(string, "gp3")
    iops       = optional(number)
    throughput = optional(number)
  })
  default  = {}
  nullable = false
  validation {
    condition     = var.root_volume.size >= 8 && var.root_volume.size <= 16384 && contains(["gp3", "gp2", "io1", "io2"], var.root_volume.type)
    error_message = "root_volume.size must be 8-16384 GiB and type one of gp3, gp2, io1, io2."
  }
  validation {
    condition     = var.root_volume.throughput == null || var.root_volume.type == "gp3"
    error_message = "root_volume.throughput is only valid for gp3."
  }
}

variable "ebs_volumes" {
  description = "Extra data volumes attached to every instance, keyed by a short name. Each is encrypted with kms_key_arn and tagged."
  type = map(object({
    device_name = string
    size        = number
    type        = optional(string, "gp3")
    iops        = optional(number)
    throughput  = optional(number)
  }))
  default  = {}
  nullable = false
  validation {
    condition     = alltrue([for v in values(var.ebs_volumes) : can(regex("^/dev/(sd[f-p]|xvd[f-p])$", v.device_name))])
    error_message = "ebs_volumes device_name must be /dev/sd[f-p] or /dev/xvd[f-p]."
  }
  validation {
    condition     = alltrue([for v in values(var.ebs_volumes) : v.size >= 1 && v.size <= 65536 && contains(["gp3", "gp2", "io1", "io2", "st1", "sc1"], v.type)])
    error_message = "ebs_volumes size must be 1-65536 GiB and type one of gp3, gp2, io1, io2, st1, sc1."
  }
  validation {
    condition     = length(distinct([for v in values(var.ebs_volumes) : v.device_name])) == length(var.ebs_volumes)
    error_message = "ebs_volumes must not reuse a device_name."
  }
  validation {
    condition     = alltrue([for v in values(var.ebs_volumes) : v.throughput == null || v.type == "gp3"])
    error_message = "ebs_volumes throughput is only valid for gp3."
  }
}

variable "ebs_final_snapshot" {
  description = "Snapshot each data volume when it is destroyed."
  type        = bool
  default     = true
  nullable    = false
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key (the kms module's key_arn) encrypting root and data volumes. Its policy must allow use via ec2."
  type        = string
  nullable    = false
  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases are not accepted."
  }
}

variable "detailed_monitoring" {
  description = "One-minute CloudWatch metrics (billed per instance). Set false only to save cost in dev."
  type        = bool
  default     = true
  nullable    = false
}

variable "termination_protection" {
  description = "Enable EC2 termination protection (disable_api_termination). Set false before destroying on purpose."
  type        = bool
  default     = true
  nullable    = false
}

variable "instance_profile_name" {
  description = "Existing instance profile to use (e.g. the iam module's instance profile). Empty (default): the module creates an SSM-ready role and profile."
  type        = string
  default     = ""
  nullable    = false
  validation {
    condition     = var.instance_profile_name == "" || can(regex("^[\\w+=,.@-]{1,128}$", var.instance_profile_name))
    error_message = "instance_profile_name must be an IAM instance profile name."
  }
}

variable "permissions_boundary_arn" {
  description = "IAM policy ARN set as permissions boundary on the instance role this module creates (the iam module's boundary_policy_arn). Required so no role can ever be created without one; unused when instance_profile_name is set."
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

variable "iam_role_policy_arns" {
  description = "Extra managed policy ARNs attached to the created role, keyed by a static name (AmazonSSMManagedInstanceCore is always attached). Ignored when instance_profile_name is set."
  type        = map(string)
  default     = {}
  nullable    = false
  validation {
    condition     = alltrue([for a in values(var.iam_role_policy_arns) : can(regex("^arn:aws[a-zA-Z-]*:iam::([0-9]{12}|aws):policy/.+$", a))])
    error_message = "iam_role_policy_arns values must be IAM policy ARNs."
  }
  validation {
    condition     = alltrue([for a in values(var.iam_role_policy_arns) : !can(regex(":policy/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$", a))])
    error_message = "iam_role_policy_arns must not grant AdministratorAccess, PowerUserAccess or IAMFullAccess."
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

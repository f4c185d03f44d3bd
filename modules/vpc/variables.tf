variable "name" {
  description = "Name of the VPC, used as a prefix for every resource name and Name tag (e.g. platform-dev)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,46}[a-z0-9]$", var.name))
    error_message = "name must be 3-48 characters of lower-case letters, digits and '-', starting with a letter."
  }
}

variable "cidr_block" {
  description = "IPv4 CIDR of the VPC, /16 to /24, preferably from RFC 1918 space (e.g. 10.20.0.0/16)."
  type        = string
  nullable    = false

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && can(regex("^[0-9.]+/(1[6-9]|2[0-4])$", var.cidr_block))
    error_message = "cidr_block must be a valid IPv4 CIDR with a prefix length between /16 and /24."
  }

  validation {
    condition     = !can(cidrhost(var.cidr_block, 0)) || cidrhost(var.cidr_block, 0) == split("/", var.cidr_block)[0]
    error_message = "cidr_block must be the network address of its range (e.g. 10.20.0.0/16, not 10.20.1.0/16)."
  }
}

variable "azs" {
  description = "Availability zones to spread subnets over (2-6, e.g. [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]). Subnet lists are indexed by this list."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) <= 6 && length(distinct(var.azs)) == length(var.azs)
    error_message = "azs must list 2 to 6 distinct availability zones."
  }

  validation {
    condition     = alltrue([for az in var.azs : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]$", az))])
    error_message = "Each az must be an availability zone name such as eu-west-1a."
  }
}

variable "public_subnets" {
  description = "CIDRs of the public subnets, one per AZ in azs order, or [] for no public tier. Load balancers and NAT gateways live here; instances get no public IP."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = length(var.public_subnets) == 0 || length(var.public_subnets) == length(var.azs)
    error_message = "public_subnets must be empty or have exactly one CIDR per AZ."
  }

  validation {
    condition     = alltrue([for c in var.public_subnets : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c)) && try(cidrhost(format("%s/%s", cidrhost(c, 0), split("/", var.cidr_block)[1]), 0) == cidrhost(var.cidr_block, 0), false) && tonumber(split("/", c)[1]) >= tonumber(split("/", var.cidr_block)[1])])
    error_message = "Each public_subnets entry must be a valid IPv4 CIDR inside cidr_block."
  }
}

variable "private_subnets" {
  description = "CIDRs of the private (application) subnets, one per AZ in azs order. EKS nodes and EC2 backends live here; egress goes through NAT."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.private_subnets) == length(var.azs)
    error_message = "private_subnets must have exactly one CIDR per AZ."
  }

  validation {
    condition     = alltrue([for c in var.private_subnets : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c)) && try(cidrhost(format("%s/%s", cidrhost(c, 0), split("/", var.cidr_block)[1]), 0) == cidrhost(var.cidr_block, 0), false) && tonumber(split("/", c)[1]) >= tonumber(split("/", var.cidr_block)[1])])
    error_message = "Each private_subnets entry must be a valid IPv4 CIDR inside cidr_block."
  }
}

variable "database_subnets" {
  description = "CIDRs of the database subnets, one per AZ in azs order, or [] for none. They have no route to the internet and get an RDS subnet group."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = length(var.database_subnets) == 0 || length(var.database_subnets) == length(var.azs)
    error_message = "database_subnets must be empty or have exactly one CIDR per AZ."
  }

  validation {
    condition     = alltrue([for c in var.database_subnets : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c)) && try(cidrhost(format("%s/%s", cidrhost(c, 0), split("/", var.cidr_block)[1]), 0) == cidrhost(var.cidr_block, 0), false) && tonumber(split("/", c)[1]) >= tonumber(split("/", var.cidr_block)[1])])
    error_message = "Each database_subnets entry must be a valid IPv4 CIDR inside cidr_block."
  }
}

variable "nat_gateway_mode" {
  description = "NAT for the private subnets: per_az (one NAT gateway per AZ, survives an AZ outage), single (one NAT gateway, cheapest, cross-AZ data charges and a single point of failure) or none (no internet egress)."
  type        = string
  default     = "per_az"
  nullable    = false

  validation {
    condition     = contains(["per_az", "single", "none"], var.nat_gateway_mode)
    error_message = "nat_gateway_mode must be per_az, single or none."
  }

  validation {
    condition     = var.nat_gateway_mode == "none" || length(var.public_subnets) > 0
    error_message = "NAT gateways live in public subnets: set public_subnets or use nat_gateway_mode = \"none\"."
  }
}

variable "public_ingress_tcp_ports" {
  description = "TCP ports the public subnets' network ACL admits from the internet (load balancer listeners). 22 and 3389 are refused."
  type        = list(number)
  default     = [443]
  nullable    = false

  validation {
    condition     = alltrue([for p in var.public_ingress_tcp_ports : p >= 1 && p <= 65535 && floor(p) == p && !contains([22, 3389], p)])
    error_message = "public_ingress_tcp_ports must be TCP ports 1-65535; 22 (SSH) and 3389 (RDP) are never opened to the internet — use SSM Session Manager."
  }
}

variable "public_denied_admin_ports" {
  description = "TCP ports the public subnets' network ACL denies from the internet before any allow (Security Hub EC2.21: SSH and RDP). Traffic from inside the VPC is allowed first, so NAT still forwards outbound SSH/SFTP/RDP. 3389 lies inside the NAT gateway's source-port range (1024-65535): its deny also drops the return packets of the rare NAT connection that draws source port 3389 (about 1 in 64,500); drop it from the list if that matters more than EC2.21."
  type        = list(number)
  default     = [22, 3389]
  nullable    = false

  validation {
    condition     = length(var.public_denied_admin_ports) <= 10 && length(distinct(var.public_denied_admin_ports)) == length(var.public_denied_admin_ports) && alltrue([for p in var.public_denied_admin_ports : p >= 1 && p <= 65535 && floor(p) == p])
    error_message = "public_denied_admin_ports must be at most 10 distinct TCP ports 1-65535."
  }

  validation {
    condition     = contains(var.public_denied_admin_ports, 22)
    error_message = "public_denied_admin_ports must keep 22: SSH is never reachable from the internet (use SSM Session Manager)."
  }

  validation {
    condition     = length(setintersection(var.public_denied_admin_ports, var.public_ingress_tcp_ports)) == 0
    error_message = "public_denied_admin_ports and public_ingress_tcp_ports must not share a port."
  }
}

variable "gateway_endpoints" {
  description = "Free gateway VPC endpoints attached to the private and database route tables: s3 and/or dynamodb. They keep that traffic off the NAT gateways (cheaper) and off the internet."
  type        = set(string)
  default     = ["s3"]
  nullable    = false

  validation {
    condition     = alltrue([for e in var.gateway_endpoints : contains(["s3", "dynamodb"], e)])
    error_message = "gateway_endpoints entries must be s3 or dynamodb."
  }
}

variable "interface_endpoints" {
  description = "Interface VPC endpoints (PrivateLink) in the private subnets, by service name after com.amazonaws.<region>., with private DNS and one security group admitting HTTPS from the VPC CIDR (output interface_endpoint_security_group_id). Private EKS nodes without NAT need ecr.api, ecr.dkr, sts, ec2, eks-auth, logs, elasticloadbalancing, ssm, ssmmessages, ec2messages (with the s3 gateway endpoint for image layers). Each endpoint is billed per AZ-hour; none by default."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for e in var.interface_endpoints : can(regex("^[a-z0-9-]+(\\.[a-z0-9-]+)*$", e)) && !startswith(e, "com.amazonaws.")])
    error_message = "interface_endpoints entries are service names after com.amazonaws.<region>., e.g. ecr.api, sts or logs."
  }

  validation {
    condition     = length(setintersection(var.interface_endpoints, ["dynamodb"])) == 0
    error_message = "DynamoDB is a gateway endpoint here: list it in gateway_endpoints (free)."
  }
}

variable "enable_flow_logs" {
  description = "Capture VPC flow logs to a KMS-encrypted CloudWatch log group. On by default; turning it off WEAKENS detection and breaks Security Hub EC2.6 / CIS 3.7."
  type        = bool
  default     = true
  nullable    = false
}

variable "flow_log_kms_key_arn" {
  description = "ARN of the customer-managed KMS key for the flow-log group (platform/kms key_arn, with service_principals including logs). Required when enable_flow_logs is true."
  type        = string
  default     = null

  validation {
    condition     = var.flow_log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.flow_log_kms_key_arn))
    error_message = "flow_log_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }

  validation {
    condition     = !var.enable_flow_logs || var.flow_log_kms_key_arn != null
    error_message = "flow_log_kms_key_arn is required while enable_flow_logs is true."
  }
}

variable "flow_log_retention_in_days" {
  description = "Retention of the flow-log group in days; one of the CloudWatch Logs values. 365 or more satisfies CKV_AWS_338."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_in_days)
    error_message = "flow_log_retention_in_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); never-expire is not allowed."
  }
}

variable "flow_log_traffic_type" {
  description = "Which traffic the flow log records: ALL, ACCEPT or REJECT."
  type        = string
  default     = "ALL"
  nullable    = false

  validation {
    condition     = contains(["ALL", "ACCEPT", "REJECT"], var.flow_log_traffic_type)
    error_message = "flow_log_traffic_type must be ALL, ACCEPT or REJECT."
  }
}

variable "flow_log_max_aggregation_interval" {
  description = "Flow-log aggregation interval in seconds: 60 (finer, more log volume) or 600 (cheaper)."
  type        = number
  default     = 600
  nullable    = false

  validation {
    condition     = contains([60, 600], var.flow_log_max_aggregation_interval)
    error_message = "flow_log_max_aggregation_interval must be 60 or 600."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of the IAM permissions boundary (platform/iam output boundary_policy_arn) attached to the flow-log delivery role. Required when enable_flow_logs is true."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)."
  }

  validation {
    condition     = !var.enable_flow_logs || var.permissions_boundary_arn != null
    error_message = "permissions_boundary_arn is required while enable_flow_logs is true (every role carries a boundary)."
  }
}

variable "iam_path" {
  description = "IAM path of the flow-log delivery role. Keep it equal to the platform/iam module's path (default /platform/): its boundary lets CI create roles only under that path."
  type        = string
  default     = "/platform/"
  nullable    = false

  validation {
    condition     = can(regex("^/([A-Za-z0-9+=,.@_-]+/)*$", var.iam_path)) && length(var.iam_path) <= 512
    error_message = "iam_path must start and end with '/' (e.g. /platform/)."
  }
}

variable "public_subnet_tags" {
  description = "Extra tags for public subnets only, e.g. { \"kubernetes.io/role/elb\" = \"1\" } for EKS load balancers."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "private_subnet_tags" {
  description = "Extra tags for private subnets only, e.g. { \"kubernetes.io/role/internal-elb\" = \"1\" }."
  type        = map(string)
  default     = {}
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

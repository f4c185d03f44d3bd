# Production frontend platform: dedicated control-plane subnets, the API also public but only
# to the office and CI egress ranges, two node groups (on-demand Graviton for system pods,
# Spot x86 for stateless web pods, tainted), namespace-scoped developer access, a pinned
# add-on version with configuration, and egress to the database.

provider "aws" {
  region = var.region
}

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-1"
  nullable    = false
}

module "eks" {
  #checkov:skip=CKV_AWS_39:This example demonstrates the allow_public_endpoint switch; the public API is limited to the office and CI CIDRs (CKV_AWS_38 still passes) and the private endpoint stays on.
  source = "../.."

  name               = "web-prod"
  kubernetes_version = "1.34"
  support_type       = "STANDARD"

  vpc_id                   = "vpc-0a1b2c3d4e5f60718"
  subnet_ids               = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712", "subnet-0a1b2c3d4e5f60713"]
  control_plane_subnet_ids = ["subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722", "subnet-0a1b2c3d4e5f60723"]
  service_ipv4_cidr        = "172.20.0.0/16"

  allow_public_endpoint = true
  public_endpoint_cidrs = ["203.0.113.0/24", "198.51.100.10/32"]
  cluster_api_ingress_security_group_ids = {
    ci_runners = "sg-0a1b2c3d4e5f6071b"
  }

  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"
  log_retention_in_days    = 731

  access_entries = {
    platform_admins = {
      principal_arn = "arn:aws:iam::111122223333:role/platform-admins"
      policy_associations = {
        admin = { policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" }
      }
    }
    web_developers = {
      principal_arn = "arn:aws:iam::111122223333:role/web-developers"
      policy_associations = {
        edit = {
          policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
          scope      = "namespace"
          namespaces = ["storefront", "checkout"]
        }
      }
    }
  }

  node_groups = {
    system = {
      instance_types = ["m7g.large"]
      min_size       = 2
      desired_size   = 3
      max_size       = 4
      disk_size      = 50
      labels         = { "workload" = "system" }
    }
    web-spot = {
      instance_types  = ["m7i.large", "m6i.large", "m6a.large"]
      ami_type        = "AL2023_x86_64_STANDARD"
      capacity_type   = "SPOT"
      min_size        = 2
      desired_size    = 4
      max_size        = 20
      disk_size       = 80
      disk_throughput = 250
      labels          = { "workload" = "web" }
      taints          = [{ key = "workload", value = "web", effect = "NO_SCHEDULE" }]
    }
  }

  addons = {
    coredns = {
      configuration_values = jsonencode({ replicaCount = 3 })
    }
    aws-ebs-csi-driver = {
      addon_version = "v1.48.0-eksbuild.1"
    }
  }

  node_ingress_rules = {
    alb = {
      description                  = "Pod traffic from the internet-facing ALB"
      from_port                    = 8080
      to_port                      = 8080
      referenced_security_group_id = "sg-0a1b2c3d4e5f6071c"
    }
  }

  node_egress_rules = {
    vpc_endpoints = {
      description = "HTTPS to VPC interface endpoints (ECR, STS, EC2, CloudWatch)"
      from_port   = 443
      to_port     = 443
      cidr_ipv4   = "10.0.0.0/16"
    }
    s3 = {
      description    = "HTTPS to the S3 gateway endpoint (ECR image layers)"
      from_port      = 443
      to_port        = 443
      prefix_list_id = "pl-6da54004"
    }
    postgres = {
      description                  = "PostgreSQL to the orders database"
      from_port                    = 5432
      to_port                      = 5432
      referenced_security_group_id = "sg-0a1b2c3d4e5f6071a"
    }
  }

  tags = {
    cost_center = "cc-2001"
    environment = "prod"
    application = "storefront"
    owner       = "team-web@example.com"
  }
}

output "cluster_name" {
  description = "Name of the cluster."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "API endpoint."
  value       = module.eks.cluster_endpoint
}

output "oidc_provider_arn" {
  description = "IRSA OIDC provider for the iam module's service-account roles."
  value       = module.eks.oidc_provider_arn
}

output "node_group_names" {
  description = "Managed node groups."
  value       = module.eks.node_group_names
}

output "node_security_group_id" {
  description = "Node security group, to allow in the database's security group."
  value       = module.eks.node_security_group_id
}

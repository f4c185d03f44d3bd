# Workloads: the frontends on EKS, the backend hosts on EC2, PostgreSQL on RDS, and the
# application bucket. Security groups reference each other one way only (rds admits the
# backend and node groups by group; they reach it by the database subnets' CIDRs), so the
# modules never form a dependency cycle.

locals {
  # Egress to PostgreSQL in the database subnets, one rule per subnet CIDR.
  postgres_egress = {
    for i, cidr in var.network.database_subnets : "postgres-${i}" => {
      description = "PostgreSQL in database subnet ${i}"
      from_port   = 5432
      to_port     = 5432
      cidr_ipv4   = cidr
    }
  }

  # HTTPS inside the VPC: the interface endpoints once the vpc module creates them, and the
  # internal load balancers.
  https_in_vpc = {
    https-vpc = {
      description = "HTTPS to VPC endpoints and internal services"
      from_port   = 443
      to_port     = 443
      cidr_ipv4   = var.network.cidr_block
    }
  }

  backend_egress_to_app = {
    for i, cidr in var.network.private_subnets : "backend-${i}" => {
      description = "Backend application port in private subnet ${i}"
      from_port   = var.backend.app_port
      to_port     = var.backend.app_port
      cidr_ipv4   = cidr
    }
  }
}

module "eks" {
  source  = "registry.internal/platform/eks/aws"
  version = "~> 1.0"

  name                     = "${var.name}-web"
  kubernetes_version       = var.cluster.kubernetes_version
  vpc_id                   = module.vpc.vpc_id
  subnet_ids               = module.vpc.private_subnet_ids
  kms_key_arn              = module.kms.key_arn
  permissions_boundary_arn = var.permissions_boundary_arn

  access_entries = {
    for key, arn in var.cluster_admin_role_arns : key => {
      principal_arn       = arn
      policy_associations = { admin = { policy_arn = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" } }
    }
  }

  node_groups       = var.cluster.node_groups
  node_egress_rules = merge(local.https_in_vpc, local.postgres_egress, local.backend_egress_to_app)
  # With interface endpoints (staging) nodes reach ECR, STS, EC2, EKS auth, Logs and SSM
  # privately and have no internet egress; without them (dev, to save the endpoints' hourly
  # cost) they reach those APIs through the NAT gateway.
  vpc_endpoint_security_group_id = module.vpc.interface_endpoint_security_group_id
  s3_prefix_list_id              = module.vpc.gateway_endpoint_prefix_list_ids["s3"]
  allow_internet_egress          = length(var.network.interface_endpoints) == 0

  tags = local.tags
}

module "backend" {
  source  = "registry.internal/platform/ec2/aws"
  version = "~> 1.0"

  name                     = "${var.name}-backend"
  instance_count           = var.backend.instance_count
  instance_type            = var.backend.instance_type
  vpc_id                   = module.vpc.vpc_id
  subnet_ids               = module.vpc.private_subnet_ids
  kms_key_arn              = module.kms.key_arn
  instance_profile_name    = module.iam.instance_profile_names["backend"]
  permissions_boundary_arn = var.permissions_boundary_arn

  ingress_rules = {
    frontends = {
      description                  = "Application port from the EKS frontends"
      from_port                    = var.backend.app_port
      to_port                      = var.backend.app_port
      referenced_security_group_id = module.eks.node_security_group_id
    }
  }
  egress_rules = merge(local.https_in_vpc, local.postgres_egress)

  tags = local.tags
}

module "database" {
  source  = "registry.internal/platform/rds/aws"
  version = "~> 1.0"

  name                       = "${var.name}-db"
  vpc_id                     = module.vpc.vpc_id
  db_subnet_group_name       = module.vpc.database_subnet_group_name
  allowed_security_group_ids = [module.backend.security_group_id, module.eks.node_security_group_id]
  kms_key_arn                = module.kms.key_arn
  permissions_boundary_arn   = var.permissions_boundary_arn

  instance_class          = var.database.instance_class
  allocated_storage       = var.database.allocated_storage
  max_allocated_storage   = var.database.max_allocated_storage
  multi_az                = var.database.multi_az
  backup_retention_period = var.database.backup_retention_period
  deletion_protection     = var.database.deletion_protection

  tags = local.tags
}

module "assets" {
  source  = "registry.internal/platform/s3/aws"
  version = "~> 1.0"

  bucket_name = "${var.name}-assets-${local.account_id}"
  kms_key_arn = module.kms.key_arn

  tags = local.tags
}

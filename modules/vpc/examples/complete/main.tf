# Production shape: three AZs, public / private / database tiers, one NAT gateway per AZ, S3 and
# DynamoDB gateway endpoints, interface endpoints for private EKS nodes, EKS subnet-discovery tags, fine-grained flow logs kept two years.
provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

data "aws_kms_alias" "platform" {
  name = "alias/platform/prod/shared"
}

module "vpc" {
  source = "../.."

  name       = "platform-prod"
  cidr_block = "10.40.0.0/16"
  azs        = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]

  public_subnets   = ["10.40.0.0/24", "10.40.1.0/24", "10.40.2.0/24"]
  private_subnets  = ["10.40.32.0/19", "10.40.64.0/19", "10.40.96.0/19"]
  database_subnets = ["10.40.8.0/24", "10.40.9.0/24", "10.40.10.0/24"]

  nat_gateway_mode         = "per_az"
  public_ingress_tcp_ports = [80, 443]
  gateway_endpoints        = ["s3", "dynamodb"]
  # What private EKS nodes need without NAT (plus the s3 gateway endpoint for image layers).
  interface_endpoints = ["ecr.api", "ecr.dkr", "sts", "ec2", "eks-auth", "logs", "elasticloadbalancing", "ssm", "ssmmessages", "ec2messages"]

  public_subnet_tags  = { "kubernetes.io/role/elb" = "1" }
  private_subnet_tags = { "kubernetes.io/role/internal-elb" = "1" }

  flow_log_kms_key_arn              = data.aws_kms_alias.platform.target_key_arn
  flow_log_retention_in_days        = 731
  flow_log_traffic_type             = "ALL"
  flow_log_max_aggregation_interval = 60
  permissions_boundary_arn          = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/platform-prod-boundary"

  tags = {
    cost_center = "cc-0001"
    environment = "prod"
    application = "platform"
    owner       = "platform-team"
  }
}

output "vpc_id" {
  description = "Id of the VPC."
  value       = module.vpc.vpc_id
}

output "subnet_ids_by_tier" {
  description = "Subnet ids by tier and AZ."
  value       = module.vpc.subnet_ids_by_tier
}

output "database_subnet_group_name" {
  description = "RDS subnet group for platform/rds."
  value       = module.vpc.database_subnet_group_name
}

output "nat_public_ips" {
  description = "NAT gateway public IPs."
  value       = module.vpc.nat_public_ips
}

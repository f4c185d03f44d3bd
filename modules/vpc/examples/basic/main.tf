# Two AZs, public + private subnets, one NAT gateway (cheapest), S3 gateway endpoint, flow logs
# to a KMS-encrypted log group kept for a year.
provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

# Created by platform/kms (with service_principals = ["logs"]) and platform/iam.
data "aws_kms_alias" "platform" {
  name = "alias/platform/dev/shared"
}

module "vpc" {
  source = "../.."

  name       = "orders-dev"
  cidr_block = "10.20.0.0/16"
  azs        = ["eu-west-1a", "eu-west-1b"]

  public_subnets  = ["10.20.0.0/24", "10.20.1.0/24"]
  private_subnets = ["10.20.16.0/20", "10.20.32.0/20"]

  nat_gateway_mode = "single"

  flow_log_kms_key_arn     = data.aws_kms_alias.platform.target_key_arn
  permissions_boundary_arn = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/platform-dev-boundary"

  tags = {
    cost_center = "cc-1234"
    environment = "dev"
    application = "orders"
    owner       = "platform-team"
  }
}

output "vpc_id" {
  description = "Id of the VPC."
  value       = module.vpc.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnet ids."
  value       = module.vpc.private_subnet_ids
}

# One backend host in a private subnet, reached with SSM Session Manager; its only egress is
# HTTPS to the VPC's interface endpoints (ssm, ssmmessages, ec2messages).

provider "aws" {
  region = "eu-west-1"
}

module "backend" {
  source = "../.."

  name                     = "orders-api-dev"
  vpc_id                   = "vpc-0a1b2c3d4e5f60718"
  subnet_ids               = ["subnet-0a1b2c3d4e5f60711"]
  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"

  egress_rules = {
    vpc_endpoints = {
      description = "HTTPS to VPC interface endpoints (SSM)"
      from_port   = 443
      to_port     = 443
      cidr_ipv4   = "10.0.0.0/16"
    }
  }

  tags = {
    cost_center = "cc-1042"
    environment = "dev"
    application = "orders"
    owner       = "team-orders@example.com"
  }
}

output "instance_ids" {
  description = "Instance ids."
  value       = module.backend.instance_ids
}

output "private_ips" {
  description = "Private IPs."
  value       = module.backend.private_ips
}

# Three backend hosts spread over three private subnets behind a load balancer: ingress only
# from the load balancer's security group, egress only to the database, the S3 gateway
# endpoint and the VPC's interface endpoints; a CMK-encrypted data volume per host; an
# instance role with an extra read policy; bootstrap through user data.

provider "aws" {
  region = var.region
}

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-1"
  nullable    = false
}

module "backend" {
  source = "../.."

  name           = "orders-api-prod"
  instance_count = 3
  instance_type  = "m7g.large"
  ami_id         = "ami-0a1b2c3d4e5f60718"

  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712", "subnet-0a1b2c3d4e5f60713"]

  ingress_rules = {
    alb_http = {
      description                  = "Application port from the load balancer"
      from_port                    = 8080
      to_port                      = 8080
      referenced_security_group_id = "sg-0a1b2c3d4e5f60719"
    }
  }

  egress_rules = {
    postgres = {
      description                  = "PostgreSQL to the orders database"
      from_port                    = 5432
      to_port                      = 5432
      referenced_security_group_id = "sg-0a1b2c3d4e5f6071a"
    }
    s3 = {
      description    = "HTTPS to the S3 gateway endpoint"
      from_port      = 443
      to_port        = 443
      prefix_list_id = "pl-6da54004"
    }
    vpc_endpoints = {
      description = "HTTPS to VPC interface endpoints (SSM, Secrets Manager, CloudWatch)"
      from_port   = 443
      to_port     = 443
      cidr_ipv4   = "10.0.0.0/16"
    }
  }

  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  root_volume = { size = 30, type = "gp3" }
  ebs_volumes = {
    data = { device_name = "/dev/sdf", size = 100, type = "gp3", throughput = 250 }
  }

  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"
  iam_role_policy_arns = {
    cloudwatch_agent = "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"
  }

  user_data = <<-EOT
    #!/bin/bash
    set -euo pipefail
    dnf install -y amazon-cloudwatch-agent
    systemctl enable --now amazon-cloudwatch-agent
  EOT

  detailed_monitoring    = true
  termination_protection = true

  tags = {
    cost_center = "cc-1042"
    environment = "prod"
    application = "orders"
    owner       = "team-orders@example.com"
    tier        = "backend"
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

output "security_group_id" {
  description = "Security group of the hosts."
  value       = module.backend.security_group_id
}

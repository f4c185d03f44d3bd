# The platform boundary plus one SSM-ready EC2 instance role that may read its own config prefix.
provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

module "iam" {
  source = "../.."

  name_prefix = "orders-dev"

  ec2_roles = {
    backend = {
      description = "Orders backend hosts"
      statements = [
        {
          sid       = "ReadOwnConfig"
          actions   = ["s3:GetObject"]
          resources = ["arn:aws:s3:::orders-dev-config-${data.aws_caller_identity.current.account_id}/backend/*"]
        },
      ]
    }
  }

  tags = {
    cost_center = "cc-1234"
    environment = "dev"
    application = "orders"
    owner       = "platform-team"
  }
}

output "boundary_policy_arn" {
  description = "Permissions boundary for other modules."
  value       = module.iam.boundary_policy_arn
}

output "instance_profile_names" {
  description = "Instance profiles for platform/ec2."
  value       = module.iam.instance_profile_names
}

# Smallest useful PostgreSQL: everything secure by default, ids from the vpc, kms and iam
# modules passed in as plain values.

provider "aws" {
  region = "eu-west-1"
}

module "rds" {
  source = "../.."

  name                     = "orders-dev"
  vpc_id                   = "vpc-0a1b2c3d4e5f60718"
  db_subnet_group_name     = "platform-dev-database"
  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"

  allowed_security_group_ids = ["sg-0a1b2c3d4e5f60718"]

  tags = {
    cost_center = "cc-1042"
    environment = "dev"
    application = "orders"
    owner       = "team-orders@example.com"
  }
}

output "endpoint" {
  description = "Connection endpoint of the database."
  value       = module.rds.db_instance_endpoint
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret with the master credentials."
  value       = module.rds.db_instance_master_user_secret_arn
}

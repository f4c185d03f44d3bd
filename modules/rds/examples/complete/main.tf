# Production-shaped PostgreSQL: own subnet group from the vpc module's database subnets,
# access from the backend (ec2) and frontend (eks node) security groups, larger storage with
# an autoscaling cap, longer backups and Performance Insights history, extra parameters.

provider "aws" {
  region = var.region
}

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-1"
  nullable    = false
}

module "rds" {
  source = "../.."

  name           = "orders-prod"
  engine_version = "17.5"
  instance_class = "db.m7g.large"
  db_name        = "orders"
  username       = "orders_admin"
  port           = 5432

  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712", "subnet-0a1b2c3d4e5f60713"]
  allowed_security_group_ids = [
    "sg-0a1b2c3d4e5f60711", # ec2 backend hosts
    "sg-0a1b2c3d4e5f60712", # eks node group
  ]

  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"

  allocated_storage     = 100
  max_allocated_storage = 500
  storage_type          = "gp3"

  multi_az                              = true
  deletion_protection                   = true
  backup_retention_period               = 30
  backup_window                         = "01:00-02:00"
  maintenance_window                    = "sun:03:00-sun:04:00"
  performance_insights_retention_period = 731
  monitoring_interval                   = 15
  log_retention_in_days                 = 731
  log_statement                         = "ddl"
  log_min_duration_statement_ms         = 500

  parameters = [
    { name = "shared_preload_libraries", value = "pg_stat_statements", apply_method = "pending-reboot" },
    { name = "idle_in_transaction_session_timeout", value = "600000" },
  ]

  tags = {
    cost_center = "cc-1042"
    environment = "prod"
    application = "orders"
    owner       = "team-orders@example.com"
    data_class  = "confidential"
  }
}

output "endpoint" {
  description = "Connection endpoint of the database."
  value       = module.rds.db_instance_endpoint
}

output "port" {
  description = "Port of the database."
  value       = module.rds.db_instance_port
}

output "db_name" {
  description = "Name of the application database."
  value       = module.rds.db_instance_name
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret with the master credentials."
  value       = module.rds.db_instance_master_user_secret_arn
}

output "security_group_id" {
  description = "Security group of the database."
  value       = module.rds.security_group_id
}

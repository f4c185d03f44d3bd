# Offline specification of the rds module: secure defaults on the planned values, and the
# validations that refuse easy mistakes. Runs with `terraform test` (mocked AWS provider).

mock_provider "random" {}

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/orders-dev-rds-mon" }
  }
}

variables {
  name                       = "orders-dev"
  vpc_id                     = "vpc-0a1b2c3d4e5f60718"
  db_subnet_group_name       = "platform-dev-database"
  allowed_security_group_ids = ["sg-0a1b2c3d4e5f60718"]
  kms_key_arn                = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn   = "arn:aws:iam::111122223333:policy/platform-boundary"
  tags = {
    cost_center = "cc-1042"
    environment = "dev"
    application = "orders"
    owner       = "team-orders@example.com"
  }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = !aws_db_instance.this.publicly_accessible && aws_db_instance.this.storage_encrypted && aws_db_instance.this.kms_key_id == var.kms_key_arn
    error_message = "The instance must be private and encrypted with the CMK."
  }
  assert {
    condition     = aws_db_instance.this.manage_master_user_password && aws_db_instance.this.master_user_secret_kms_key_id == var.kms_key_arn
    error_message = "The master password must be managed in Secrets Manager with the CMK."
  }
  assert {
    condition     = aws_db_instance.this.deletion_protection && aws_db_instance.this.multi_az && !aws_db_instance.this.skip_final_snapshot
    error_message = "Deletion protection, Multi-AZ and a final snapshot are the defaults."
  }
  assert {
    condition     = aws_db_instance.this.backup_retention_period >= 7 && aws_db_instance.this.copy_tags_to_snapshot && aws_db_instance.this.auto_minor_version_upgrade
    error_message = "Backups >= 7 days, tags copied to snapshots and auto minor upgrades are required."
  }
  assert {
    condition     = aws_db_instance.this.iam_database_authentication_enabled && aws_db_instance.this.performance_insights_enabled && aws_db_instance.this.performance_insights_kms_key_id == var.kms_key_arn
    error_message = "IAM authentication and Performance Insights with the CMK are on by default."
  }
  assert {
    condition     = aws_db_instance.this.monitoring_interval == 60 && toset(aws_db_instance.this.enabled_cloudwatch_logs_exports) == toset(["postgresql", "upgrade"])
    error_message = "Enhanced monitoring and the postgresql/upgrade log exports are on."
  }
  assert {
    condition     = anytrue([for p in aws_db_parameter_group.this.parameter : p.name == "rds.force_ssl" && p.value == "1"]) && aws_db_parameter_group.this.family == "postgres17"
    error_message = "The parameter group must force SSL and match the engine major version."
  }
  assert {
    condition     = aws_iam_role.monitoring.permissions_boundary == var.permissions_boundary_arn
    error_message = "The monitoring role must carry the permissions boundary."
  }
  assert {
    condition     = alltrue([for g in aws_cloudwatch_log_group.this : g.kms_key_id == var.kms_key_arn && g.retention_in_days >= 365])
    error_message = "Log groups must be CMK-encrypted and retained at least a year."
  }
  assert {
    condition     = aws_db_instance.this.tags["cost_center"] == "cc-1042" && aws_db_instance.this.tags["module"] == "platform/rds" && aws_security_group.this.tags["owner"] == "team-orders@example.com"
    error_message = "FinOps and module tags must be applied."
  }
  assert {
    condition     = length(aws_db_subnet_group.this) == 0 && aws_db_instance.this.db_subnet_group_name == "platform-dev-database"
    error_message = "An existing subnet group is used as given."
  }
}

run "own_subnet_group" {
  command = plan

  variables {
    db_subnet_group_name = ""
    subnet_ids           = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]
  }

  assert {
    condition     = length(aws_db_subnet_group.this) == 1
    error_message = "subnet_ids creates the module's own subnet group."
  }
}

run "subnet_inputs_exclusive" {
  command = plan

  variables {
    subnet_ids = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]
  }

  expect_failures = [var.db_subnet_group_name]
}

run "finops_tags_required" {
  command = plan

  variables {
    tags = { cost_center = "cc-1042", environment = "qa", application = "orders", owner = " " }
  }

  expect_failures = [var.tags]
}

run "easy_mistakes_refused" {
  command = plan

  variables {
    backup_retention_period = 3
    kms_key_arn             = "alias/orders"
    parameters              = [{ name = "rds.force_ssl", value = "0" }]
    max_allocated_storage   = 10
    storage_type            = "io1"
    username                = "postgres"
    monitoring_interval     = 0
  }

  expect_failures = [var.backup_retention_period, var.kms_key_arn, var.parameters, var.max_allocated_storage, var.iops, var.username, var.monitoring_interval]
}

run "final_snapshot_name_is_unique_per_instance" {
  command = apply

  assert {
    condition     = aws_db_instance.this.final_snapshot_identifier == "orders-dev-final-${random_id.final_snapshot.hex}" && length(random_id.final_snapshot.hex) > 0
    error_message = "The final snapshot carries a random suffix drawn with the instance, so a re-created instance never collides with an earlier snapshot."
  }
}

run "gp3_iops_below_400_gib_is_refused" {
  command = plan

  variables {
    storage_type      = "gp3"
    allocated_storage = 100
    iops              = 12000
  }

  expect_failures = [var.iops]
}

run "gp3_iops_from_400_gib_is_accepted" {
  command = plan

  variables {
    storage_type          = "gp3"
    allocated_storage     = 400
    max_allocated_storage = 1000
    iops                  = 12000
  }

  assert {
    condition     = aws_db_instance.this.iops == 12000
    error_message = "gp3 at 400 GiB may provision 12000 IOPS."
  }
}

run "monitoring_role_lies_under_the_boundary_path" {
  command = plan

  assert {
    condition     = aws_iam_role.monitoring.path == "/platform/"
    error_message = "The monitoring role lies under /platform/, the only path the boundary lets the apply role create and pass."
  }
}

# PostgreSQL on RDS: one private, encrypted, Multi-AZ-capable instance with its own
# subnet group (optional), security group, SSL-forcing parameter group, CMK-encrypted log
# groups and an enhanced-monitoring role. The master password lives only in Secrets Manager.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  tags = merge(var.tags, { managed_by = "terraform", module = "platform/rds" })

  major_version = split(".", var.engine_version)[0]
  family        = "postgres${local.major_version}"

  create_db_subnet_group = length(var.subnet_ids) > 0
  db_subnet_group_name   = local.create_db_subnet_group ? aws_db_subnet_group.this[0].name : var.db_subnet_group_name

  log_exports = ["postgresql", "upgrade"]
}

resource "aws_db_subnet_group" "this" {
  count = local.create_db_subnet_group ? 1 : 0

  name        = var.name
  description = "Private subnets for the ${var.name} PostgreSQL instance"
  subnet_ids  = var.subnet_ids

  tags = merge(local.tags, { Name = var.name })
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-"
  family      = local.family
  description = "Parameters for ${var.name}: TLS forced, slow-query logging"

  # TLS is not negotiable: clients that cannot speak TLS are refused.
  parameter {
    name         = "rds.force_ssl"
    value        = "1"
    apply_method = "pending-reboot"
  }

  # Log DDL and any statement slower than the threshold, so audits and tuning have data
  # without logging every query.
  parameter {
    name  = "log_statement"
    value = var.log_statement
  }

  parameter {
    name  = "log_min_duration_statement"
    value = tostring(var.log_min_duration_statement_ms)
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  dynamic "parameter" {
    for_each = var.parameters
    content {
      name         = parameter.value.name
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  tags = merge(local.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}

# Snapshot names are unique per account and Region and outlive the instance: a fixed name makes
# the destroy of a re-created instance fail. The suffix is drawn with each new instance.
resource "random_id" "final_snapshot" {
  byte_length = 4
  keepers     = { name = var.name }
}

resource "aws_db_instance" "this" {
  identifier = var.name

  engine                      = "postgres"
  engine_version              = var.engine_version
  allow_major_version_upgrade = var.allow_major_version_upgrade
  auto_minor_version_upgrade  = true
  instance_class              = var.instance_class
  parameter_group_name        = aws_db_parameter_group.this.name
  ca_cert_identifier          = var.ca_cert_identifier

  db_name                             = var.db_name
  username                            = var.username
  port                                = var.port
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = var.kms_key_arn
  iam_database_authentication_enabled = var.iam_database_authentication_enabled

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = var.storage_type
  iops                  = var.iops
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  db_subnet_group_name   = local.db_subnet_group_name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  multi_az               = var.multi_az

  backup_retention_period   = var.backup_retention_period
  backup_window             = var.backup_window
  maintenance_window        = var.maintenance_window
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-final-${random_id.final_snapshot.hex}"
  apply_immediately         = var.apply_immediately

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = var.performance_insights_retention_period

  monitoring_interval = var.monitoring_interval
  monitoring_role_arn = aws_iam_role.monitoring.arn

  enabled_cloudwatch_logs_exports = local.log_exports

  tags = merge(local.tags, { Name = var.name })

  # The log groups must exist first so RDS writes into the CMK-encrypted, retained groups
  # instead of creating unencrypted ones that never expire.
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy_attachment.monitoring]
}

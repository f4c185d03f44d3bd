# Offline specification of the config module: hardened delivery bucket, recorder for all
# resources, the managed rules, remediation switches, and the validations.
# Runs with `terraform test` (mocked AWS provider; needs the provider schema, not credentials).

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { region = "eu-west-1" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
}

variables {
  name                     = "platform-prod"
  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"
  tags = {
    cost_center = "cc-1234"
    environment = "prod"
    application = "platform"
    owner       = "platform-team"
  }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = aws_s3_bucket.this[0].bucket == "platform-prod-config-111122223333-eu-west-1" && !aws_s3_bucket.this[0].force_destroy
    error_message = "A delivery bucket is created with a derived name and no force_destroy."
  }
  assert {
    condition = (aws_s3_bucket_public_access_block.this[0].block_public_acls && aws_s3_bucket_public_access_block.this[0].block_public_policy &&
    aws_s3_bucket_public_access_block.this[0].ignore_public_acls && aws_s3_bucket_public_access_block.this[0].restrict_public_buckets)
    error_message = "All four public access block flags are on."
  }
  assert {
    condition     = aws_config_delivery_channel.this.s3_kms_key_arn == var.kms_key_arn && aws_config_delivery_channel.this.s3_bucket_name == aws_s3_bucket.this[0].bucket
    error_message = "Deliveries go to the created bucket, encrypted with the CMK."
  }
  assert {
    condition     = aws_config_configuration_recorder_status.this.is_enabled
    error_message = "The recorder is switched on."
  }
  assert {
    condition     = length(aws_config_config_rule.this) == 16 && jsondecode(aws_config_config_rule.this["required-tags"].input_parameters).tag2Value == "dev,staging,prod"
    error_message = "All sixteen rules exist; required-tags checks the environment values."
  }
  assert {
    condition     = toset(keys(aws_config_remediation_configuration.this)) == toset(["s3-bucket-public-read-prohibited", "s3-bucket-public-write-prohibited"])
    error_message = "Only the S3 public-access remediations are automatic by default."
  }
  assert {
    condition     = aws_iam_role.config.permissions_boundary == var.permissions_boundary_arn && aws_iam_role.remediation[0].permissions_boundary == var.permissions_boundary_arn
    error_message = "Every role carries the permissions boundary."
  }
  assert {
    condition     = aws_s3_bucket.this[0].tags["owner"] == "platform-team" && aws_config_config_rule.this["restricted-ssh"].tags["module"] == "platform/config"
    error_message = "FinOps and module tags are applied."
  }
}

run "existing_bucket_and_switches" {
  command = plan
  variables {
    existing_bucket_name          = "central-config-111122223333"
    include_global_resource_types = false
    disabled_rules                = ["eks-secrets-encrypted", "eks-endpoint-no-public-access"]
    remediation = {
      s3_bucket_public_read_prohibited  = false
      s3_bucket_public_write_prohibited = false
    }
  }

  assert {
    condition     = length(aws_s3_bucket.this) == 0 && aws_config_delivery_channel.this.s3_bucket_name == "central-config-111122223333"
    error_message = "With existing_bucket_name no bucket is created and deliveries go there."
  }
  assert {
    condition     = length(aws_config_config_rule.this) == 14 && !contains(keys(aws_config_config_rule.this), "eks-secrets-encrypted")
    error_message = "disabled_rules removes exactly the named rules."
  }
  assert {
    condition     = length(aws_config_remediation_configuration.this) == 0 && length(aws_iam_role.remediation) == 0
    error_message = "No remediation and no remediation role when every switch is off."
  }
}

run "rejects_unknown_rule_name" {
  command = plan
  variables {
    disabled_rules = ["s3-bucket-versioning-enabled"]
  }
  expect_failures = [var.disabled_rules]
}

run "rejects_expiration_before_transition" {
  command = plan
  variables {
    retention = { transition_days = 90, expiration_days = 60 }
  }
  expect_failures = [var.retention]
}

run "rejects_bucket_arn_as_name" {
  command = plan
  variables {
    existing_bucket_name = "arn:aws:s3:::central-config"
  }
  expect_failures = [var.existing_bucket_name]
}

run "rejects_unknown_recording_frequency" {
  command = plan
  variables {
    recording_frequency = "HOURLY"
  }
  expect_failures = [var.recording_frequency]
}

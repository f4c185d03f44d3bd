# Offline unit tests: mocked AWS provider (schemas from the real provider, no credentials).
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
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  tags = {
    cost_center = "cc-1234"
    environment = "dev"
    application = "tests"
    owner       = "platform-team"
  }

  bucket_name = "tests-data-111122223333"
  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555"
}

run "defaults_are_secure" {
  command = plan

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "All four public-access-block flags must be on."
  }
  assert {
    condition     = one(aws_s3_bucket_ownership_controls.this.rule).object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled."
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
    error_message = "Default encryption must be SSE-KMS."
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).bucket_key_enabled == true
    error_message = "The S3 Bucket Key must be on."
  }
  assert {
    condition     = one(aws_s3_bucket_versioning.this.versioning_configuration).status == "Enabled"
    error_message = "Versioning must be on."
  }
  assert {
    condition     = aws_s3_bucket.this.force_destroy == false && length(aws_s3_bucket_logging.this) == 0 && length(aws_s3_bucket_object_lock_configuration.this) == 0
    error_message = "force_destroy off, logging and object lock off unless asked for."
  }
}

run "kms_alias_instead_of_key_arn_is_rejected" {
  command = plan
  variables {
    kms_key_arn = "alias/platform"
  }
  expect_failures = [var.kms_key_arn]
}

run "invalid_bucket_name_is_rejected" {
  command = plan
  variables {
    bucket_name = "Tests_Data"
  }
  expect_failures = [var.bucket_name]
}

run "s3_star_grant_is_rejected" {
  command = plan
  variables {
    policy_statements = [{ sid = "All", actions = ["s3:*"], principal_arns = ["arn:aws:iam::111122223333:role/app"] }]
  }
  expect_failures = [var.policy_statements]
}

run "anonymous_principal_grant_is_rejected" {
  command = plan
  variables {
    policy_statements = [{ sid = "Public", actions = ["s3:GetObject"], principal_arns = ["*"] }]
  }
  expect_failures = [var.policy_statements]
}

run "unknown_object_lock_mode_is_rejected" {
  command = plan
  variables {
    object_lock = { mode = "FOREVER", days = 30 }
  }
  expect_failures = [var.object_lock]
}

run "options_create_logging_and_object_lock" {
  command = plan
  variables {
    access_logging = { target_bucket = "tests-logs-111122223333" }
    object_lock    = { mode = "GOVERNANCE", days = 7 }
  }
  assert {
    condition     = length(aws_s3_bucket_logging.this) == 1 && length(aws_s3_bucket_object_lock_configuration.this) == 1 && aws_s3_bucket.this.object_lock_enabled
    error_message = "access_logging and object_lock must create their resources."
  }
}

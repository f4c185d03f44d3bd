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

run "transition_to_standard_ia_before_30_days_is_rejected" {
  command = plan
  variables {
    lifecycle_rules = [{ id = "tmp", transition_days = 7, storage_class = "STANDARD_IA" }]
  }
  expect_failures = [var.lifecycle_rules]
}

run "early_transition_to_intelligent_tiering_is_accepted" {
  command = plan
  variables {
    lifecycle_rules = [{ id = "tmp", transition_days = 0, storage_class = "INTELLIGENT_TIERING" }]
  }
}

# apply (with mocks) so that the bucket ARN in the statement is known when asserted.
run "bucket_can_be_an_access_log_target" {
  command = apply
  variables {
    bucket_name = "tests-logs-111122223333"
    access_log_delivery = {
      prefix             = "s3-access/"
      source_bucket_arns = ["arn:aws:s3:::tests-data-111122223333"]
    }
  }

  assert {
    condition = one([for s in data.aws_iam_policy_document.bucket.statement :
      one(s.principals).identifiers == toset(["logging.s3.amazonaws.com"]) && s.actions == toset(["s3:PutObject"]) &&
    s.resources == toset(["${aws_s3_bucket.this.arn}/s3-access/*"]) if s.sid == "AllowS3ServerAccessLogDelivery"])
    error_message = "The log delivery service may put objects under the prefix only."
  }
  assert {
    condition     = toset([for s in data.aws_iam_policy_document.bucket.statement : [for c in s.condition : c.variable] if s.sid == "AllowS3ServerAccessLogDelivery"][0]) == toset(["aws:SourceAccount", "aws:SourceArn"])
    error_message = "Log delivery is scoped to this account and the listed source buckets."
  }
  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs stay disabled on a log bucket: delivery is granted by bucket policy."
  }
}

run "no_log_delivery_grant_by_default" {
  command = plan
  assert {
    condition     = length([for s in data.aws_iam_policy_document.bucket.statement : s if s.sid == "AllowS3ServerAccessLogDelivery"]) == 0
    error_message = "No bucket accepts log delivery unless asked."
  }
}

run "log_target_with_object_lock_is_rejected" {
  command = plan
  variables {
    access_log_delivery = {}
    object_lock         = { mode = "GOVERNANCE", days = 30 }
  }
  expect_failures = [var.access_log_delivery]
}

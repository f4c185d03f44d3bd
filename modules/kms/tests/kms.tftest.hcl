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

  name                   = "tests/shared"
  description            = "Test key"
  key_administrator_arns = ["arn:aws:iam::111122223333:role/platform-admin"]
}

run "defaults_are_secure" {
  command = plan

  assert {
    condition     = aws_kms_key.this.enable_key_rotation == true
    error_message = "Key rotation must be on."
  }
  assert {
    condition     = aws_kms_key.this.deletion_window_in_days == 30
    error_message = "Deletion window must default to 30 days."
  }
  assert {
    condition     = aws_kms_key.this.multi_region == false
    error_message = "Keys must be single-Region by default."
  }
  assert {
    condition     = aws_kms_key.this.tags["cost_center"] == "cc-1234" && aws_kms_key.this.tags["module"] == "platform/kms"
    error_message = "The key must carry the FinOps tags and the module tag."
  }
  assert {
    condition     = aws_kms_alias.this.name == "alias/tests/shared"
    error_message = "Alias must be alias/<name>."
  }
}

run "deletion_window_below_seven_days_is_rejected" {
  command = plan
  variables {
    deletion_window_in_days = 5
  }
  expect_failures = [var.deletion_window_in_days]
}

run "key_without_administrators_is_rejected" {
  command = plan
  variables {
    key_administrator_arns = []
  }
  expect_failures = [var.key_administrator_arns]
}

run "wildcard_key_user_is_rejected" {
  command = plan
  variables {
    key_user_arns = ["*"]
  }
  expect_failures = [var.key_user_arns]
}

run "unknown_service_principal_is_rejected" {
  command = plan
  variables {
    service_principals = ["lambda"]
  }
  expect_failures = [var.service_principals]
}

run "missing_finops_tag_is_rejected" {
  command = plan
  variables {
    tags = { cost_center = "cc-1234", environment = "dev", application = "tests" }
  }
  expect_failures = [var.tags]
}

run "unknown_environment_is_rejected" {
  command = plan
  variables {
    tags = { cost_center = "cc-1234", environment = "qa", application = "tests", owner = "me" }
  }
  expect_failures = [var.tags]
}

# monitoring's topics carry finops' budget and anomaly alerts: their key must admit both services.
run "budgets_and_cost_anomaly_alerts_may_use_the_key" {
  command = plan
  variables {
    service_principals = ["cloudwatch", "budgets", "costalerts"]
  }

  assert {
    condition = alltrue([for sid in ["ServiceCloudwatch", "ServiceBudgets", "ServiceCostalerts"] :
    contains([for s in data.aws_iam_policy_document.key.statement : s.sid], sid)])
    error_message = "cloudwatch, budgets and costalerts each get an account-scoped statement."
  }
  assert {
    condition = alltrue([for s in data.aws_iam_policy_document.key.statement :
    one([for c in s.condition : c.values if c.variable == "aws:SourceAccount"]) == ["111122223333"] if contains(["ServiceBudgets", "ServiceCostalerts"], s.sid)])
    error_message = "budgets and costalerts are scoped to this account with aws:SourceAccount."
  }
}

run "autoscaling_service_linked_role_is_named_in_the_key_policy_for_encrypted_node_volumes" {
  command = plan
  variables {
    allow_autoscaling_service_linked_role  = true
    create_autoscaling_service_linked_role = true
  }

  assert {
    condition = alltrue([for s in data.aws_iam_policy_document.key.statement :
      one(s.principals).identifiers == ["arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"]
    if startswith(coalesce(s.sid, "-"), "AutoScalingServiceLinkedRole")])
    error_message = "The Auto Scaling statements name exactly the AWSServiceRoleForAutoScaling role."
  }
  assert {
    condition     = length([for s in data.aws_iam_policy_document.key.statement : s if startswith(coalesce(s.sid, "-"), "AutoScalingServiceLinkedRole")]) == 2
    error_message = "Auto Scaling gets a use statement and a grant statement."
  }
  assert {
    condition     = aws_iam_service_linked_role.autoscaling[0].aws_service_name == "autoscaling.amazonaws.com"
    error_message = "A fresh account gets the Auto Scaling service-linked role before the key policy names it."
  }
}

run "autoscaling_role_is_not_named_by_default" {
  command = plan

  assert {
    condition     = length([for s in data.aws_iam_policy_document.key.statement : s if startswith(coalesce(s.sid, "-"), "AutoScaling")]) == 0 && length(aws_iam_service_linked_role.autoscaling) == 0
    error_message = "The key policy names no Auto Scaling role unless asked."
  }
}

run "creating_the_autoscaling_role_without_naming_it_is_rejected" {
  command = plan
  variables {
    create_autoscaling_service_linked_role = true
  }
  expect_failures = [var.create_autoscaling_service_linked_role]
}

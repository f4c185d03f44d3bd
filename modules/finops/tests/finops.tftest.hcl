# Offline specification of the finops module: tag activation, CUR 2.0 export to the hardened
# bucket, budgets routed by severity, anomaly detection, and the validations.
# Runs with `terraform test` (mocked AWS provider; needs the provider schema, not credentials).

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { region = "us-east-1" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
}

variables {
  name        = "platform-prod"
  kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  alert_topic_arns = {
    critical = "arn:aws:sns:us-east-1:111122223333:shop-prod-critical"
    warning  = "arn:aws:sns:us-east-1:111122223333:shop-prod-warning"
    info     = "arn:aws:sns:us-east-1:111122223333:shop-prod-info"
  }
  budgets = {
    shop-prod = { application = "shop", environment = "prod", limit_usd = 1000 }
  }
  tags = {
    cost_center = "cc-1234"
    environment = "prod"
    application = "platform"
    owner       = "platform-team"
  }
}

run "defaults" {
  command = plan

  assert {
    condition     = toset(keys(aws_ce_cost_allocation_tag.this)) == toset(["cost_center", "environment", "application", "owner"])
    error_message = "The four FinOps keys are activated as cost allocation tags."
  }
  assert {
    condition     = aws_s3_bucket.this[0].bucket == "platform-prod-cur-111122223333" && aws_s3_bucket_public_access_block.this[0].restrict_public_buckets
    error_message = "The report bucket is created, private."
  }
  assert {
    condition     = length(aws_bcmdataexports_export.cur) == 1
    error_message = "A CUR 2.0 export is created by default."
  }
  assert {
    condition     = aws_budgets_budget.this["shop-prod"].limit_amount == "1000.00" && aws_budgets_budget.this["shop-prod"].time_unit == "MONTHLY"
    error_message = "Budgets are monthly in USD by default."
  }
  assert {
    condition = (length([for n in aws_budgets_budget.this["shop-prod"].notification : n if n.notification_type == "ACTUAL" && n.threshold == 100 && contains(n.subscriber_sns_topic_arns, var.alert_topic_arns["critical"])]) == 1 &&
    length([for n in aws_budgets_budget.this["shop-prod"].notification : n if n.notification_type == "FORECASTED" && contains(n.subscriber_sns_topic_arns, var.alert_topic_arns["warning"])]) == 1)
    error_message = "100% actual spend alerts critical; forecasts alert warning."
  }
  assert {
    condition     = length(aws_ce_anomaly_monitor.service) == 1 && aws_ce_anomaly_subscription.this[0].frequency == "IMMEDIATE"
    error_message = "Anomaly detection: a service monitor and an immediate SNS subscription."
  }
}

run "member_account_without_export" {
  command = plan
  variables {
    activate_cost_allocation_tags = false
    cost_export                   = { enabled = false }
    anomaly_detection             = { enabled = false }
  }

  assert {
    condition     = length(aws_ce_cost_allocation_tag.this) == 0 && length(aws_s3_bucket.this) == 0 && length(aws_bcmdataexports_export.cur) == 0 && length(aws_ce_anomaly_subscription.this) == 0
    error_message = "Switches remove tag activation, export, bucket and anomaly detection."
  }
}

run "rejects_topics_without_critical" {
  command = plan
  variables {
    alert_topic_arns = { warning = "arn:aws:sns:us-east-1:111122223333:shop-prod-warning" }
  }
  expect_failures = [var.alert_topic_arns]
}

run "rejects_unknown_environment_in_budget" {
  command = plan
  variables {
    budgets = { shop-qa = { application = "shop", environment = "qa", limit_usd = 100 } }
  }
  expect_failures = [var.budgets]
}

run "rejects_non_positive_limit" {
  command = plan
  variables {
    budgets = { shop-prod = { application = "shop", environment = "prod", limit_usd = 0 } }
  }
  expect_failures = [var.budgets]
}

run "rejects_unknown_granularity" {
  command = plan
  variables {
    cost_export = { time_granularity = "WEEKLY" }
  }
  expect_failures = [var.cost_export]
}

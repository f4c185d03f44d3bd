# Offline specification of the monitoring module: encrypted severity topics, alarms with the
# recommended thresholds and M-of-N evaluation, and the validations that refuse easy mistakes.
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
  name        = "shop-prod"
  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  email_subscriptions = {
    critical = ["oncall@example.com"]
  }
  https_subscriptions = {
    warning = ["https://hooks.example.com/services/T000/B000"]
  }
  ec2_instances = {
    backend = { instance_id = "i-0123456789abcdef0" }
    worker  = { instance_id = "i-0fedcba9876543210", burstable = true, auto_recover = false }
  }
  rds_instances = {
    primary = { identifier = "shop-prod", allocated_storage_gb = 200, max_connections = 800 }
    replica = { identifier = "shop-prod-replica", allocated_storage_gb = 200, max_connections = 800, is_replica = true }
  }
  albs = {
    web = {
      load_balancer_arn_suffix = "app/shop-prod-web/50dc6c495c0c9188"
      target_group_arn_suffix  = "targetgroup/shop-prod-web/73e2d6bc24d8a067"
    }
  }
  eks_cluster_names = ["shop-prod"]
  tags = {
    cost_center = "cc-1234"
    environment = "prod"
    application = "shop"
    owner       = "platform-team"
  }
}

run "topics_are_encrypted_per_severity" {
  command = plan

  assert {
    condition     = toset(keys(aws_sns_topic.this)) == toset(["critical", "warning", "info"])
    error_message = "One topic per severity: critical, warning, info."
  }
  assert {
    condition     = alltrue([for t in aws_sns_topic.this : t.kms_master_key_id == var.kms_key_arn])
    error_message = "Every topic must be encrypted with the given CMK."
  }
  assert {
    condition     = length(aws_sns_topic_subscription.this) == 2 && aws_sns_topic_subscription.this["warning/https/https://hooks.example.com/services/T000/B000"].protocol == "https"
    error_message = "E-mail and HTTPS subscriptions are created per severity."
  }
}

run "alarms_follow_recommended_thresholds" {
  command = plan

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["rds-primary-free-storage"].threshold == 21474836480
    error_message = "Free storage alarm: 10% of 200 GiB in bytes."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["rds-primary-connections"].threshold == 640
    error_message = "Connections alarm: 80% of max_connections."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["ec2-backend-cpu"].evaluation_periods == 5 && aws_cloudwatch_metric_alarm.this["ec2-backend-cpu"].datapoints_to_alarm == 3
    error_message = "Metric alarms use 3-of-5 evaluation by default."
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this["ec2-backend-status-system"].alarm_actions) == 2 && length(aws_cloudwatch_metric_alarm.this["ec2-worker-status-system"].alarm_actions) == 1
    error_message = "The system status-check alarm adds the EC2 recover action only when auto_recover is on."
  }
  assert {
    condition     = contains(keys(aws_cloudwatch_metric_alarm.this), "ec2-worker-cpu-credits") && !contains(keys(aws_cloudwatch_metric_alarm.this), "ec2-backend-cpu-credits")
    error_message = "CPU credit alarms exist only for burstable instances."
  }
  assert {
    condition     = contains(keys(aws_cloudwatch_metric_alarm.this), "rds-replica-replica-lag") && !contains(keys(aws_cloudwatch_metric_alarm.this), "rds-primary-replica-lag")
    error_message = "Replica lag alarms exist only for replicas."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["alb-web-latency-p99"].extended_statistic == "p99" && aws_cloudwatch_metric_alarm.this["alb-web-latency-p99"].statistic == null
    error_message = "Latency alarms use the p99 extended statistic."
  }
  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.this : a.actions_enabled && length(a.ok_actions) == 1])
    error_message = "Every alarm has actions enabled and notifies on OK."
  }
  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.this : a.tags["cost_center"] == "cc-1234" && a.tags["module"] == "platform/monitoring" && contains(["critical", "warning"], a.tags["severity"])])
    error_message = "Alarms carry the FinOps tags, the module tag and their severity."
  }
  assert {
    condition     = aws_cloudwatch_dashboard.this[0].dashboard_name == "shop-prod"
    error_message = "The dashboard is named <application>-<environment>."
  }
}

run "rejects_plain_http_webhooks" {
  command = plan
  variables {
    https_subscriptions = { critical = ["http://hooks.example.com/x"] }
  }
  expect_failures = [var.https_subscriptions]
}

run "rejects_invalid_email" {
  command = plan
  variables {
    email_subscriptions = { warning = ["not-an-address"] }
  }
  expect_failures = [var.email_subscriptions]
}

run "rejects_kms_alias" {
  command = plan
  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:alias/aws/sns"
  }
  expect_failures = [var.kms_key_arn]
}

run "rejects_out_of_range_threshold" {
  command = plan
  variables {
    thresholds = { ec2_cpu_percent = 150 }
  }
  expect_failures = [var.thresholds]
}

run "rejects_more_datapoints_than_periods" {
  command = plan
  variables {
    evaluation = { evaluation_periods = 2, datapoints_to_alarm = 3 }
  }
  expect_failures = [var.evaluation]
}

run "rejects_unknown_publisher_service" {
  command = plan
  variables {
    topic_publisher_services = ["s3.amazonaws.com"]
  }
  expect_failures = [var.topic_publisher_services]
}

run "rejects_missing_finops_tag" {
  command = plan
  variables {
    tags = { cost_center = "cc-1234", environment = "prod", application = "shop" }
  }
  expect_failures = [var.tags]
}

run "network_and_memory_alarms_for_ec2_hosts" {
  command = plan
  variables {
    ec2_host_alarms = {
      backend = { network_in_bytes_per_second = 50000000, network_out_bytes_per_second = 50000000, memory_used_percent = 90 }
    }
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["ec2-backend-network-in"].metric_name == "NetworkIn" && aws_cloudwatch_metric_alarm.this["ec2-backend-network-in"].threshold == 50000000 * 300 && aws_cloudwatch_metric_alarm.this["ec2-backend-network-in"].statistic == "Sum"
    error_message = "NetworkIn alarms on the bytes of a period: the per-second threshold times the period."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["ec2-backend-network-out"].metric_name == "NetworkOut"
    error_message = "NetworkOut gets its own alarm."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.this["ec2-backend-memory"].namespace == "CWAgent" && aws_cloudwatch_metric_alarm.this["ec2-backend-memory"].metric_name == "mem_used_percent" && aws_cloudwatch_metric_alarm.this["ec2-backend-memory"].dimensions["InstanceId"] == "i-0123456789abcdef0"
    error_message = "Memory alarms read the CloudWatch agent's mem_used_percent per instance."
  }
  assert {
    condition     = !contains(keys(aws_cloudwatch_metric_alarm.this), "ec2-worker-memory")
    error_message = "Hosts without ec2_host_alarms get no memory alarm (they may have no agent)."
  }
}

run "host_alarms_for_an_unknown_instance_are_rejected" {
  command = plan
  variables {
    ec2_host_alarms = { frontend = { memory_used_percent = 90 } }
  }
  expect_failures = [var.ec2_host_alarms]
}

run "slack_channel_through_aws_chatbot" {
  command = plan
  variables {
    permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform/platform-boundary"
    slack_channels = {
      oncall = { slack_team_id = "T0123ABCD", slack_channel_id = "C0123ABCDEF" }
    }
  }

  assert {
    condition     = aws_chatbot_slack_channel_configuration.this["oncall"].slack_channel_id == "C0123ABCDEF" && aws_chatbot_slack_channel_configuration.this["oncall"].user_authorization_required
    error_message = "The channel is configured, and members act with their own permissions."
  }
  assert {
    condition     = aws_iam_role.chatbot[0].path == "/platform/" && aws_iam_role.chatbot[0].permissions_boundary == var.permissions_boundary_arn
    error_message = "The Chatbot role lies under the boundary path and carries the boundary."
  }
  assert {
    condition     = toset(aws_chatbot_slack_channel_configuration.this["oncall"].guardrail_policy_arns) == toset(["arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"])
    error_message = "The channel guardrail is read-only CloudWatch."
  }
}

run "slack_channel_without_boundary_is_rejected" {
  command = plan
  variables {
    slack_channels = { oncall = { slack_team_id = "T0123ABCD", slack_channel_id = "C0123ABCDEF" } }
  }
  expect_failures = [var.permissions_boundary_arn]
}

run "slack_channel_name_instead_of_id_is_rejected" {
  command = plan
  variables {
    permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform/platform-boundary"
    slack_channels           = { oncall = { slack_team_id = "T0123ABCD", slack_channel_id = "#oncall" } }
  }
  expect_failures = [var.slack_channels]
}

run "trusted_advisor_outside_us_east_1_is_refused" {
  command = plan
  variables {
    trusted_advisor_alerts = {}
  }
  expect_failures = [aws_cloudwatch_event_rule.trusted_advisor[0]]
}

run "trusted_advisor_results_reach_the_warning_topic" {
  command = plan
  override_data {
    target = data.aws_region.current
    values = { region = "us-east-1" }
  }
  variables {
    trusted_advisor_alerts = {}
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.trusted_advisor[0].event_pattern).source == ["aws.trustedadvisor"] && jsondecode(aws_cloudwatch_event_rule.trusted_advisor[0].event_pattern).detail.status == ["ERROR", "WARN"]
    error_message = "ERROR and WARN Trusted Advisor results are matched."
  }
  assert {
    condition     = contains(one([for s in data.aws_iam_policy_document.topic["warning"].statement : one(s.principals).identifiers if s.sid == "AwsServicesPublishForThisAccount"]), "events.amazonaws.com")
    error_message = "EventBridge may then publish to the topics."
  }
}

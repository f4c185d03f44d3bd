# Full use: EC2 backends (one burstable), RDS PostgreSQL primary + replica, the frontend ALB,
# the EKS cluster (Container Insights), chat webhooks, tuned thresholds and a dashboard.
provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      cost_center = "cc-1234"
      environment = "prod"
      application = "shop"
      owner       = "platform-team"
    }
  }
}

module "monitoring" {
  source = "../.."

  name        = "shop-prod"
  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

  email_subscriptions = {
    critical = ["oncall@example.com"]
    warning  = ["platform-team@example.com"]
  }
  https_subscriptions = {
    critical = ["https://events.pagerduty.com/integration/0123456789abcdef/enqueue"]
    warning  = ["https://global.sns-api.chatbot.amazonaws.com"]
  }

  ec2_instances = {
    backend-a = { instance_id = "i-0123456789abcdef0" }
    backend-b = { instance_id = "i-0fedcba9876543210" }
    worker    = { instance_id = "i-0a1b2c3d4e5f60718", burstable = true, auto_recover = false }
  }

  rds_instances = {
    primary = { identifier = "shop-prod", allocated_storage_gb = 200, max_connections = 800 }
    replica = { identifier = "shop-prod-replica", allocated_storage_gb = 200, max_connections = 800, is_replica = true }
  }

  albs = {
    frontend = {
      load_balancer_arn_suffix = "app/shop-prod-frontend/50dc6c495c0c9188"
      target_group_arn_suffix  = "targetgroup/shop-prod-web/73e2d6bc24d8a067"
    }
  }

  eks_cluster_names = ["shop-prod"]

  # Network on both backends; memory where the CloudWatch agent runs (platform/iam ec2_roles
  # enable_cloudwatch_agent, agent config with append_dimensions InstanceId).
  ec2_host_alarms = {
    backend-a = { network_in_bytes_per_second = 60000000, network_out_bytes_per_second = 60000000, memory_used_percent = 90 }
    backend-b = { network_in_bytes_per_second = 60000000, network_out_bytes_per_second = 60000000, memory_used_percent = 90 }
  }

  # Slack through AWS Chatbot (the workspace was authorised once in the Chatbot console).
  slack_channels = {
    oncall   = { slack_team_id = "T0123ABCD", slack_channel_id = "C0123ABCDEF", severities = ["critical"] }
    platform = { slack_team_id = "T0123ABCD", slack_channel_id = "C0456GHIJKL", severities = ["critical", "warning", "info"] }
  }
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform/platform-boundary"

  thresholds = {
    ec2_cpu_percent              = 75
    rds_free_storage_percent     = 15
    alb_target_response_time_p99 = 1.5
  }

  evaluation = {
    period_seconds      = 300
    evaluation_periods  = 5
    datapoints_to_alarm = 3
  }

  tags = {
    cost_center = "cc-1234"
    environment = "prod"
    application = "shop"
    owner       = "platform-team"
    data_class  = "internal"
  }
}

# Trusted Advisor emits its events in us-east-1 only: a second, small instance there.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

module "monitoring_global" {
  source = "../.."

  providers = { aws = aws.us_east_1 }

  name                   = "shop-prod-global"
  kms_key_arn            = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  create_dashboard       = false
  trusted_advisor_alerts = { statuses = ["ERROR", "WARN"], severity = "warning" }
  email_subscriptions    = { warning = ["platform-team@example.com"] }

  tags = {
    cost_center = "cc-1234"
    environment = "prod"
    application = "shop"
    owner       = "platform-team"
  }
}

output "topic_arns" {
  description = "SNS topic ARNs by severity, for finops and eks-monitoring."
  value       = module.monitoring.topic_arns
}

output "alarm_arns" {
  description = "All alarm ARNs."
  value       = module.monitoring.alarm_arns
}

output "dashboard_name" {
  description = "CloudWatch dashboard name."
  value       = module.monitoring.dashboard_name
}

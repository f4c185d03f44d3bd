# The registry's production alarms, alerting the platform monitoring topics.
provider "aws" {
  region = "eu-west-1"
}

module "modreg_alarms" {
  source = "../.."

  name                     = "modreg-prod"
  load_balancer_arn_suffix = "app/modreg-prod/50dc6c495c0c9188"
  target_group_arn_suffix  = "targetgroup/modreg-prod/73e2d6bc24d8a067"

  alert_topic_arns = {
    critical = "arn:aws:sns:eu-west-1:111122223333:platform-prod-critical"
    warning  = "arn:aws:sns:eu-west-1:111122223333:platform-prod-warning"
  }

  thresholds = {
    target_5xx_percent  = 2
    p99_latency_seconds = 0.5
    min_healthy_hosts   = 2
  }

  tags = {
    cost_center = "cc-platform"
    environment = "prod"
    application = "modreg"
    owner       = "platform-team"
  }
}

output "alarm_arns" {
  description = "The registry's alarm ARNs."
  value       = module.modreg_alarms.alarm_arns
}

# Full use: budget and anomaly alerts go to the severity topics of the monitoring module (in a
# real root: alert_topic_arns = module.monitoring.topic_arns; literal ARNs keep this example
# self-contained). Budgets per application and environment, hourly CUR 2.0 with EKS split cost
# data, per-application anomaly monitors.
provider "aws" {
  region = "us-east-1"
}

module "finops" {
  source = "../.."

  name        = "platform-prod"
  kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  alert_topic_arns = {
    critical = "arn:aws:sns:us-east-1:111122223333:finops-prod-critical"
    warning  = "arn:aws:sns:us-east-1:111122223333:finops-prod-warning"
    info     = "arn:aws:sns:us-east-1:111122223333:finops-prod-info"
  }

  extra_cost_allocation_tag_keys = ["team"]

  cost_export = {
    time_granularity                   = "HOURLY"
    include_resources                  = true
    include_split_cost_allocation_data = true
  }

  bucket_name = "platform-prod-cur-111122223333"
  access_logging = {
    target_bucket = "platform-prod-access-logs-111122223333"
  }
  report_retention = {
    transition_days = 90
    expiration_days = 1825
  }

  budgets = {
    shop-prod     = { application = "shop", environment = "prod", limit_usd = 12000, actual_thresholds = [50, 80, 100], forecast_thresholds = [90, 110] }
    shop-staging  = { application = "shop", environment = "staging", limit_usd = 2500 }
    modreg-prod   = { application = "modreg", environment = "prod", limit_usd = 300 }
    platform-prod = { application = "platform", environment = "prod", limit_usd = 4000, time_unit = "QUARTERLY" }
  }

  anomaly_detection = {
    applications  = ["shop", "modreg"]
    threshold_usd = 250
  }

  tags = {
    cost_center = "cc-1234"
    environment = "prod"
    application = "platform"
    owner       = "platform-team"
  }
}

output "budget_names" {
  description = "Budget names."
  value       = module.finops.budget_names
}

output "cost_export_arn" {
  description = "CUR 2.0 export ARN."
  value       = module.finops.cost_export_arn
}

# Minimal use: activate the FinOps cost allocation tags, a CUR 2.0 export, one monthly budget
# and anomaly detection, alerting monitoring's SNS topics. Data Exports, Budgets and Cost
# Explorer are answered in us-east-1.
provider "aws" {
  region = "us-east-1"
}

module "finops" {
  source = "../.."

  name        = "platform-dev"
  kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

  alert_topic_arns = {
    critical = "arn:aws:sns:us-east-1:111122223333:shop-dev-critical"
    warning  = "arn:aws:sns:us-east-1:111122223333:shop-dev-warning"
    info     = "arn:aws:sns:us-east-1:111122223333:shop-dev-info"
  }

  budgets = {
    shop-dev = { application = "shop", environment = "dev", limit_usd = 500 }
  }

  tags = {
    cost_center = "cc-1234"
    environment = "dev"
    application = "platform"
    owner       = "platform-team"
  }
}

output "budget_names" {
  description = "Budget names."
  value       = module.finops.budget_names
}

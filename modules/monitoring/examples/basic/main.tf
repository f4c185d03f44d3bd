# Minimal use: three severity topics encrypted with a CMK and one on-call e-mail.
provider "aws" {
  region = "eu-west-1"
}

module "monitoring" {
  source = "../.."

  name        = "shop-dev"
  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

  email_subscriptions = {
    critical = ["oncall@example.com"]
  }

  tags = {
    cost_center = "cc-1234"
    environment = "dev"
    application = "shop"
    owner       = "platform-team"
  }
}

output "topic_arns" {
  description = "SNS topic ARNs by severity."
  value       = module.monitoring.topic_arns
}

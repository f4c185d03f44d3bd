# Minimal use: recorder, delivery to a new hardened bucket, every managed rule, S3 public-access
# auto-remediation.
provider "aws" {
  region = "eu-west-1"
}

module "config" {
  source = "../.."

  name                     = "platform-dev"
  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"

  tags = {
    cost_center = "cc-1234"
    environment = "dev"
    application = "platform"
    owner       = "platform-team"
  }
}

output "rule_arns" {
  description = "Config rule ARNs by rule name."
  value       = module.config.rule_arns
}

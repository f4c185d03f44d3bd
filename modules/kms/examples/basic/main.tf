# The smallest useful key: one administrator role, one user role, rotation and a 30-day
# deletion window from the module defaults.
provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

module "kms" {
  source = "../.."

  name                   = "orders-basic"
  description            = "Encrypts the orders application's data"
  key_administrator_arns = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/platform-admin"]
  key_user_arns          = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/orders-app"]

  tags = {
    cost_center = "cc-1234"
    environment = "dev"
    application = "orders"
    owner       = "platform-team"
  }
}

output "key_arn" {
  description = "ARN of the key."
  value       = module.kms.key_arn
}

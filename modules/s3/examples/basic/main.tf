# A private, versioned, SSE-KMS bucket with the platform defaults: all four public-access-block
# flags, ACLs disabled, deny non-TLS and TLS < 1.2, abort incomplete uploads after 7 days.
provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

# The shared platform key created by platform/kms.
data "aws_kms_alias" "platform" {
  name = "alias/platform/dev/shared"
}

module "bucket" {
  source = "../.."

  bucket_name = "orders-dev-data-${data.aws_caller_identity.current.account_id}"
  kms_key_arn = data.aws_kms_alias.platform.target_key_arn

  tags = {
    cost_center = "cc-1234"
    environment = "dev"
    application = "orders"
    owner       = "platform-team"
  }
}

output "bucket_name" {
  description = "Name of the bucket."
  value       = module.bucket.bucket_name
}

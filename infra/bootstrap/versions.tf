# Per AWS account, once, by an administrator: the Terraform state bucket and its key, the
# access-log bucket, an optional DynamoDB lock table, and the GitHub OIDC provider with the
# plan and apply roles. Its own state starts local and is migrated into the bucket it creates
# (docs/environments.md, "Bootstrap an account").
terraform {
  required_version = ">= 1.11"

  # Partial configuration, filled from accounts/<account>.s3.tfbackend once the bucket exists.
  # First run: a git-ignored backend_override.tf holding `backend "local" {}` (see the docs).
  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0, < 7.0"
    }
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]
}

terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0, < 7.0"
    }
  }

  # Partial configuration: `terraform init -backend-config=<env>.s3.tfbackend` (see example.s3.tfbackend)
  # names the state bucket, key and region per environment; S3-native locking, no DynamoDB.
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

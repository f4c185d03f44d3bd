# A thin root: providers, the state backend and one call of the environment composition
# (infra/envs/platform), which calls every registry module at the pinned versions. This file,
# variables.tf and outputs.tf are identical in every environment (tests/infra/check.sh holds
# them so); what differs lives in terraform.tfvars and backend.s3.tfbackend.
terraform {
  required_version = ">= 1.11"

  # Partial configuration: bucket, key, region and use_lockfile come from backend.s3.tfbackend
  # (terraform init -backend-config=backend.s3.tfbackend).
  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0, < 7.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = ">= 3.0, < 4.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.36, < 3.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.7, < 4.0"
    }
  }
}

# Credentials come from the environment only: GitHub OIDC in CI (the plan or apply role of
# infra/bootstrap), an SSO session on a laptop. Nothing here names a profile or a key.
provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]
}

provider "aws" {
  alias               = "us_east_1"
  region              = "us-east-1"
  allowed_account_ids = [var.account_id]
}

# eks-monitoring installs into the cluster this environment creates; tokens are fetched per run.
provider "kubernetes" {
  host                   = module.platform.cluster_endpoint
  cluster_ca_certificate = base64decode(module.platform.cluster_certificate_authority_data)
  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.platform.cluster_name, "--region", var.region]
  }
}

provider "helm" {
  kubernetes = {
    host                   = module.platform.cluster_endpoint
    cluster_ca_certificate = base64decode(module.platform.cluster_certificate_authority_data)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.platform.cluster_name, "--region", var.region]
    }
  }
}

module "platform" {
  source = "../platform"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name                     = var.name
  environment              = var.environment
  finops_tags              = var.finops_tags
  permissions_boundary_arn = var.permissions_boundary_arn
  kms_administrator_arns   = var.kms_administrator_arns
  cluster_admin_role_arns  = var.cluster_admin_role_arns
  network                  = var.network
  cluster                  = var.cluster
  backend                  = var.backend
  database                 = var.database
  alerts                   = var.alerts
  prometheus               = var.prometheus
  finops                   = var.finops
  record_global_resources  = var.record_global_resources

  create_autoscaling_service_linked_role = var.create_autoscaling_service_linked_role
}

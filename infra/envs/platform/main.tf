# Foundation: FinOps tags, the environment's customer-managed keys, IAM, and the network.
#
# Every module comes from the registry with a pessimistic `~> MAJOR.MINOR` constraint: new
# minor and patch releases (compatible by the registry's semver gate) are picked up by the next
# init, dev first; a major release needs a reviewed pull request that changes the line here
# (the `promote` job of .github/workflows/terraform.yml opens it).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # The FinOps tags, built in this one place for every module and resource of the environment.
  tags = {
    cost_center = var.finops_tags.cost_center
    environment = var.environment
    application = var.finops_tags.application
    owner       = var.finops_tags.owner
  }

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
}

# One CMK per environment for everything in its Region: flow logs, EKS secrets and volumes, EBS,
# RDS storage and its managed secret, S3, SNS (alarms, budget and anomaly alerts), CloudWatch Logs.
# Managed node groups launch their encrypted volumes through Auto Scaling, so its
# service-linked role is a key user.
module "kms" {
  source  = "registry.internal/platform/kms/aws"
  version = "~> 1.0"

  name                   = "${var.name}/platform"
  description            = "${var.name}: platform data at rest"
  key_administrator_arns = var.kms_administrator_arns
  service_principals     = ["logs", "cloudwatch", "events", "sns", "budgets", "costalerts"]
  via_services           = ["ec2", "eks", "rds", "s3", "secretsmanager", "sns", "logs"]

  allow_autoscaling_service_linked_role  = true
  create_autoscaling_service_linked_role = var.create_autoscaling_service_linked_role

  tags = local.tags
}

# Cost and Usage data is answered in us-east-1 only, so the finops report bucket needs a key there.
module "kms_us_east_1" {
  source  = "registry.internal/platform/kms/aws"
  version = "~> 1.0"

  providers = { aws = aws.us_east_1 }

  name                   = "${var.name}/finops"
  description            = "${var.name}: cost and usage reports"
  key_administrator_arns = var.kms_administrator_arns
  via_services           = ["s3"]

  tags = local.tags
}

# Workload roles. The boundary comes from infra/bootstrap: the apply role may only create roles
# that carry exactly that boundary, so the module reuses it instead of creating its own.
module "iam" {
  source  = "registry.internal/platform/iam/aws"
  version = "~> 1.0"

  name_prefix              = var.name
  create_boundary_policy   = false
  permissions_boundary_arn = var.permissions_boundary_arn

  ec2_roles = {
    backend = {
      description = "${var.name} backend hosts: IAM authentication to PostgreSQL as the backend user"
      statements = [{
        sid       = "ConnectToPostgresAsBackend"
        actions   = ["rds-db:connect"]
        resources = ["arn:${local.partition}:rds-db:${local.region}:${local.account_id}:dbuser:*/backend"]
      }]
    }
  }

  tags = local.tags
}

module "vpc" {
  source  = "registry.internal/platform/vpc/aws"
  version = "~> 1.0"

  name             = var.name
  cidr_block       = var.network.cidr_block
  azs              = var.network.azs
  public_subnets   = var.network.public_subnets
  private_subnets  = var.network.private_subnets
  database_subnets = var.network.database_subnets
  nat_gateway_mode = var.network.nat_gateway_mode

  gateway_endpoints        = ["s3", "dynamodb"]
  interface_endpoints      = var.network.interface_endpoints
  flow_log_kms_key_arn     = module.kms.key_arn
  permissions_boundary_arn = var.permissions_boundary_arn

  # Load-balancer discovery for the frontends on EKS.
  public_subnet_tags  = { "kubernetes.io/role/elb" = "1" }
  private_subnet_tags = { "kubernetes.io/role/internal-elb" = "1" }

  tags = local.tags
}

# Every role kind: the boundary restricted to two Regions, an SSM-ready EC2 role, a Lambda role,
# an IRSA role for an EKS service account, and GitHub Actions OIDC with a read-only plan role for
# pull requests and one apply role per environment.
provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

locals {
  account_id  = data.aws_caller_identity.current.account_id
  state_arn   = "arn:aws:s3:::platform-tfstate-${local.account_id}"
  eks_oidc_id = "0123456789ABCDEF0123456789ABCDEF"
}

module "iam" {
  source = "../.."

  name_prefix              = "platform-stg"
  path                     = "/platform/"
  boundary_allowed_regions = ["eu-west-1", "eu-central-1"]

  ec2_roles = {
    backend = {
      description             = "Backend application hosts"
      enable_cloudwatch_agent = true
      statements = [
        {
          sid       = "ReadAppSecrets"
          actions   = ["secretsmanager:GetSecretValue"]
          resources = ["arn:aws:secretsmanager:eu-west-1:${local.account_id}:secret:backend/*"]
        },
      ]
    }
  }

  roles = {
    report-builder = {
      description                = "Lambda that builds nightly reports"
      trusted_service_principals = ["lambda.amazonaws.com"]
      statements = [
        {
          sid       = "WriteReports"
          actions   = ["s3:PutObject"]
          resources = ["arn:aws:s3:::reports-staging-${local.account_id}/exports/*"]
        },
        {
          sid       = "WriteOwnLogs"
          actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          resources = ["arn:aws:logs:eu-west-1:${local.account_id}:log-group:/aws/lambda/report-builder:*"]
        },
      ]
    }
  }

  ecs_task_roles = {
    orders-api = {
      description = "Orders API tasks on ECS"
      statements = [
        {
          sid       = "SendOrderEvents"
          actions   = ["sqs:SendMessage"]
          resources = ["arn:aws:sqs:eu-west-1:${local.account_id}:orders-events"]
        },
      ]
      execution_secret_arns  = ["arn:aws:secretsmanager:eu-west-1:${local.account_id}:secret:orders/db-AbCdEf"]
      execution_kms_key_arns = ["arn:aws:kms:eu-west-1:${local.account_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    }
  }

  eks_oidc_provider_arn = "arn:aws:iam::${local.account_id}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/${local.eks_oidc_id}"
  irsa_roles = {
    external-dns = {
      description     = "external-dns updates the platform zone"
      namespace       = "kube-system"
      service_account = "external-dns"
      statements = [
        {
          sid       = "ChangeRecords"
          actions   = ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"]
          resources = ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]
        },
      ]
    }
  }

  github_oidc = {
    repository = "example-org/platform-infra"
    plan_role = {
      managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
      statements = [
        {
          sid       = "StateLockFile"
          actions   = ["s3:PutObject", "s3:DeleteObject"]
          resources = ["${local.state_arn}/*.tflock"]
        },
      ]
    }
    apply_roles = {
      staging = {
        statements = [
          {
            sid       = "StateReadWrite"
            actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
            resources = ["${local.state_arn}/platform/staging/*"]
          },
          {
            sid       = "ManageNetwork"
            actions   = ["ec2:CreateVpc", "ec2:DeleteVpc", "ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:CreateTags"]
            resources = ["arn:aws:ec2:eu-west-1:${local.account_id}:*"]
          },
        ]
      }
      prod = {
        statements = [
          {
            sid       = "StateReadWrite"
            actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
            resources = ["${local.state_arn}/platform/prod/*"]
          },
        ]
      }
    }
  }

  tags = {
    cost_center = "cc-0001"
    environment = "staging"
    application = "platform"
    owner       = "platform-team"
  }
}

output "role_arns" {
  description = "All role ARNs."
  value       = module.iam.role_arns
}

output "github_plan_role_arn" {
  description = "Role for PR plans."
  value       = module.iam.github_plan_role_arn
}

output "github_apply_role_arns" {
  description = "Apply roles per environment."
  value       = module.iam.github_apply_role_arns
}

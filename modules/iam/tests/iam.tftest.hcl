# Offline unit tests: mocked AWS provider (schemas from the real provider, no credentials).
# command = apply with mocks gives computed values (ARNs) so boundaries can be compared.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { region = "eu-west-1" }
  }
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::111122223333:policy/platform/tests-boundary" }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/platform/tests-role" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  tags = {
    cost_center = "cc-1234"
    environment = "dev"
    application = "tests"
    owner       = "platform-team"
  }

  name_prefix = "tests"
  ec2_roles = {
    backend = {
      description = "Backend hosts"
      statements  = [{ actions = ["s3:GetObject"], resources = ["arn:aws:s3:::tests-config/backend/*"] }]
    }
  }
  eks_oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
  irsa_roles = {
    external-dns = { description = "external-dns", namespace = "kube-system", service_account = "external-dns" }
  }
  github_oidc = {
    repository  = "example-org/platform-infra"
    apply_roles = { dev = {}, staging = {} }
  }
}

run "every_role_carries_the_boundary" {
  command = apply

  assert {
    condition     = length(aws_iam_role.this) == 5
    error_message = "Expected ec2-backend, irsa-external-dns, github-plan, github-apply-dev and github-apply-staging."
  }
  assert {
    condition     = alltrue([for r in aws_iam_role.this : r.permissions_boundary == aws_iam_policy.boundary[0].arn])
    error_message = "Every role must carry the module's permissions boundary."
  }
  assert {
    condition     = length(aws_iam_instance_profile.this) == 1 && contains([for a in aws_iam_role_policy_attachment.this : a.policy_arn], "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
    error_message = "EC2 roles get an instance profile and the SSM core policy."
  }
  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1
    error_message = "The GitHub OIDC provider is created by default."
  }
}

run "wildcard_action_is_rejected" {
  command = plan
  variables {
    ec2_roles = { backend = { description = "x", statements = [{ actions = ["s3:*"], resources = ["arn:aws:s3:::b/*"] }] } }
  }
  expect_failures = [var.ec2_roles]
}

run "wildcard_resource_is_rejected" {
  command = plan
  variables {
    roles = {
      app = {
        description                = "x"
        trusted_service_principals = ["lambda.amazonaws.com"]
        statements                 = [{ actions = ["s3:GetObject"], resources = ["*"] }]
      }
    }
  }
  expect_failures = [var.roles]
}

run "wildcards_pass_with_the_explicit_switches" {
  command = plan
  variables {
    allow_wildcard_actions   = true
    allow_wildcard_resources = true
    roles = {
      app = {
        description                = "x"
        trusted_service_principals = ["lambda.amazonaws.com"]
        statements                 = [{ actions = ["ec2:Describe*", "s3:*"], resources = ["*"] }]
      }
    }
  }
}

run "administrator_access_is_rejected" {
  command = plan
  variables {
    ec2_roles = { backend = { description = "x", managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"] } }
  }
  expect_failures = [var.ec2_roles]
}

run "wildcard_trust_is_rejected" {
  command = plan
  variables {
    roles = { app = { description = "x", trusted_role_arns = ["*"] } }
  }
  expect_failures = [var.roles]
}

run "github_repository_wildcard_is_rejected" {
  command = plan
  variables {
    github_oidc = { repository = "example-org/*" }
  }
  expect_failures = [var.github_oidc]
}

run "github_apply_role_for_unknown_environment_is_rejected" {
  command = plan
  variables {
    github_oidc = { repository = "example-org/platform-infra", apply_roles = { qa = {} } }
  }
  expect_failures = [var.github_oidc]
}

run "irsa_without_oidc_provider_is_rejected" {
  command = plan
  variables {
    eks_oidc_provider_arn = null
  }
  expect_failures = [var.irsa_roles]
}

run "boundary_cannot_be_dropped" {
  command = plan
  variables {
    create_boundary_policy = false
  }
  expect_failures = [var.permissions_boundary_arn]
}

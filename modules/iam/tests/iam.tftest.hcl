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

run "ecs_task_and_execution_roles_trust_only_this_accounts_tasks" {
  command = apply
  variables {
    ecs_task_roles = {
      api = {
        description           = "Orders API tasks"
        statements            = [{ actions = ["sqs:SendMessage"], resources = ["arn:aws:sqs:eu-west-1:111122223333:orders"] }]
        execution_secret_arns = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/db-AbCdEf"]
      }
      worker = { description = "Worker tasks", execution_role = false }
    }
  }

  assert {
    condition     = toset([for k, r in aws_iam_role.this : k if startswith(k, "ecs-")]) == toset(["ecs-api", "ecs-exec-api", "ecs-worker"])
    error_message = "Every ECS task gets a task role; an execution role unless execution_role = false."
  }
  assert {
    condition = alltrue([for k in ["ecs-api", "ecs-exec-api"] : one([for s in data.aws_iam_policy_document.trust[k].statement :
    one(s.principals).identifiers == toset(["ecs-tasks.amazonaws.com"]) && contains([for c in s.condition : c.variable], "aws:SourceAccount")])])
    error_message = "ECS roles trust ecs-tasks.amazonaws.com for this account's tasks only."
  }
  assert {
    condition     = contains([for a in aws_iam_role_policy_attachment.this : a.policy_arn if a.role == aws_iam_role.this["ecs-exec-api"].name], "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
    error_message = "The execution role gets the ECS task execution managed policy."
  }
  assert {
    condition     = alltrue([for r in aws_iam_role.this : r.path == "/platform/" && r.permissions_boundary == aws_iam_policy.boundary[0].arn])
    error_message = "ECS roles, like every role here, lie under the boundary path and carry the boundary."
  }
}

run "ecs_execution_secret_wildcard_is_rejected" {
  command = plan
  variables {
    ecs_task_roles = { api = { description = "x", execution_secret_arns = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:*"] } }
  }
  expect_failures = [var.ecs_task_roles]
}

run "boundary_and_apply_roles_may_create_the_platform_service_linked_roles" {
  command = plan

  assert {
    condition = one([for s in data.aws_iam_policy_document.boundary[0].statement : s.resources == toset(["arn:aws:iam::111122223333:role/aws-service-role/*"]) &&
      s.actions == toset(["iam:CreateServiceLinkedRole"]) &&
      one(s.condition).variable == "iam:AWSServiceName" &&
    toset(one(s.condition).values) == toset(["autoscaling.amazonaws.com", "ecs.amazonaws.com", "eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "elasticloadbalancing.amazonaws.com", "management.chatbot.amazonaws.com", "rds.amazonaws.com", "spot.amazonaws.com"]) if s.sid == "AllowPlatformServiceLinkedRoles"])
    error_message = "The boundary allows iam:CreateServiceLinkedRole for the platform's services only, by iam:AWSServiceName."
  }
  assert {
    condition = alltrue([for env in ["dev", "staging"] : anytrue([for s in data.aws_iam_policy_document.inline["github-apply-${env}"].statement :
    s.sid == "CreatePlatformServiceLinkedRoles" && s.actions == toset(["iam:CreateServiceLinkedRole"])])])
    error_message = "Every apply role may create the same service-linked roles."
  }
  assert {
    condition     = !contains(keys(data.aws_iam_policy_document.inline), "github-plan")
    error_message = "The read-only plan role gets no IAM write."
  }
}

run "service_linked_role_wildcards_are_rejected" {
  command = plan
  variables {
    boundary_service_linked_roles = ["eks.amazonaws.com"]
  }
  expect_failures = [var.boundary_service_linked_roles]
}

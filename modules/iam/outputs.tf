output "boundary_policy_arn" {
  description = "ARN of the permissions boundary attached to every role here; pass it to other modules' permissions_boundary_arn."
  value       = local.boundary_arn
}

output "role_arns" {
  description = "ARNs of all roles, keyed role-<key>, ec2-<key>, irsa-<key>, ecs-<key>, ecs-exec-<key>, github-plan and github-apply-<env>."
  value       = { for k, r in aws_iam_role.this : k => r.arn }
}

output "role_names" {
  description = "Names of all roles, with the same keys as role_arns."
  value       = { for k, r in aws_iam_role.this : k => r.name }
}

output "instance_profile_names" {
  description = "Instance profile names of the ec2_roles keyed by their ec2_roles key; pass to platform/ec2."
  value       = { for k, p in aws_iam_instance_profile.this : trimprefix(k, "ec2-") => p.name }
}

output "instance_profile_arns" {
  description = "Instance profile ARNs of the ec2_roles keyed by their ec2_roles key."
  value       = { for k, p in aws_iam_instance_profile.this : trimprefix(k, "ec2-") => p.arn }
}

output "irsa_role_arns" {
  description = "IRSA role ARNs keyed by their irsa_roles key; annotate the service account with eks.amazonaws.com/role-arn."
  value       = { for k, r in aws_iam_role.this : trimprefix(k, "irsa-") => r.arn if startswith(k, "irsa-") }
}

output "github_oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider used by the CI roles (null without github_oidc)."
  value       = local.github_provider_arn
}

output "github_plan_role_arn" {
  description = "ARN of the read-only plan role for pull requests (null without github_oidc); use as role-to-assume in the PR workflow."
  value       = try(aws_iam_role.this["github-plan"].arn, null)
}

output "github_apply_role_arns" {
  description = "ARNs of the apply roles keyed by GitHub environment name (dev, staging, prod)."
  value       = { for k, r in aws_iam_role.this : trimprefix(k, "github-apply-") => r.arn if startswith(k, "github-apply-") }
}

output "ecs_task_role_arns" {
  description = "ECS task role ARNs keyed by their ecs_task_roles key; the task definition's task_role_arn."
  value       = { for k in keys(var.ecs_task_roles) : k => aws_iam_role.this["ecs-${k}"].arn }
}

output "ecs_execution_role_arns" {
  description = "ECS task execution role ARNs keyed by their ecs_task_roles key (only those with execution_role = true); the task definition's execution_role_arn."
  value       = { for k, r in var.ecs_task_roles : k => aws_iam_role.this["ecs-exec-${k}"].arn if r.execution_role }
}

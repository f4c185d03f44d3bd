output "registry_url" {
  description = "Base URL of the registry (module sources use the host name alone)."
  value       = "https://${var.host_name}"
}

output "ecr_repository_url" {
  description = "Repository the release workflow pushes to (the ECR_REPOSITORY variable of its environment)."
  value       = aws_ecr_repository.modreg.repository_url
}

output "image_push_role_arn" {
  description = "Role the release workflow's image job assumes (the AWS_ROLE_ARN variable of its environment)."
  value       = aws_iam_role.image_push.arn
}

output "releases_bucket" {
  description = "Bucket holding releases, manifests, tokens and audit under modreg/."
  value       = module.releases.bucket_name
}

output "kms_key_arn" {
  description = "The registry's KMS key (bucket, secrets, logs)."
  value       = module.kms.key_arn
}

output "signing_key_secret_arn" {
  description = "Secret to fill before the first deploy: aws secretsmanager put-secret-value --secret-id <arn> --secret-string \"$(openssl rand -hex 32)\"."
  value       = aws_secretsmanager_secret.signing_key.arn
}

output "webhook_secret_arns" {
  description = "Webhook secrets by git source; the same value goes into the GitHub webhook's secret."
  value       = { for name, secret in aws_secretsmanager_secret.webhook : name => secret.arn }
}

output "private_zone_id" {
  description = "Private hosted zone answering the host name."
  value       = aws_route53_zone.registry.zone_id
}

output "cluster_name" {
  description = "ECS cluster of the replicas (null until image_digest is set)."
  value       = local.deploy ? module.registry[0].cluster_name : null
}

output "service_name" {
  description = "ECS service of the replicas (null until image_digest is set)."
  value       = local.deploy ? module.registry[0].service_name : null
}

output "log_group_name" {
  description = "CloudWatch log group of the replicas (null until image_digest is set)."
  value       = local.deploy ? module.registry[0].log_group_name : null
}

output "tags" {
  description = "The FinOps tags every resource of this environment carries."
  value       = local.tags
}

output "vpc_id" {
  description = "ID of the environment's VPC."
  value       = module.vpc.vpc_id
}

output "kms_key_arn" {
  description = "ARN of the environment's platform CMK."
  value       = module.kms.key_arn
}

output "cluster_name" {
  description = "Name of the frontend EKS cluster."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "API endpoint of the frontend EKS cluster (private); the root's helm and kubernetes providers use it."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the frontend EKS cluster."
  value       = module.eks.cluster_certificate_authority_data
}

output "kubeconfig" {
  description = "kubeconfig of the frontend cluster (tokens from aws eks get-token; holds no secret)."
  value       = module.eks.kubeconfig
}

output "backend_instance_ids" {
  description = "Instance IDs of the backend hosts (reach them with SSM Session Manager)."
  value       = module.backend.instance_ids
}

output "database_endpoint" {
  description = "Endpoint (host:port) of the PostgreSQL instance; connect with TLS and IAM authentication."
  value       = module.database.db_instance_endpoint
}

output "alert_topic_arns" {
  description = "SNS topic ARNs by severity (critical, warning, info)."
  value       = module.monitoring.topic_arns
}

output "assets_bucket_name" {
  description = "Name of the application assets bucket."
  value       = module.assets.bucket_name
}

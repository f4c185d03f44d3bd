output "tags" {
  description = "The FinOps tags every resource of this environment carries."
  value       = module.platform.tags
}

output "cluster_name" {
  description = "Name of the frontend EKS cluster (aws eks update-kubeconfig --name <this>)."
  value       = module.platform.cluster_name
}

output "kubeconfig" {
  description = "kubeconfig of the frontend cluster (terraform output -raw kubeconfig > ~/.kube/config-<env>)."
  value       = module.platform.kubeconfig
}

output "backend_instance_ids" {
  description = "Instance IDs of the backend hosts (aws ssm start-session --target <id>)."
  value       = module.platform.backend_instance_ids
}

output "database_endpoint" {
  description = "Endpoint (host:port) of the PostgreSQL instance."
  value       = module.platform.database_endpoint
}

output "alert_topic_arns" {
  description = "SNS topic ARNs by severity (critical, warning, info)."
  value       = module.platform.alert_topic_arns
}

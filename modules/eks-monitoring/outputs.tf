output "namespace" {
  description = "Namespace the monitoring stack runs in."
  value       = kubernetes_namespace_v1.this.metadata[0].name
}

output "helm_release_name" {
  description = "Name of the kube-prometheus-stack Helm release."
  value       = helm_release.this.name
}

output "chart_version" {
  description = "Installed kube-prometheus-stack chart version."
  value       = helm_release.this.version
}

output "storage_class_name" {
  description = "Name of the CMK-encrypted gp3 StorageClass used by Prometheus, Alertmanager and Grafana (usable by other workloads too)."
  value       = kubernetes_storage_class_v1.encrypted_gp3.metadata[0].name
}

output "grafana_role_arn" {
  description = "ARN of the IRSA role Grafana uses for the CloudWatch data source."
  value       = aws_iam_role.grafana.arn
}

output "alertmanager_role_arn" {
  description = "ARN of the IRSA role Alertmanager uses to publish to the SNS topics."
  value       = aws_iam_role.alertmanager.arn
}

output "dashboard_files" {
  description = "Dashboard JSON files provisioned into Grafana (module dashboards plus extra_dashboards)."
  value       = sort(keys(local.dashboards))
}

output "prometheus_url" {
  description = "In-cluster URL of Prometheus (for port-forward or other in-cluster clients)."
  value       = "http://${local.release_name}-prometheus.${var.namespace}.svc:9090"
}

output "grafana_url" {
  description = "In-cluster URL of Grafana. No ingress is created: use kubectl port-forward or an authenticated ingress of your own."
  value       = "http://${local.release_name}-grafana.${var.namespace}.svc:80"
}

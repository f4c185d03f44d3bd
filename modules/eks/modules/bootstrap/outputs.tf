output "namespaces" {
  description = "Names of the namespaces created here."
  value       = [for n in kubernetes_namespace_v1.this : n.metadata[0].name]
}

output "config_map_names" {
  description = "namespace/name of every ConfigMap created here, keyed like config_maps."
  value       = { for k, c in kubernetes_config_map_v1.this : k => "${c.metadata[0].namespace}/${c.metadata[0].name}" }
}

output "secret_names" {
  description = "namespace/name of every Secret created here, keyed like secrets (the values are never output)."
  value       = { for k, s in kubernetes_secret_v1.this : k => "${s.metadata[0].namespace}/${s.metadata[0].name}" }
}

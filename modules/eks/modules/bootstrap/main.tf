# The cluster's first Kubernetes objects: namespaces with Pod Security Admission labels, and the
# ConfigMaps and Secrets workloads expect on day one. A separate submodule, not part of the eks
# module, because it needs a Kubernetes provider configured from that module's outputs: kept
# apart, the eks module plans a new cluster without a Kubernetes API and its tests mock only AWS.

locals {
  # Kubernetes label values allow only [A-Za-z0-9_.-], at most 63 characters.
  finops_labels = {
    for k in ["cost_center", "environment", "application", "owner"] :
    k => trim(substr(replace(var.tags[k], "/[^A-Za-z0-9_.-]/", "_"), 0, 63), "_.-")
  }
  labels = merge(local.finops_labels, { "app.kubernetes.io/managed-by" = "terraform" })

  # Only the data of a secret is secret: names, namespaces and types may show in plans and outputs.
  secret_metadata = nonsensitive({ for k, s in var.secrets : k => { name = s.name, namespace = s.namespace, type = s.type } })
}

resource "kubernetes_namespace_v1" "this" {
  for_each = var.namespaces

  metadata {
    name = each.key
    labels = merge(each.value.labels, local.labels, {
      "pod-security.kubernetes.io/enforce" = each.value.pod_security
      "pod-security.kubernetes.io/audit"   = "restricted"
      "pod-security.kubernetes.io/warn"    = "restricted"
    })
  }
}

resource "kubernetes_config_map_v1" "this" {
  for_each = var.config_maps

  metadata {
    name      = each.value.name
    namespace = each.value.namespace
    labels    = local.labels
  }

  data = each.value.data

  depends_on = [kubernetes_namespace_v1.this]
}

# Secret values pass through Terraform state (the platform's state bucket is SSE-KMS with a CMK
# and access-logged); prefer the Secrets Store CSI driver for secrets that rotate.
resource "kubernetes_secret_v1" "this" {
  for_each = local.secret_metadata

  metadata {
    name      = each.value.name
    namespace = each.value.namespace
    labels    = local.labels
  }

  type = each.value.type
  data = var.secrets[each.key].data

  depends_on = [kubernetes_namespace_v1.this]
}

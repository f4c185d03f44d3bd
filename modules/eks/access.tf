# Who may use the Kubernetes API: EKS access entries (authentication_mode = API, no aws-auth
# ConfigMap) and their access-policy associations.

locals {
  access_policy_associations = merge([for ek, e in var.access_entries : {
    for pk, p in e.policy_associations : "${ek}/${pk}" => merge(p, { entry_key = ek, principal_arn = e.principal_arn })
  }]...)
}

resource "aws_eks_access_entry" "this" {
  for_each = var.access_entries

  cluster_name      = aws_eks_cluster.this.name
  principal_arn     = each.value.principal_arn
  kubernetes_groups = length(each.value.kubernetes_groups) > 0 ? each.value.kubernetes_groups : null
  type              = "STANDARD"

  tags = local.tags
}

resource "aws_eks_access_policy_association" "this" {
  for_each = local.access_policy_associations

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value.principal_arn
  policy_arn    = each.value.policy_arn

  access_scope {
    type       = each.value.scope
    namespaces = each.value.scope == "namespace" ? each.value.namespaces : null
  }

  depends_on = [aws_eks_access_entry.this]
}

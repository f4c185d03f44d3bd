# Core add-ons as EKS-managed add-ons. Networking and identity agents go in before the nodes
# (nodes cannot become Ready without the CNI); the rest need nodes to schedule on.

locals {
  before_compute_addons = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]
  core_addons           = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver"]

  addons = { for n in distinct(concat(local.core_addons, keys(var.addons))) : n => {
    addon_version        = try(var.addons[n].addon_version, null)
    configuration_values = try(var.addons[n].configuration_values, null)
    role_arn             = n == "aws-ebs-csi-driver" ? aws_iam_role.ebs_csi.arn : try(var.addons[n].service_account_role_arn, null)
  } }
}

resource "aws_eks_addon" "before_compute" {
  for_each = { for n, a in local.addons : n => a if contains(local.before_compute_addons, n) }

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = each.value.addon_version
  configuration_values        = each.value.configuration_values
  service_account_role_arn    = each.value.role_arn
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"

  tags = local.tags
}

resource "aws_eks_addon" "this" {
  for_each = { for n, a in local.addons : n => a if !contains(local.before_compute_addons, n) }

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = each.value.addon_version
  configuration_values        = each.value.configuration_values
  service_account_role_arn    = each.value.role_arn
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"

  tags = local.tags

  depends_on = [aws_eks_node_group.this]
}

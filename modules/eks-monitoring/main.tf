locals {
  tags = merge(var.tags, { managed_by = "terraform", module = "platform/eks-monitoring" })

  # Kubernetes label values allow only [A-Za-z0-9_.-], at most 63 characters: the FinOps tags
  # become labels on the namespace and every chart object (EKS split cost allocation reads them).
  finops_labels = {
    for k in ["cost_center", "environment", "application", "owner"] :
    k => trim(substr(replace(var.tags[k], "/[^A-Za-z0-9_.-]/", "_"), 0, 63), "_.-")
  }

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  oidc_issuer = element(split("oidc-provider/", var.oidc_provider_arn), 1)

  release_name                 = "kube-prometheus-stack"
  grafana_service_account      = "grafana"
  alertmanager_service_account = "alertmanager"
  storage_class_name           = "gp3-encrypted-monitoring"

  dashboards = merge(
    { for f in fileset("${path.module}/dashboards", "*.json") : f => file("${path.module}/dashboards/${f}") },
    var.grafana.extra_dashboards,
  )
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

resource "kubernetes_namespace_v1" "this" {
  metadata {
    name = var.namespace
    labels = merge(local.finops_labels, {
      "app.kubernetes.io/managed-by" = "terraform"
      # node-exporter needs host PID/network and hostPath mounts, which only "privileged"
      # admits; audit and warn still report anything beyond "baseline".
      "pod-security.kubernetes.io/enforce" = "privileged"
      "pod-security.kubernetes.io/audit"   = "baseline"
      "pod-security.kubernetes.io/warn"    = "baseline"
    })
  }
}

# Encrypted gp3 volumes with the platform CMK for every stateful component.
resource "kubernetes_storage_class_v1" "encrypted_gp3" {
  metadata {
    name   = local.storage_class_name
    labels = local.finops_labels
  }

  storage_provisioner    = "ebs.csi.aws.com"
  reclaim_policy         = var.storage_reclaim_policy
  volume_binding_mode    = "WaitForFirstConsumer"
  allow_volume_expansion = true

  parameters = {
    type      = "gp3"
    encrypted = "true"
    kmsKeyId  = var.kms_key_arn
    # Tags on the EBS volumes themselves, for cost allocation.
    tagSpecification_1 = "cost_center=${var.tags["cost_center"]}"
    tagSpecification_2 = "environment=${var.tags["environment"]}"
    tagSpecification_3 = "application=${var.tags["application"]}"
    tagSpecification_4 = "owner=${var.tags["owner"]}"
  }
}

# Dashboards from JSON in this module (dashboards/*.json) plus extra_dashboards, picked up by
# the Grafana dashboard sidecar through the grafana_dashboard label.
resource "kubernetes_config_map_v1" "dashboard" {
  for_each = local.dashboards

  metadata {
    name      = "dashboard-${trimsuffix(each.key, ".json")}"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = merge(local.finops_labels, { grafana_dashboard = "1" })
  }

  data = {
    (each.key) = each.value
  }
}

# Grafana admin credentials: read ephemerally and handed to Helm write-only, so they never
# land in Terraform state or plan files.
ephemeral "aws_secretsmanager_secret_version" "grafana_admin" {
  secret_id = var.grafana_admin_secret_arn
}

resource "helm_release" "this" {
  name             = local.release_name
  namespace        = kubernetes_namespace_v1.this.metadata[0].name
  repository       = var.chart_repository
  chart            = "kube-prometheus-stack"
  version          = var.chart_version
  create_namespace = false

  atomic          = true
  cleanup_on_fail = true
  wait            = true
  timeout         = 900
  max_history     = 10

  values = [yamlencode(local.values)]

  set_wo = [
    {
      name  = "grafana.adminUser"
      value = jsondecode(ephemeral.aws_secretsmanager_secret_version.grafana_admin.secret_string)["username"]
    },
    {
      name  = "grafana.adminPassword"
      value = jsondecode(ephemeral.aws_secretsmanager_secret_version.grafana_admin.secret_string)["password"]
    },
  ]
  set_wo_revision = var.grafana_admin_secret_revision

  depends_on = [kubernetes_config_map_v1.dashboard, kubernetes_storage_class_v1.encrypted_gp3]
}

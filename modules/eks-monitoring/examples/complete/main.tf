# Full use on the production frontend cluster: HA Prometheus with 30 days / 200 GiB, three
# Alertmanagers, a team dashboard next to the built-in ones, volumes kept after uninstall.
# In a real root the ARNs come from module.eks (cluster_name, oidc_provider_arn), module.kms,
# module.iam and module.monitoring (topic_arns).
provider "aws" {
  region = "eu-west-1"
}

data "aws_eks_cluster" "this" {
  name = "shop-prod"
}

provider "kubernetes" {
  host                   = data.aws_eks_cluster.this.endpoint
  cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", "shop-prod"]
  }
}

provider "helm" {
  kubernetes = {
    host                   = data.aws_eks_cluster.this.endpoint
    cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", "shop-prod"]
    }
  }
}

module "eks_monitoring" {
  source = "../.."

  cluster_name             = "shop-prod"
  oidc_provider_arn        = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"
  grafana_admin_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-prod/grafana-admin-AbCdEf"

  alert_topic_arns = {
    critical = "arn:aws:sns:eu-west-1:111122223333:shop-prod-critical"
    warning  = "arn:aws:sns:eu-west-1:111122223333:shop-prod-warning"
    info     = "arn:aws:sns:eu-west-1:111122223333:shop-prod-info"
  }
  alert_topics_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

  chart_version = "80.7.0"

  prometheus = {
    retention_days = 30
    storage_gb     = 200
    replicas       = 2
    cpu_request    = "1"
    memory_request = "4Gi"
    memory_limit   = "8Gi"
  }

  alertmanager = {
    replicas   = 3
    storage_gb = 5
  }

  grafana = {
    storage_gb            = 10
    cloudwatch_datasource = true
    extra_dashboards = {
      "shop-frontend.json" = jsonencode({
        uid           = "shop-frontend"
        title         = "shop / Frontend"
        schemaVersion = 39
        templating    = { list = [{ name = "datasource", type = "datasource", query = "prometheus" }] }
        panels = [{
          id         = 1
          type       = "timeseries"
          title      = "Requests by status"
          datasource = { type = "prometheus", uid = "$${datasource}" }
          gridPos    = { x = 0, y = 0, w = 24, h = 8 }
          targets    = [{ refId = "A", expr = "sum by (status) (rate(http_requests_total{namespace=\"shop\"}[5m]))" }]
        }]
      })
    }
  }

  # Team alert rules, routed by severity like everything else. In the platform repository the
  # registry's own rules go in the same way: modreg = file(".../modreg-rules.yml").
  prometheus_rule_files = {
    shop = yamlencode({
      groups = [{
        name = "shop.frontend"
        rules = [{
          alert  = "ShopFrontendHighErrorRatio"
          expr   = "sum(rate(http_requests_total{namespace=\"shop\", status=~\"5..\"}[5m])) / sum(rate(http_requests_total{namespace=\"shop\"}[5m])) > 0.05"
          "for"  = "5m"
          labels = { severity = "critical" }
          annotations = {
            summary     = "shop frontend answers more than 5% 5xx"
            description = "More than 5% of shop frontend requests fail with 5xx for 5 minutes."
            runbook_url = "https://git.internal/shop/frontend/blob/main/docs/runbooks/ShopFrontendHighErrorRatio.md"
          }
        }]
      }]
    })
  }

  storage_reclaim_policy        = "Retain"
  grafana_admin_secret_revision = 2

  tags = {
    cost_center = "cc-1234"
    environment = "prod"
    application = "shop"
    owner       = "platform-team"
    team        = "frontend"
  }
}

output "grafana_url" {
  description = "In-cluster Grafana URL."
  value       = module.eks_monitoring.grafana_url
}

output "prometheus_url" {
  description = "In-cluster Prometheus URL."
  value       = module.eks_monitoring.prometheus_url
}

output "dashboard_files" {
  description = "Dashboards provisioned into Grafana."
  value       = module.eks_monitoring.dashboard_files
}

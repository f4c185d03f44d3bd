# Minimal use: kube-prometheus-stack on an existing EKS cluster, alerts to the monitoring
# module's topics, Grafana admin from Secrets Manager.
provider "aws" {
  region = "eu-west-1"
}

data "aws_eks_cluster" "this" {
  name = "shop-dev"
}

provider "kubernetes" {
  host                   = data.aws_eks_cluster.this.endpoint
  cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", "shop-dev"]
  }
}

provider "helm" {
  kubernetes = {
    host                   = data.aws_eks_cluster.this.endpoint
    cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", "shop-dev"]
    }
  }
}

module "eks_monitoring" {
  source = "../.."

  cluster_name             = "shop-dev"
  oidc_provider_arn        = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"
  grafana_admin_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop-dev/grafana-admin-AbCdEf"

  alert_topic_arns = {
    critical = "arn:aws:sns:eu-west-1:111122223333:shop-dev-critical"
    warning  = "arn:aws:sns:eu-west-1:111122223333:shop-dev-warning"
    info     = "arn:aws:sns:eu-west-1:111122223333:shop-dev-info"
  }
  alert_topics_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

  tags = {
    cost_center = "cc-1234"
    environment = "dev"
    application = "shop"
    owner       = "platform-team"
  }
}

output "grafana_url" {
  description = "In-cluster Grafana URL."
  value       = module.eks_monitoring.grafana_url
}

# The environment composition: every platform module, wired together once, with the one set of
# pinned module versions (the `version` lines below are the only place they are written).
# infra/envs/dev and infra/envs/staging call this module with their own values; see
# docs/environments.md for why the composition is a local module.
terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source                = "hashicorp/aws"
      version               = ">= 6.0, < 7.0"
      configuration_aliases = [aws.us_east_1]
    }
    # eks-monitoring installs kube-prometheus-stack through these, pointed at this cluster.
    helm = {
      source  = "hashicorp/helm"
      version = ">= 3.0, < 4.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.36, < 3.0"
    }
    # ephemeral random_password (>= 3.7): the Grafana admin password never reaches state.
    random = {
      source  = "hashicorp/random"
      version = ">= 3.7, < 4.0"
    }
  }
}

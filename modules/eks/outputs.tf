output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_version" {
  description = "Kubernetes version of the control plane."
  value       = aws_eks_cluster.this.version
}

output "cluster_endpoint" {
  description = "Endpoint of the Kubernetes API (private unless allow_public_endpoint)."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64-encoded certificate authority data of the cluster, for kubeconfig and providers."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "kubeconfig" {
  description = "kubeconfig (YAML) for the cluster: the endpoint, its CA, and a user that gets short-lived tokens from `aws eks get-token` with the caller's AWS credentials (whose principal needs an access entry). Holds no secret."
  value = yamlencode({
    apiVersion      = "v1"
    kind            = "Config"
    current-context = aws_eks_cluster.this.name
    clusters        = [{ name = aws_eks_cluster.this.name, cluster = { server = aws_eks_cluster.this.endpoint, certificate-authority-data = aws_eks_cluster.this.certificate_authority[0].data } }]
    contexts        = [{ name = aws_eks_cluster.this.name, context = { cluster = aws_eks_cluster.this.name, user = aws_eks_cluster.this.name } }]
    users = [{
      name = aws_eks_cluster.this.name
      user = {
        exec = {
          apiVersion = "client.authentication.k8s.io/v1beta1"
          command    = "aws"
          args       = ["--region", data.aws_region.current.region, "eks", "get-token", "--cluster-name", aws_eks_cluster.this.name, "--output", "json"]
        }
      }
    }]
  })
}

output "cluster_oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster (IRSA)."
  value       = local.oidc_issuer_url
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider; the iam module's IRSA roles trust it."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_provider" {
  description = "OIDC issuer host and path without https://, the prefix of the :sub and :aud condition keys in IRSA trust policies."
  value       = local.oidc_issuer_host
}

output "cluster_security_group_id" {
  description = "Id of the module's control-plane security group (API access from nodes and listed groups)."
  value       = aws_security_group.cluster.id
}

output "cluster_primary_security_group_id" {
  description = "Id of the security group EKS itself creates for the control plane and managed ENIs."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "node_security_group_id" {
  description = "Id of the node security group; add it to the rds module's allowed_security_group_ids."
  value       = aws_security_group.node.id
}

output "node_group_names" {
  description = "Names of the managed node groups (the key plus a generated suffix), keyed by node_groups key."
  value       = { for k, g in aws_eks_node_group.this : k => g.node_group_name }
}

output "node_group_arns" {
  description = "ARNs of the managed node groups, keyed by node_groups key."
  value       = { for k, g in aws_eks_node_group.this : k => g.arn }
}

output "node_iam_role_arn" {
  description = "ARN of the node IAM role."
  value       = aws_iam_role.node.arn
}

output "cluster_iam_role_arn" {
  description = "ARN of the control-plane IAM role."
  value       = aws_iam_role.cluster.arn
}

output "ebs_csi_iam_role_arn" {
  description = "ARN of the EBS CSI driver's IRSA role."
  value       = aws_iam_role.ebs_csi.arn
}

output "cloudwatch_log_group_name" {
  description = "Name of the control-plane log group."
  value       = aws_cloudwatch_log_group.cluster.name
}

output "addon_versions" {
  description = "Installed add-on versions, keyed by add-on name."
  value       = merge({ for k, a in aws_eks_addon.before_compute : k => a.addon_version }, { for k, a in aws_eks_addon.this : k => a.addon_version })
}

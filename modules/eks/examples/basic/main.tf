# A private EKS cluster for frontends with the default Graviton node group; nodes reach ECR
# and AWS APIs through VPC endpoints only.

provider "aws" {
  region = "eu-west-1"
}

module "eks" {
  source = "../.."

  name                     = "web-dev"
  vpc_id                   = "vpc-0a1b2c3d4e5f60718"
  subnet_ids               = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]
  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"

  access_entries = {
    platform_admins = {
      principal_arn = "arn:aws:iam::111122223333:role/platform-admins"
      policy_associations = {
        admin = { policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" }
      }
    }
  }

  # From platform/vpc: interface_endpoint_security_group_id and gateway_endpoint_prefix_list_ids["s3"].
  vpc_endpoint_security_group_id = "sg-0a1b2c3d4e5f6071d"
  s3_prefix_list_id              = "pl-6da54004"

  tags = {
    cost_center = "cc-2001"
    environment = "dev"
    application = "storefront"
    owner       = "team-web@example.com"
  }
}

output "cluster_name" {
  description = "Name of the cluster."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Private API endpoint."
  value       = module.eks.cluster_endpoint
}

# The smallest deployment: two replicas behind the internal load balancer, the releases bucket's
# default prefix, no watched git repositories.
provider "aws" {
  region = "eu-west-1"
}

module "registry" {
  source = "../.."

  name       = "modreg-dev"
  image      = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/modreg@sha256:0d2a4e7c6b1f3e5d7c9b0a2e4f6d8c1b3a5e7f9d0c2b4a6e8f1d3c5b7a9e0f2d"
  init_image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/docker/library/busybox@sha256:9db7b59979c38555a39def84a31fb98b5296952f9e3afd4f6f11f05b07adfab0"
  image_repository_arns = [
    "arn:aws:ecr:eu-west-1:111122223333:repository/modreg",
    "arn:aws:ecr:eu-west-1:111122223333:repository/ecr-public/*",
  ]

  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  client_cidr_blocks = ["10.0.0.0/8"]
  egress             = { cidr_blocks = ["10.20.0.0/16"], prefix_list_ids = ["pl-6da54004"] }

  certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/8a1f5c2e-0d3b-4e6f-9a7c-1b2d3e4f5a6b"
  public_url      = "https://registry.internal"

  storage = {
    bucket_name = "modreg-releases-dev-111122223333"
    kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  signing_key_secret_arn   = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:modreg-dev/signing-key-AbCdEf"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"

  tags = {
    cost_center = "cc-platform"
    environment = "dev"
    application = "modreg"
    owner       = "platform-team"
  }
}

output "load_balancer_dns_name" {
  description = "Point registry.internal at this name (alias record)."
  value       = module.registry.load_balancer_dns_name
}

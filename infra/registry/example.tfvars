# Placeholder values (checkov scans the root with them). Copy to <env>.tfvars and fill in from the
# environment's outputs (infra/envs/<env>); plan with -var-file=<env>.tfvars.
region    = "eu-west-1"
host_name = "registry.internal"

network = {
  vpc_id             = "vpc-0123456789abcdef0"
  private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  vpc_cidr_block     = "10.20.0.0/16"
  consumer_vpc_ids   = []
  client_cidr_blocks = ["10.0.0.0/8"]
}

private_ca_arn = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

# Leave unset on the first apply (no replicas yet); then the digest the release workflow's image
# job printed for modreg-v<version>.
image_digest = "sha256:0d2a4e7c6b1f3e5d7c9b0a2e4f6d8c1b3a5e7f9d0c2b4a6e8f1d3c5b7a9e0f2d"

github = {
  repository        = "platform/modreg"
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
}

key_administrator_arns   = ["arn:aws:iam::111122223333:role/platform-admin"]
permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"

alert_topic_arns = {
  critical = "arn:aws:sns:eu-west-1:111122223333:platform-staging-critical"
  warning  = "arn:aws:sns:eu-west-1:111122223333:platform-staging-warning"
}

git_sources = ["platform-modules"]
config_toml = <<-TOML
  [[git.sources]]
  name = "platform-modules"
  url = "https://git.internal/platform/modreg.git"
  namespace = "platform"
  webhook_secret_file = "/run/modreg/webhooks/platform-modules"
TOML

tags = {
  cost_center = "cc-platform"
  environment = "staging"
  application = "modreg"
  owner       = "platform-team"
}

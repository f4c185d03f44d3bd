# staging: production-like, so what passes here is what production will run. Sizes and
# redundancy match production's shape (three AZs, NAT per AZ, Multi-AZ database, HA
# monitoring); only the counts are smaller. Each line says where it differs from dev.

account_id  = "222222222222"
region      = "eu-west-1"
name        = "platform-stg"
environment = "staging"

finops_tags = {
  cost_center = "cc-1234"
  application = "platform"
  owner       = "platform-team"
}

# infra/bootstrap outputs for this account (terraform -chdir=infra/bootstrap output).
permissions_boundary_arn = "arn:aws:iam::222222222222:policy/platform/platform-boundary"
kms_administrator_arns = [
  "arn:aws:iam::222222222222:role/platform/platform-github-apply-staging",
  "arn:aws:iam::222222222222:role/platform-break-glass",
]
cluster_admin_role_arns = {
  github-apply = "arn:aws:iam::222222222222:role/platform/platform-github-apply-staging"
  break-glass  = "arn:aws:iam::222222222222:role/platform-break-glass"
}

network = {
  cidr_block       = "10.30.0.0/16"
  azs              = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  public_subnets   = ["10.30.0.0/24", "10.30.1.0/24", "10.30.2.0/24"]
  private_subnets  = ["10.30.32.0/19", "10.30.64.0/19", "10.30.96.0/19"]
  database_subnets = ["10.30.8.0/24", "10.30.9.0/24", "10.30.10.0/24"]
  # A NAT gateway per AZ (dev: one): an AZ outage must not cut the other AZs' egress.
  nat_gateway_mode = "per_az"
  # Interface endpoints (dev: none, NAT instead): nodes reach AWS APIs privately and have no
  # internet egress, as in production.
  interface_endpoints = ["ecr.api", "ecr.dkr", "sts", "ec2", "eks-auth", "logs", "elasticloadbalancing", "ssm", "ssmmessages", "ec2messages"]
}

cluster = {
  kubernetes_version = "1.34"
  node_groups = {
    # On-Demand general-purpose nodes across three AZs (dev: small Spot nodes), with headroom
    # to drain a node during upgrades.
    default = { instance_types = ["m7g.large"], min_size = 3, desired_size = 3, max_size = 6 }
  }
}

# Two hosts in different AZs (dev: one burstable host), non-burstable so load tests measure
# steady performance.
backend = {
  instance_count = 2
  instance_type  = "m7g.large"
}

database = {
  instance_class        = "db.m7g.large"
  allocated_storage     = 100
  max_allocated_storage = 400
  # Multi-AZ (dev: single-AZ): failover behaves as in production.
  multi_az                = true
  backup_retention_period = 14
  deletion_protection     = true
  max_connections         = 800
}

alerts = {
  email = {
    critical = ["platform-oncall@example.com"]
    warning  = ["platform-team@example.com"]
  }
}

# Two Prometheus replicas with a month of metrics (dev: one replica, a week).
prometheus = {
  replicas       = 2
  retention_days = 30
  storage_gb     = 100
}

finops = {
  monthly_budget_usd            = 6000
  anomaly_threshold_usd         = 200
  activate_cost_allocation_tags = false # member account: the payer activates the tag keys
  cost_export                   = false
}

record_global_resources = true

# true only on the first apply in a fresh account (no Auto Scaling group has ever run there).
create_autoscaling_service_linked_role = false

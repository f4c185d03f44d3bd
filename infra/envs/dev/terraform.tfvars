# dev: where changes land first, sized for cost. Each size below is smaller than staging on
# purpose; the comment says what it gives up. Staging mirrors production instead.

account_id  = "111111111111"
region      = "eu-west-1"
name        = "platform-dev"
environment = "dev"

finops_tags = {
  cost_center = "cc-1234"
  application = "platform"
  owner       = "platform-team"
}

# infra/bootstrap outputs for this account (terraform -chdir=infra/bootstrap output).
permissions_boundary_arn = "arn:aws:iam::111111111111:policy/platform/platform-boundary"
kms_administrator_arns = [
  "arn:aws:iam::111111111111:role/platform/platform-github-apply-dev",
  "arn:aws:iam::111111111111:role/platform-break-glass",
]
cluster_admin_role_arns = {
  github-apply = "arn:aws:iam::111111111111:role/platform/platform-github-apply-dev"
  break-glass  = "arn:aws:iam::111111111111:role/platform-break-glass"
}

network = {
  cidr_block       = "10.20.0.0/16"
  azs              = ["eu-west-1a", "eu-west-1b"]
  public_subnets   = ["10.20.0.0/24", "10.20.1.0/24"]
  private_subnets  = ["10.20.32.0/19", "10.20.64.0/19"]
  database_subnets = ["10.20.8.0/24", "10.20.9.0/24"]
  # One NAT gateway (about a third of per-AZ cost): an AZ outage cuts dev's egress, accepted.
  nat_gateway_mode = "single"
  # No interface endpoints (each costs per AZ-hour): nodes reach AWS APIs through the NAT.
}

cluster = {
  kubernetes_version = "1.34"
  node_groups = {
    # Small Graviton nodes, on Spot: dev tolerates node reclaims and needs no spare capacity.
    default = { instance_types = ["t4g.large", "m7g.large"], min_size = 1, desired_size = 2, max_size = 3, capacity_type = "SPOT" }
  }
}

# One burstable host: no redundancy, enough for functional tests.
backend = {
  instance_count = 1
  instance_type  = "t4g.small"
}

database = {
  instance_class        = "db.t4g.medium"
  allocated_storage     = 20
  max_allocated_storage = 50
  # No Multi-AZ (half the cost): a failover test belongs in staging.
  multi_az                = false
  backup_retention_period = 7
  # dev can be torn down and rebuilt; the final snapshot is still taken.
  deletion_protection = false
  max_connections     = 400
}

alerts = {
  email = { critical = ["platform-team@example.com"] }
}

# One Prometheus replica with a week of metrics: no HA needed in dev.
prometheus = {
  replicas       = 1
  retention_days = 7
  storage_gb     = 20
}

finops = {
  monthly_budget_usd            = 1500
  anomaly_threshold_usd         = 50
  activate_cost_allocation_tags = false # member account: the payer activates the tag keys
  cost_export                   = false
}

record_global_resources = true

# true only on the first apply in a fresh account (no Auto Scaling group has ever run there).
create_autoscaling_service_linked_role = false

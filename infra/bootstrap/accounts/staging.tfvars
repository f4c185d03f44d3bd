# The staging account. Apply with: terraform apply -var-file=accounts/staging.tfvars
account_id  = "222222222222"
region      = "eu-west-1"
name_prefix = "platform"
environment = "staging"

finops_tags = {
  cost_center = "cc-1234"
  application = "platform"
  owner       = "platform-team"
}

github_repository  = "example-org/modreg"
apply_environments = ["staging"]
gated_environments = ["staging"]

# The administrator running the bootstrap, and the break-glass role.
kms_administrator_arns = [
  "arn:aws:iam::222222222222:role/platform-admin",
  "arn:aws:iam::222222222222:role/platform-break-glass",
]

create_dynamodb_lock_table = false

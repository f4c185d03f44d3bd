# The dev account. Apply with: terraform apply -var-file=accounts/dev.tfvars
account_id  = "111111111111"
region      = "eu-west-1"
name_prefix = "platform"
environment = "dev"

finops_tags = {
  cost_center = "cc-1234"
  application = "platform"
  owner       = "platform-team"
}

github_repository  = "example-org/modreg"
apply_environments = ["dev"]
gated_environments = []

# The administrator running the bootstrap, and the break-glass role.
kms_administrator_arns = [
  "arn:aws:iam::111111111111:role/platform-admin",
  "arn:aws:iam::111111111111:role/platform-break-glass",
]

create_dynamodb_lock_table = false

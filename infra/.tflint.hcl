# tflint for infra/envs and infra/bootstrap (the resolve job of .github/workflows/terraform.yml).
# It needs the AWS ruleset plugin and initialised modules, so it runs in GitHub Actions only.
config {
  # Evaluate the local composition (infra/envs/platform) with the root's values; registry
  # modules are linted where they live (modules/*, .github/workflows/modules.yml).
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "aws" {
  enabled = true
  version = "0.49.0"
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
}

# In roots the values are literal, so the FinOps tags can be checked on every resource here.
rule "aws_resource_missing_tags" {
  enabled = true
  tags    = ["cost_center", "environment", "application", "owner"]
}

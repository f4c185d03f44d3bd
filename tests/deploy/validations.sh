#!/usr/bin/env bash
# Offline proof, with real Terraform, that the inputs of infra/registry (the modreg module and the
# root) accept the documented values and refuse the easy mistakes: each case plans a scratch root
# holding only the directory's variables.tf (no resources, so no providers), with its base inputs
# plus the case's override. The same method as tests/observability/validations.sh.
#
# Exit: 0 all cases behave, 1 a case misbehaves, 2 terraform missing.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tf=${TERRAFORM:-$(command -v terraform || true)}
[[ -n $tf ]] || { echo "error: terraform not found (put .tools/bin on PATH)" >&2; exit 2; }
export TF_CLI_CONFIG_FILE=${TF_CLI_CONFIG_FILE:-/dev/null} TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

module=infra/registry/modules/modreg
root=infra/registry
tags='tags = { cost_center = "cc-platform", environment = "staging", application = "modreg", owner = "platform-team" }'
key='arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'
digest='sha256:0d2a4e7c6b1f3e5d7c9b0a2e4f6d8c1b3a5e7f9d0c2b4a6e8f1d3c5b7a9e0f2d'

base() { # base DIR: the minimal valid inputs of that directory
  case $1 in
    "$module") cat <<HCL
image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/modreg@$digest"
init_image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/docker/library/busybox@$digest"
image_repository_arns = ["arn:aws:ecr:eu-west-1:111122223333:repository/modreg"]
vpc_id = "vpc-0123456789abcdef0"
private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
client_cidr_blocks = ["10.0.0.0/8"]
egress = { cidr_blocks = ["10.20.0.0/16"], prefix_list_ids = ["pl-6da54004"] }
certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/8a1f5c2e-0d3b-4e6f-9a7c-1b2d3e4f5a6b"
public_url = "https://registry.internal"
storage = { bucket_name = "modreg-releases-staging-111122223333", kms_key_arn = "$key" }
kms_key_arn = "$key"
signing_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:modreg/signing-key-AbCdEf"
permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"
$tags
HCL
    ;;
    "$root") cat <<HCL
network = { vpc_id = "vpc-0123456789abcdef0", private_subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"], vpc_cidr_block = "10.20.0.0/16", client_cidr_blocks = ["10.0.0.0/8"] }
private_ca_arn = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
github = { repository = "platform/modreg", oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
key_administrator_arns = ["arn:aws:iam::111122223333:role/platform-admin"]
permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"
alert_topic_arns = { critical = "arn:aws:sns:eu-west-1:111122223333:c", warning = "arn:aws:sns:eu-west-1:111122223333:w" }
$tags
HCL
    ;;
  esac
}

# directory | expected: "ok" or the variable that must be refused | HCL overriding the base inputs
cases=$(cat <<CASES
$module|ok|
$module|ok|config_toml = "[[git.sources]]\nname = \"m\"\nwebhook_secret_file = \"/run/modreg/webhooks/m\""
$module|ok|settings = { MODREG_ARCHIVE_URL_TTL_SECS = "120" }
$module|image|image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/modreg:0.1.0"
$module|init_image|init_image = "busybox:latest"
$module|client_cidr_blocks|client_cidr_blocks = ["0.0.0.0/0"]
$module|ok|metrics_scraper_security_group_ids = ["sg-0123456789abcdef0"]
$module|metrics_scraper_security_group_ids|metrics_scraper_security_group_ids = ["prometheus"]
$module|settings|settings = { MODREG_OPS_LISTEN = "0.0.0.0:9100" }
$module|egress|egress = { cidr_blocks = ["0.0.0.0/0"] }
$module|egress|egress = { cidr_blocks = [] }
$module|private_subnet_ids|private_subnet_ids = ["subnet-0123456789abcdef0"]
$module|public_url|public_url = "http://registry.internal"
$module|public_url|public_url = "https://localhost"
$module|storage|storage = { bucket_name = "b-111122223333", prefix = "modreg", kms_key_arn = "$key" }
$module|storage|storage = { bucket_name = "arn:aws:s3:::b", kms_key_arn = "$key" }
$module|kms_key_arn|kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:alias/modreg"
$module|settings|settings = { MODREG_STORAGE = "local" }
$module|settings|settings = { archive_url_ttl_secs = "120" }
$module|config_toml|config_toml = "[[git.sources]]\nname = \"m\"\nwebhook_secret = \"hunter2\""
$module|task_size|task_size = { cpu = 512, memory = 512 }
$module|autoscaling|autoscaling = { min_replicas = 3, max_replicas = 2 }
$module|log_retention_days|log_retention_days = 30
$module|webhook_secret_arns|webhook_secret_arns = { "Bad Name" = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:x" }
$module|tags|tags = { cost_center = "cc", environment = "qa", application = "modreg", owner = "me" }
$root|ok|
$root|ok|image_digest = "$digest"
$root|image_digest|image_digest = "0.1.0"
$root|host_name|host_name = "registry"
$root|private_ca_arn|private_ca_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/8a1f5c2e"
$root|github|github = { repository = "modreg", oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
$root|git_sources|git_sources = ["Platform Modules"]
$root|tags|tags = { cost_center = "cc", environment = "staging", application = "modreg" }
CASES
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 n=0
while IFS='|' read -r dir expect hcl; do
  [[ -z $dir ]] && continue
  n=$((n + 1))
  case_dir=$work/$n
  mkdir -p "$case_dir"
  cp "$repo/$dir/variables.tf" "$case_dir/"
  base "$dir" >"$case_dir/base.auto.tfvars"
  printf '%s\n' "$hcl" >"$case_dir/zz_case.auto.tfvars"
  out=$(cd "$case_dir" && "$tf" init -input=false -backend=false >/dev/null 2>&1 && "$tf" plan -input=false -no-color 2>&1)
  rc=$?
  if [[ $expect == ok && $rc == 0 ]]; then
    passed=$((passed + 1)); echo "ok   $dir accepts: ${hcl:-base inputs}"
  elif [[ $expect != ok && $rc != 0 ]] && grep -Eq "(variable \"$expect\"|var\.$expect([^A-Za-z0-9_]|\$))" <<<"$out"; then
    passed=$((passed + 1)); echo "ok   $dir refuses $expect: $hcl"
  else
    failed=$((failed + 1)); echo "FAIL $dir must $([[ $expect == ok ]] && echo accept || echo "refuse $expect"): ${hcl:-base inputs}"
    grep -A6 'Error' <<<"$out" | head -12
  fi
done <<<"$cases"

echo
echo "infra/registry validations: $n cases, $passed behaved, $failed misbehaved"
((failed == 0))

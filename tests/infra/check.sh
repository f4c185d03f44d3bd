#!/usr/bin/env bash
# Offline checks of the environments (infra/envs), the account bootstrap (infra/bootstrap) and
# the workflow that plans and applies them (.github/workflows/terraform.yml):
#
#   1. terraform fmt -check -recursive infra/
#   2. dev and staging share their root files byte for byte (main.tf, variables.tf, outputs.tf):
#      environments differ only in terraform.tfvars and backend.s3.tfbackend
#   3. every backend file has its own state key under envs/<env>/, S3-native locking and the
#      state key; every environment's key matches the prefix its apply role may write
#   4. checkov (settings, the CKV_MODREG_* policies and the one global skip with its reason in
#      infra/.checkov.yaml) on the bootstrap and both environments with their tfvars: 0 failed
#      checks; every inline skip carries a reason
#   5. actionlint and zizmor --offline on the workflow: no findings
#   6. the workflow's scripts: the plan summary renders real plans of a provider-free
#      configuration; the promotion bump rewrites exactly one module's constraints
#
# Terraform resolving every module from a spawned registry is the e2e test
# tests/e2e/tests/environments.rs. validate, plan and tflint need the AWS provider, which this
# machine cannot download: they run in GitHub Actions only (docs/environments.md).
# Exit codes: 0 all passed, 1 a check failed, 2 a tool is missing.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=true CHECKPOINT_DISABLE=1
export TF_CLI_CONFIG_FILE=/dev/null

workflow=.github/workflows/terraform.yml
failed=0
pass() { printf 'PASS  %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; failed=1; }

for tool in terraform checkov actionlint zizmor jq; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool is not on PATH; run tests/setup.sh and put .tools/bin first on PATH" >&2
    exit 2
  fi
done

# --- 1. fmt -----------------------------------------------------------------------------------
if out=$(terraform fmt -check -recursive -list=true infra 2>&1); then
  pass "terraform fmt infra/"
else
  printf '%s\n' "$out"
  fail "terraform fmt infra/ (run: terraform fmt -recursive infra)"
fi

# --- 2. the roots are one root with two sets of values ----------------------------------------
for f in main.tf variables.tf outputs.tf; do
  if cmp -s "infra/envs/dev/$f" "infra/envs/staging/$f"; then
    pass "infra/envs/{dev,staging}/$f identical"
  else
    diff -u "infra/envs/dev/$f" "infra/envs/staging/$f"
    fail "infra/envs/dev/$f and infra/envs/staging/$f differ: put the difference in terraform.tfvars"
  fi
done

# --- 3. backends ------------------------------------------------------------------------------
backend_value() { sed -n "s/^$2 *= *\"\{0,1\}\([^\" ]*\)\"\{0,1\}.*/\1/p" "$1"; }
declare -A seen_keys=()
for backend in infra/envs/*/backend.s3.tfbackend; do
  env=$(basename "$(dirname "$backend")")
  key=$(backend_value "$backend" key)
  if [[ $key != "envs/$env/terraform.tfstate" ]]; then
    fail "$backend: key is '$key', want envs/$env/terraform.tfstate (the apply role of $env may write only envs/$env/)"
  elif [[ -n ${seen_keys[$key]:-} ]]; then
    fail "$backend: key $key is also used by ${seen_keys[$key]}"
  elif [[ $(backend_value "$backend" use_lockfile) != true ]]; then
    fail "$backend: use_lockfile = true is required (S3-native locking)"
  elif [[ ! $(backend_value "$backend" kms_key_id) =~ ^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/ ]]; then
    fail "$backend: kms_key_id must be the state key ARN (the bucket refuses any other key, and aliases)"
  else
    seen_keys[$key]=$backend
    pass "$backend: own key $key, lockfile, state key"
  fi
done

# --- 4. checkov -------------------------------------------------------------------------------
scan() { # scan DIR VAR_FILE
  local dir=$1 var_file=$2 json
  json=$(mktemp)
  checkov --config-file infra/.checkov.yaml -d "$dir" --var-file "$var_file" -o json >"$json" 2>/dev/null
  local summary
  summary=$(jq -r '[.] | flatten | map(.summary) | "\(map(.failed) | add) \(map(.passed) | add) \(map(.skipped) | add) \(map(.parsing_errors) | add)"' "$json" 2>/dev/null)
  read -r f p s e <<<"${summary:-x x x x}"
  if [[ $f == 0 && $e == 0 && $p =~ ^[0-9]+$ && $p -gt 0 ]]; then
    pass "checkov $dir (passed $p, skipped $s)"
  else
    jq -r '[.] | flatten | .[].results.failed_checks[]? | "  \(.check_id) \(.resource) \(.file_path):\(.file_line_range[0])"' "$json" 2>/dev/null
    fail "checkov $dir (failed ${f}, parse errors ${e}, passed ${p})"
  fi
  rm -f "$json"
}
scan infra/bootstrap infra/bootstrap/accounts/staging.tfvars
scan infra/envs/dev infra/envs/dev/terraform.tfvars
scan infra/envs/staging infra/envs/staging/terraform.tfvars

unexplained=$(grep -rnE 'checkov:skip=' infra/bootstrap infra/envs | grep -vE 'checkov:skip=CKV[A-Z0-9_]+:.{20,}' || true)
if [[ -z $unexplained ]]; then
  pass "every checkov skip in infra/bootstrap and infra/envs gives its reason"
else
  printf '%s\n' "$unexplained"
  fail "checkov skips without a reason (write #checkov:skip=ID:why)"
fi

# --- 5. the workflow --------------------------------------------------------------------------
if actionlint "$workflow"; then pass "actionlint $workflow"; else fail "actionlint $workflow"; fi
if zizmor --offline "$workflow"; then pass "zizmor --offline $workflow"; else fail "zizmor --offline $workflow"; fi

# --- 6. the workflow's scripts ---------------------------------------------------------------
if bash tests/infra/plan_summary_test.sh; then pass "plan summary of real plans"; else fail "plan summary"; fi
if bash tests/infra/bump_module_test.sh; then pass "module constraint bump"; else fail "module constraint bump"; fi

if ((failed)); then
  echo "RESULT: FAILED"
  exit 1
fi
echo "RESULT: all infra checks passed"

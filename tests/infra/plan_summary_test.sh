#!/usr/bin/env bash
# .github/scripts/plan-summary.sh against real plans of a provider-free configuration
# (terraform_data is built into Terraform): a first plan that adds, then one that replaces,
# updates and destroys. Fails with the rendered output when a count or a line is wrong.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
summary=$repo/.github/scripts/plan-summary.sh
export TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

expect() { # expect TEXT NEEDLE
  grep -qF -- "$2" <<<"$1" || { printf 'plan summary lacks: %s\n---\n%s\n' "$2" "$1" >&2; exit 1; }
}

cat >"$work/main.tf" <<'TF'
resource "terraform_data" "kept" { input = "a" }
resource "terraform_data" "replaced" { input = "b" }
resource "terraform_data" "dropped" { input = "c" }
TF
terraform -chdir="$work" init -input=false -no-color >/dev/null
terraform -chdir="$work" plan -input=false -no-color -out=first.tfplan >/dev/null
md=$(bash "$summary" markdown dev "$work" first.tfplan)
expect "$md" "### Terraform plan: dev"
expect "$md" "**3 to add, 0 to change, 0 to replace, 0 to destroy**"
expect "$md" '| create | `terraform_data.dropped` |'
expect "$md" "<details><summary>Full plan</summary>"
[[ $(bash "$summary" changes "$work" first.tfplan) == $'create terraform_data.dropped\ncreate terraform_data.kept\ncreate terraform_data.replaced' ]] \
  || { echo "changes of the first plan are wrong" >&2; bash "$summary" changes "$work" first.tfplan >&2; exit 1; }

terraform -chdir="$work" apply -input=false -no-color first.tfplan >/dev/null
cat >"$work/main.tf" <<'TF'
resource "terraform_data" "kept" { input = "a" }
resource "terraform_data" "replaced" {
  input            = "b2"
  triggers_replace = ["b2"]
}
TF
terraform -chdir="$work" plan -input=false -no-color -out=second.tfplan >/dev/null
md=$(bash "$summary" markdown staging "$work" second.tfplan)
expect "$md" "**0 to add, 0 to change, 1 to replace, 1 to destroy**"
expect "$md" '| delete | `terraform_data.dropped` |'
expect "$md" '| delete then create | `terraform_data.replaced` |'
changes=$(bash "$summary" changes "$work" second.tfplan)
[[ $changes == $'delete terraform_data.dropped\ndelete,create terraform_data.replaced' ]] \
  || { printf 'changes of the second plan are wrong:\n%s\n' "$changes" >&2; exit 1; }

terraform -chdir="$work" apply -input=false -no-color second.tfplan >/dev/null
terraform -chdir="$work" plan -input=false -no-color -out=third.tfplan >/dev/null
md=$(bash "$summary" markdown dev "$work" third.tfplan)
expect "$md" "No changes."
[[ -z $(bash "$summary" changes "$work" third.tfplan) ]] || { echo "an empty plan lists changes" >&2; exit 1; }
echo "plan summary: ok"

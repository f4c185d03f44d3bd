#!/usr/bin/env bash
# The Dockerfile's dependency layer, checked without a Docker daemon: the build stage first copies
# only Cargo.toml, Cargo.lock and each member's manifest, stubs the sources, and builds. That
# works only while the manifests it copies are the whole workspace. This script reads the
# `COPY <path>/Cargo.toml` lines of the Dockerfile, compares them with the workspace members
# cargo reports, lays out the same stub tree in a temp dir, and has cargo resolve it with the
# committed lock file (`cargo metadata --locked`), which fails if the lock would change.
#
# DOCKERFILE overrides the file read (the test command also feeds it one that misses a member,
# which must fail). Exit: 0 the stage would resolve, 1 it would not, 2 cargo missing.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
command -v cargo >/dev/null 2>&1 || { echo "error: cargo not on PATH" >&2; exit 2; }

dockerfile=${DOCKERFILE:-Dockerfile}
copied=$(sed -nE 's#^COPY ([^ ]+/)?Cargo.toml .*#\1#p' "$dockerfile" | sed 's#/$##' | grep -v '^$' | sort)
members=$(cargo metadata --no-deps --format-version 1 --locked 2>/dev/null | python3 -c '
import json, os, sys
meta = json.load(sys.stdin)
root = meta["workspace_root"]
ids = set(meta["workspace_members"])
for p in meta["packages"]:
    if p["id"] in ids:
        print(os.path.relpath(os.path.dirname(p["manifest_path"]), root))
' | sort)
if [[ -z $members ]]; then
  echo "FAIL  cargo metadata could not read the workspace" >&2
  exit 1
fi
if [[ $copied != "$members" ]]; then
  echo "FAIL  the Dockerfile's dependency stage copies the manifests of: $(echo $copied)" >&2
  echo "      but the workspace members are: $(echo $members)" >&2
  echo "      add a COPY <member>/Cargo.toml line (and its stub) to the build stage" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp Cargo.toml Cargo.lock "$tmp/"
for m in $members; do
  mkdir -p "$tmp/$m/src"
  cp "$m/Cargo.toml" "$tmp/$m/Cargo.toml"
done
# Stub targets, as the Dockerfile's RUN line makes them: an empty lib, a main that does nothing.
for m in $members; do
  if [[ -f $m/src/lib.rs ]]; then touch "$tmp/$m/src/lib.rs"; fi
  if [[ -f $m/src/main.rs ]]; then echo 'fn main() {}' >"$tmp/$m/src/main.rs"; fi
done
if (cd "$tmp" && cargo metadata --locked --format-version 1 >/dev/null 2>"$tmp/err"); then
  echo "ok    dependency stage: $(echo $members | wc -w) workspace manifests copied, stub tree resolves with the committed Cargo.lock"
else
  cat "$tmp/err" >&2
  echo "FAIL  the stub tree of the dependency stage does not resolve with --locked" >&2
  exit 1
fi

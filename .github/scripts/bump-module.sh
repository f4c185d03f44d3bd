#!/usr/bin/env bash
# Moves every call of one platform module to a new release line:
#
#   bump-module.sh [--root DIR] MODULE VERSION      e.g. bump-module.sh vpc 2.1.0
#
# rewrites `version = "..."` to `version = "~> MAJOR.MINOR"` in each module block whose source
# is registry.internal/platform/MODULE/aws, in infra/envs/platform (the one place the
# environments pin module versions) and infra/bootstrap. The promote job of
# .github/workflows/terraform.yml runs it and opens the pull request.
# Exit codes: 0 changed, 1 nothing to change, 2 bad arguments.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ ${1:-} == --root ]]; then root=$2; shift 2; fi
(($# == 2)) || { echo "usage: $0 [--root DIR] MODULE VERSION" >&2; exit 2; }
module=$1 version=$2

if [[ ! $module =~ ^[a-z][a-z0-9-]*$ ]]; then
  echo "error: '$module' is not a module name (such as vpc or eks-monitoring)" >&2; exit 2
fi
if [[ ! $version =~ ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$ ]]; then
  echo "error: '$version' is not a release version MAJOR.MINOR.PATCH (pre-releases are never promoted)" >&2; exit 2
fi
constraint="~> ${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
source_line="source  = \"registry.internal/platform/$module/aws\""

changed=0
for file in "$root"/infra/envs/platform/*.tf "$root"/infra/bootstrap/*.tf; do
  [[ -f $file ]] || continue
  grep -qF "$source_line" "$file" || continue
  awk -v src="$source_line" -v want="$constraint" '
    index($0, src) { in_call = 1 }
    in_call && /^[[:space:]]*version[[:space:]]*=/ { sub(/"[^"]*"/, "\"" want "\""); in_call = 0 }
    /^}/ { in_call = 0 }
    { print }' "$file" >"$file.new"
  if cmp -s "$file" "$file.new"; then
    rm "$file.new"
  else
    mv "$file.new" "$file"
    echo "${file#"$root"/}: platform/$module/aws -> $constraint"
    changed=1
  fi
done

if ((!changed)); then
  echo "nothing to change: no call of platform/$module/aws, or every call is already at $constraint" >&2
  exit 1
fi

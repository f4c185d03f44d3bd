#!/usr/bin/env bash
# Renders a saved Terraform plan for people and for the approval gate.
#
#   plan-summary.sh markdown ENV DIR PLAN   the plan as Markdown: counts, the changed resources,
#                                           the full (redacted) plan folded; for the job summary
#                                           and the pull-request comment
#   plan-summary.sh changes DIR PLAN        one "actions address" line per changed resource,
#                                           sorted: what a reviewer approved, compared with the
#                                           plan made after approval
#
# Needs terraform and jq. Sensitive values stay redacted (terraform show redacts them).
set -euo pipefail

usage() { echo "usage: $0 markdown ENV DIR PLAN | changes DIR PLAN" >&2; exit 2; }

changes() { # changes DIR PLAN
  terraform -chdir="$1" show -json "$2" | jq -r '
    [.resource_changes[]? | select(.change.actions != ["no-op"] and .change.actions != ["read"])
     | "\(.change.actions | join(",")) \(.address)"] | sort | .[]'
}

markdown() { # markdown ENV DIR PLAN
  local env=$1 dir=$2 plan=$3 json full
  json=$(terraform -chdir="$dir" show -json "$plan")
  jq -r --arg env "$env" '
    def count(a): [.resource_changes[]? | select(.change.actions == a)] | length;
    (count(["create"])) as $add | (count(["update"])) as $change | (count(["delete"])) as $destroy
    | ([.resource_changes[]? | select(.change.actions | length == 2)] | length) as $replace
    | "### Terraform plan: \($env)\n",
      "**\($add) to add, \($change) to change, \($replace) to replace, \($destroy) to destroy**\n",
      (if ($add + $change + $replace + $destroy) == 0 then "No changes.\n" else
        "| Action | Resource |\n|---|---|",
        ([.resource_changes[]? | select(.change.actions != ["no-op"] and .change.actions != ["read"])]
         | sort_by(.address)[] | "| \(.change.actions | join(" then ")) | `\(.address)` |"),
        ""
      end)' <<<"$json"
  # GitHub caps a comment at 65536 characters: keep the full plan well inside that.
  full=$(terraform -chdir="$dir" show -no-color "$plan")
  if ((${#full} > 50000)); then
    full="${full:0:50000}
... (truncated: the whole plan is in the job log)"
  fi
  printf '<details><summary>Full plan</summary>\n\n```text\n%s\n```\n\n</details>\n' "$full"
}

case ${1:-} in
  markdown) (($# == 4)) || usage; markdown "$2" "$3" "$4" ;;
  changes) (($# == 3)) || usage; changes "$2" "$3" ;;
  *) usage ;;
esac

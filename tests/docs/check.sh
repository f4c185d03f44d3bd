#!/usr/bin/env bash
# The documentation site, checked the way a reader and the Confluence publisher will meet it.
#
#   1. mkdocs build --strict (mkdocs.yml at the repository root): a broken link or anchor, a page
#      missing from the nav, or a module README the catalogue hook cannot render fails the build
#   2. the generated module catalogue has one page per module directory
#   3. every runbook an alert names (Prometheus runbook_url, CloudWatch alarm descriptions)
#      resolves to a page of the built site (tests/docs/runbook_links.py)
#   4. Confluence conversion, offline: md2cf --dry-run over every page's final Markdown (exported
#      by the catalogue hook) against a local stand-in for the REST API (confluence_stub.py);
#      and a fixture with a broken relative link and a duplicate title must fail it
#
# Tools from PATH: mkdocs (docs/requirements.txt) and md2cf (docs/requirements-confluence.txt),
# both installed by tests/setup.sh. Exit codes: 0 all passed, 1 a check failed, 2 a tool is missing.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
export NO_MKDOCS_2_WARNING=1

results=() failed=0
record() { # record STATUS NAME [DETAIL]
  results+=("$(printf '%-4s  %s%s' "$1" "$2" "${3:+  ($3)}")")
  [[ $1 == PASS ]] || failed=1
}
say() { printf '\n==> %s\n' "$*" >&2; }
tmp=$(mktemp -d)
stub_pid=""
cleanup() { [[ -n $stub_pid ]] && kill "$stub_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

for tool in mkdocs md2cf; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "FAIL  tool $tool: not on PATH; run tests/setup.sh" >&2
    exit 2
  fi
done

# --- 1. build ------------------------------------------------------------------------------
say "mkdocs build --strict"
site=$tmp/site export_dir=$tmp/export
if MODREG_DOCS_EXPORT=$export_dir mkdocs build --strict --site-dir "$site" >"$tmp/build.log" 2>&1; then
  record PASS "mkdocs build --strict" "$(find "$site" -name index.html | wc -l) pages"
else
  grep -E 'WARNING|ERROR|Error|Aborted' "$tmp/build.log" >&2 || cat "$tmp/build.log" >&2
  record FAIL "mkdocs build --strict" "see the warnings above"
fi

if [[ -f $site/index.html ]]; then
  # --- 2. catalogue ------------------------------------------------------------------------
  modules=$(for d in modules/*/README.md infra/registry/modules/*/README.md; do [[ -f $d ]] && echo "$d"; done | wc -l)
  pages=$(find "$site/catalogue" -mindepth 2 -name index.html | wc -l)
  if ((modules > 0 && pages == modules)) && [[ -f $site/catalogue/index.html ]]; then
    record PASS "module catalogue" "$pages module pages generated from $modules READMEs"
  else
    record FAIL "module catalogue" "$pages module pages for $modules module READMEs"
  fi

  # --- 3. runbooks -------------------------------------------------------------------------
  say "runbook references resolve to site pages"
  if python3 tests/docs/runbook_links.py "$site" >"$tmp/runbooks.log"; then
    record PASS "runbook links" "$(grep -c '^ok' "$tmp/runbooks.log") references"
  else
    grep -v '^ok' "$tmp/runbooks.log" >&2
    record FAIL "runbook links" "see above"
  fi

  # --- 4. Confluence conversion ------------------------------------------------------------
  python3 tests/docs/confluence_stub.py "$tmp/stub.port" 2>"$tmp/stub.log" &
  stub_pid=$!
  for _ in $(seq 50); do [[ -s $tmp/stub.port ]] && break; sleep 0.1; done
  md2cf_dry_run() { # md2cf_dry_run DIR LOG
    (cd "$tmp" && md2cf --dry-run --enable-relative-links --output minimal \
      --host "http://127.0.0.1:$(cat "$tmp/stub.port")/" --space DOCS --token offline "$1") >"$2" 2>&1
  }
  say "md2cf --dry-run (offline) over the exported pages"
  exported=$(find "$export_dir" -name '*.md' | wc -l)
  built=$(find "$site" -name index.html -not -path "$site/index.html" | wc -l)
  if md2cf_dry_run "$export_dir" "$tmp/md2cf.log" && ((exported == built + 1)); then
    record PASS "confluence conversion" "$exported pages convert; titles unique, relative links resolve"
  else
    cat "$tmp/md2cf.log" >&2
    record FAIL "confluence conversion" "md2cf refused the pages, or $exported exported for $((built + 1)) built"
  fi
  say "md2cf must refuse a broken relative link and a duplicate title"
  mkdir -p "$tmp/bad"
  printf '# Same title\n\nSee [a page](missing.md).\n' >"$tmp/bad/a.md"
  printf '# Same title\n\nText.\n' >"$tmp/bad/b.md"
  if md2cf_dry_run "$tmp/bad" "$tmp/bad.log"; then
    cat "$tmp/bad.log" >&2
    record FAIL "confluence conversion can fail" "md2cf accepted a broken link and duplicate titles"
  else
    record PASS "confluence conversion can fail" "the bad fixture is refused"
  fi
fi

printf '\n== documentation checks\n'
printf '%s\n' "${results[@]}"
if ((failed)); then echo "RESULT: FAILED"; exit 1; fi
echo "RESULT: all checks passed"

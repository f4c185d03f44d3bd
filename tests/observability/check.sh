#!/usr/bin/env bash
# Checks modreg's own observability assets (infra/observability):
#   1. promtool check rules   - the alert rules parse and are valid PromQL
#   2. promtool test rules    - every alert's firing and not-firing unit tests pass
#   3. dashboard and rule lint (python3, stdlib only): see check_assets.py below.
# Exits non-zero on any failure. A missing promtool is a failure, never a skip.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
obs=$repo/infra/observability
rules=$obs/prometheus/modreg-rules.yml
rule_tests=$obs/prometheus/modreg-rules.test.yml
dashboard=$obs/grafana/modreg-dashboard.json
# eks-monitoring provisions the same dashboard into Grafana; the two copies must not drift.
module_dashboard=$repo/modules/eks-monitoring/dashboards/modreg-overview.json
failed=0

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; failed=1; }

if ! command -v promtool >/dev/null 2>&1; then
  echo "error: promtool not found on PATH (install the Debian package 'prometheus'; tests/setup.sh does)" >&2
  exit 2
fi
command -v python3 >/dev/null 2>&1 || { echo "error: python3 not found" >&2; exit 2; }

step "promtool check rules"
promtool check rules "$rules" || fail "promtool check rules"

step "promtool test rules"
(cd "$(dirname "$rule_tests")" && promtool test rules "$(basename "$rule_tests")") || fail "promtool test rules"

step "dashboard copies identical"
if cmp -s "$dashboard" "$module_dashboard"; then
  echo "ok: ${module_dashboard#$repo/} matches ${dashboard#$repo/}"
else
  fail "${module_dashboard#$repo/} differs from ${dashboard#$repo/} (copy it over)"
fi

step "dashboard and rules lint"
python3 - "$dashboard" "$rules" "$rule_tests" "$repo" <<'PY' || fail "dashboard/rules lint"
import json, re, sys
from pathlib import Path

# The one list of metric names modreg exports on /metrics (plus `up`, which Prometheus adds
# to every scrape). Histograms are listed by family; _bucket/_sum/_count are derived.
EXPORTED_COUNTERS_AND_GAUGES = {
    "modreg_ready",                  # gauge: 1 when /readyz is ok
    "modreg_downloads_total",        # counter {module, outcome}
    "modreg_publishes_total",        # counter {module, outcome=created|unchanged|rejected|conflict|error}
    "modreg_git_moved_tags_total",   # counter: git tags seen moved after publish
    "modreg_storage_errors_total",   # counter: blob store operation failures
}
EXPORTED_HISTOGRAMS = {
    "http_server_request_duration_seconds",  # {route, method, status}
}
SCRAPE_METRICS = {"up"}
PUBLISH_OUTCOMES = {"created", "unchanged", "rejected", "conflict", "error"}
DASHBOARD_UID = "modreg-overview"
DATASOURCE_REF = "${datasource}"

KNOWN = set(EXPORTED_COUNTERS_AND_GAUGES) | SCRAPE_METRICS
for h in EXPORTED_HISTOGRAMS:
    KNOWN |= {h + "_bucket", h + "_sum", h + "_count"}

KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
            "group_right", "offset", "bool", "inf", "nan"}
errors = []

def metrics_in(expr):
    """Metric names an expression selects (rough PromQL scan, good enough for our own files)."""
    m = re.match(r"\s*label_values\(\s*([A-Za-z_:][\w:]*)", expr)
    if m:
        return {m.group(1)}
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)                # strings
    e = re.sub(r"\{[^}]*\}", "", e)                             # label matchers
    e = re.sub(r"\[[^\]]*\]", "", e)                            # range / subquery selectors
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    names = set()
    for m in re.finditer(r"(?<![\w:$.])([A-Za-z_:][\w:]*)(\s*\()?", e):
        name, call = m.group(1), m.group(2)
        if call or name.lower() in KEYWORDS:
            continue
        names.add(name)
    return names

def check_expr(where, expr):
    found = metrics_in(expr)
    if not found:
        errors.append(f"{where}: expression selects no metric: {expr!r}")
    for name in sorted(found - KNOWN):
        errors.append(f"{where}: metric {name!r} is not exported by modreg: {expr!r}")

dash_path, rules_path, tests_path, repo = map(Path, sys.argv[1:5])

# --- dashboard ---------------------------------------------------------------------------
try:
    dash = json.loads(dash_path.read_text())
except (OSError, ValueError) as e:
    print(f"FAIL: {dash_path}: does not parse as JSON: {e}")
    sys.exit(1)

if dash.get("uid") != DASHBOARD_UID:
    errors.append(f"dashboard uid is {dash.get('uid')!r}, must stay {DASHBOARD_UID!r} (links and provisioning use it)")
tvars = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
dsvar = tvars.get("datasource")
if not dsvar or dsvar.get("type") != "datasource" or dsvar.get("query") != "prometheus":
    errors.append("dashboard needs a templating variable 'datasource' of type datasource, query prometheus")

def ds_ok(ds):
    if isinstance(ds, dict):
        return ds.get("uid") == DATASOURCE_REF
    return ds == DATASOURCE_REF

for name, var in tvars.items():
    if var.get("type") == "query":
        if not ds_ok(var.get("datasource")):
            errors.append(f"variable {name}: datasource must be {DATASOURCE_REF}")
        q = var.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        check_expr(f"variable {name}", q or "")

def walk(panels):
    for p in panels:
        yield p
        yield from walk(p.get("panels", []))

ids, n_targets = [], 0
panels = list(walk(dash.get("panels", [])))
if not panels:
    errors.append("dashboard has no panels")
for p in panels:
    where = f"panel {p.get('id')} {p.get('title')!r}"
    if not isinstance(p.get("id"), int):
        errors.append(f"{where}: id must be an integer")
    ids.append(p.get("id"))
    if p.get("type") == "row":
        if "datasource" in p and not ds_ok(p["datasource"]):
            errors.append(f"{where}: row datasource must be {DATASOURCE_REF} or absent")
        continue
    if not ds_ok(p.get("datasource")):
        errors.append(f"{where}: datasource must use the templated variable {DATASOURCE_REF}, got {p.get('datasource')!r}")
    targets = p.get("targets") or []
    if not targets:
        errors.append(f"{where}: has no targets")
    for t in targets:
        n_targets += 1
        if "datasource" in t and not ds_ok(t["datasource"]):
            errors.append(f"{where} target {t.get('refId')}: datasource must be {DATASOURCE_REF}")
        check_expr(f"{where} target {t.get('refId')}", t.get("expr", ""))
dupes = sorted({i for i in ids if ids.count(i) > 1}, key=str)
if dupes:
    errors.append(f"duplicate panel ids: {dupes}")

# --- rules: outcomes, severities, runbooks (the YAML itself is promtool's job) -------------
rules = rules_path.read_text()
alerts = re.findall(r"^\s*-\s*alert:\s*(\S+)\s*$", rules, re.M)
if not alerts:
    errors.append(f"{rules_path}: no alerts found")
for expr in re.findall(r"^\s*expr:\s*(?:\|\s*\n((?:\s{10,}.*\n?)+)|(.+))$", rules, re.M):
    check_expr("rules", (expr[0] or expr[1]).strip())
for outcome in re.findall(r'outcome\s*[!=]~?\s*"([^"]+)"', rules):
    for o in outcome.split("|"):
        if o not in PUBLISH_OUTCOMES:
            errors.append(f"rules: unknown publish outcome {o!r}")
blocks = re.split(r"^\s*-\s*alert:\s*", rules, flags=re.M)[1:]
tests = tests_path.read_text()
for block in blocks:
    name = block.split()[0]
    if not re.search(r"^\s*severity:\s*(critical|warning|info)\s*$", block, re.M):
        errors.append(f"alert {name}: labels.severity must be critical, warning or info")
    for ann in ("summary", "description", "runbook_url"):
        if not re.search(rf"^\s*{ann}:\s*\S", block, re.M):
            errors.append(f"alert {name}: missing annotation {ann}")
    m = re.search(r"runbook_url:\s*\"?(\S+?)\"?\s*$", block, re.M)
    if m and not m.group(1).endswith(f"/docs/runbooks/{name}.md"):
        errors.append(f"alert {name}: runbook_url must end in /docs/runbooks/{name}.md")
    runbook = repo / "docs" / "runbooks" / f"{name}.md"
    if not runbook.is_file():
        errors.append(f"alert {name}: docs/runbooks/{name}.md does not exist")
    else:
        text = runbook.read_text()
        for section in ("**Meaning.**", "**Diagnose.**", "**Fix.**"):
            if section not in text:
                errors.append(f"docs/runbooks/{name}.md: missing the {section} section")
    # Each alert needs a firing case and a not-firing (exp_alerts: []) case in the unit tests.
    cases = re.findall(rf"alertname:\s*{name}\s*\n\s*exp_alerts:\s*(\[\])?", tests)
    if not any(c == "[]" for c in cases):
        errors.append(f"alert {name}: no not-firing unit test (exp_alerts: [])")
    if not any(c == "" for c in cases):
        errors.append(f"alert {name}: no firing unit test")

for e in errors:
    print(f"FAIL: {e}")
print(f"dashboard: {len(panels)} panels, {n_targets} queries; rules: {len(alerts)} alerts; {len(errors)} problems")
sys.exit(1 if errors else 0)
PY

if [[ $failed -ne 0 ]]; then
  echo; echo "observability checks FAILED" >&2; exit 1
fi
echo; echo "observability checks passed"

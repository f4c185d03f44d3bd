#!/usr/bin/env python3
"""Every runbook an alert names must be a page of the built documentation site.

Sources: the `runbook_url` annotations of the Prometheus rules under infra/observability/ and
the `Runbook: docs/...` line of every CloudWatch alarm description under infra/. A reference is
resolved by its path inside docs/ (`.../blob/main/docs/runbooks/X.md` or `docs/runbooks/X.md`)
to the page MkDocs builds from that file (`runbooks/X/index.html`; README.md and index.md are the
directory's index page).

Usage: runbook_links.py SITE_DIR   one line per reference; exit 0 if all resolve and there is at
least one of each kind, 1 otherwise.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROM_URL = re.compile(r"runbook_url:\s*[\"']?([^\"'\s]+)")
ALARM_RUNBOOK = re.compile(r"Runbook:\s*(\S+\.md)")
DOCS_PATH = re.compile(r"(?:^|/)docs/((?:[\w.-]+/)*[\w.-]+\.md)$")


def site_page(site: Path, reference: str) -> Path | None:
    """The built page a reference names, or None if it names no file under docs/."""
    match = DOCS_PATH.search(reference.split("#", 1)[0].split("?", 1)[0])
    if not match:
        return None
    doc = Path(match.group(1))
    if doc.stem in ("README", "index"):
        return site / doc.parent / "index.html"
    return site / doc.with_suffix("") / "index.html"


def references() -> dict[str, list[tuple[str, str]]]:
    """{kind: [(where, reference)]} for the Prometheus rules and the CloudWatch alarms."""
    found: dict[str, list[tuple[str, str]]] = {"prometheus runbook_url": [], "cloudwatch alarm": []}
    for path in sorted((REPO / "infra" / "observability").rglob("*.y*ml")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for ref in PROM_URL.findall(line):
                found["prometheus runbook_url"].append((f"{path.relative_to(REPO)}:{n}", ref))
    for path in sorted((REPO / "infra").rglob("*.tf")):
        if ".terraform" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "alarm_description" in line:
                for ref in ALARM_RUNBOOK.findall(line):
                    found["cloudwatch alarm"].append((f"{path.relative_to(REPO)}:{n}", ref))
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[1], "index.html").is_file():
        print("usage: runbook_links.py SITE_DIR (a built site, with index.html)", file=sys.stderr)
        return 2
    site = Path(argv[1])
    bad = 0
    for kind, refs in references().items():
        if not refs:
            print(f"FAIL  no {kind} references found: the extraction no longer matches the sources")
            bad += 1
        for where, ref in refs:
            page = site_page(site, ref)
            if page is None:
                print(f"FAIL  {where}: {kind} {ref} does not name a page under docs/")
                bad += 1
            elif not page.is_file():
                print(f"FAIL  {where}: {kind} {ref} -> {page.relative_to(site)} is not in the built site")
                bad += 1
            else:
                print(f"ok    {where}: {ref} -> {page.relative_to(site)}")
    # The resolver itself must be able to fail: a page that does not exist is not found.
    probe = site_page(site, "https://git.internal/platform/modreg/blob/main/docs/runbooks/NoSuchRunbook.md")
    if probe is None or probe.is_file():
        print("FAIL  self-check: a reference to a missing runbook resolved")
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

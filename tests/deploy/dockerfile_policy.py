#!/usr/bin/env python3
"""The image rules hadolint does not know: every base image pinned by digest, a non-root user in
the final stage, and no HEALTHCHECK (the load balancer probes /readyz).

Usage: dockerfile_policy.py DOCKERFILE...    one line per finding; exit 0 clean, 1 findings
       dockerfile_policy.py --fixtures DIR      every DIR/*.Dockerfile must fail with the rule its
                                                first line names (`# expect: <rule>`), which proves
                                                each rule can fail; exit 0 if all do, 1 otherwise
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
ROOT_USERS = {"root", "0", "0:0", "root:root"}


def instructions(text: str) -> list[tuple[int, str, str]]:
    """(line, INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out, buf, start = [], "", 0
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if not buf:
            start = n
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        word, _, rest = buf.partition(" ")
        out.append((start, word.upper(), rest.strip()))
        buf = ""
    return out


def check(path: Path) -> list[tuple[str, str]]:
    """Findings as (rule, message)."""
    findings: list[tuple[str, str]] = []
    stages: list[str] = []
    final_user = None
    args: dict[str, str] = {}
    for line, word, rest in instructions(path.read_text(encoding="utf-8")):
        where = f"{path}:{line}"
        if word == "ARG" and not stages:
            name, _, default = rest.partition("=")
            args[name.strip()] = default.strip().strip('"')
        elif word == "FROM":
            parts = [p for p in rest.split() if not p.startswith("--")]
            image = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), parts[0])
            alias = parts[2].lower() if len(parts) >= 3 and parts[1].upper() == "AS" else None
            if image.lower() not in stages and image != "scratch" and not DIGEST.search(image):
                findings.append(("digest", f"{where}: base image `{parts[0]}` is not pinned by digest (@sha256:...)"))
            stages.append(alias or f"#{len(stages)}")
            final_user = None
        elif word == "USER":
            final_user = rest.split()[0]
        elif word == "HEALTHCHECK" and not rest.upper().startswith("NONE"):
            findings.append(("healthcheck", f"{where}: HEALTHCHECK in the image; the load balancer checks /readyz"))
    if not stages:
        findings.append(("digest", f"{path}: no FROM instruction"))
    elif final_user is None:
        findings.append(("user", f"{path}: the final stage sets no USER, so the image runs as root"))
    elif final_user in ROOT_USERS:
        findings.append(("user", f"{path}: the final stage runs as `{final_user}`; use a non-root user such as 65532"))
    return findings


def check_fixtures(directory: Path) -> int:
    fixtures = sorted(directory.glob("*.Dockerfile"))
    if not fixtures:
        print(f"{directory}: no *.Dockerfile fixtures")
        return 1
    bad = 0
    for fixture in fixtures:
        first = fixture.read_text(encoding="utf-8").splitlines()[0]
        expected = first.removeprefix("# expect:").strip()
        rules = {rule for rule, _ in check(fixture)}
        if expected in rules:
            print(f"ok    {fixture.name} fails `{expected}`, as it must")
        else:
            print(f"FAIL  {fixture.name} must fail `{expected}`, failed: {sorted(rules) or 'nothing'}")
            bad += 1
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "--fixtures" and len(argv) == 3:
        return check_fixtures(Path(argv[2]))
    bad = 0
    for name in argv[1:]:
        for _, message in check(Path(name)):
            print(message)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

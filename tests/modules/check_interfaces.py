#!/usr/bin/env python3
"""Checks the interface and layout rules of every Terraform module under modules/.

Rules (issue 3, CONVENTIONS habit 10):
  - every variable has a type, a non-empty description, and no `any` anywhere in its type;
  - every output has a non-empty description;
  - the required FinOps `tags` variable exists: map(string), nullable = false, two validations;
  - versions.tf pins required_version and hashicorp/aws;
  - the module ships variables.tf, outputs.tf, versions.tf, README.md (with the empty-or-filled
    generated docs section), CHANGELOG.md, examples/basic and examples/complete.
Examples are checked for variable/output descriptions too (they are root modules people copy).

Usage: check_interfaces.py [MODULES_DIR]   (default: modules). Prints one line per finding on
stdout and a summary on stderr; exit 0 clean, 1 findings, 2 error (e.g. python-hcl2 missing).
Runs under the checkov venv's Python, which ships python-hcl2 (module name `hcl2`).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import hcl2
except ImportError:  # pragma: no cover - environment problem, not a finding
    print("error: python-hcl2 is not importable; run this with the checkov venv's python", file=sys.stderr)
    sys.exit(2)

REQUIRED_FILES = ("variables.tf", "outputs.tf", "versions.tf", "README.md", "CHANGELOG.md")
REQUIRED_EXAMPLES = ("basic", "complete")
DOCS_BEGIN = "<!-- BEGIN_MODREG_DOCS -->"
DOCS_END = "<!-- END_MODREG_DOCS -->"
# `any` as a type keyword, not inside a quoted object attribute name.
ANY_TYPE = re.compile(r"(?<![\w'\"-])any(?![\w'\"-])")


def first(value):
    """python-hcl2 wraps attribute values in one-element lists."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def type_text(value) -> str:
    value = first(value)
    text = str(value)
    return text[2:-1] if text.startswith("${") and text.endswith("}") else text


def load(path: Path, findings: list[str]) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            return hcl2.load(fh)
    except Exception as exc:  # python-hcl2 raises lark errors of several kinds
        findings.append(f"{path}: cannot parse HCL: {exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
        return {}


def check_blocks(tf_files: list[Path], findings: list[str]) -> dict[str, dict]:
    variables: dict[str, dict] = {}
    for path in tf_files:
        doc = load(path, findings)
        for block in doc.get("variable", []):
            for name, body in block.items():
                variables[name] = body
                where = f"{path}: variable \"{name}\""
                if "type" not in body:
                    findings.append(f"{where} has no type")
                elif ANY_TYPE.search(type_text(body["type"])):
                    findings.append(f"{where} uses `any` in its type ({type_text(body['type'])}); spell the type out")
                if not str(first(body.get("description", "")) or "").strip():
                    findings.append(f"{where} has no description")
        for block in doc.get("output", []):
            for name, body in block.items():
                if not str(first(body.get("description", "")) or "").strip():
                    findings.append(f"{path}: output \"{name}\" has no description")
    return variables


def check_tags_variable(module: Path, variables: dict[str, dict], findings: list[str]) -> None:
    body = variables.get("tags")
    if body is None:
        findings.append(f"{module}: no `tags` variable (the FinOps tags input is required in every module)")
        return
    if type_text(body.get("type")).replace(" ", "") != "map(string)":
        findings.append(f"{module}: variable \"tags\" must be map(string)")
    if first(body.get("nullable")) is not False:
        findings.append(f"{module}: variable \"tags\" must set nullable = false")
    if "default" in body:
        findings.append(f"{module}: variable \"tags\" must be required (no default)")
    if len(body.get("validation", [])) < 2:
        findings.append(f"{module}: variable \"tags\" must carry the two FinOps validations (required keys, environment)")


def check_versions(module: Path, findings: list[str]) -> None:
    path = module / "versions.tf"
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    if not re.search(r'required_version\s*=\s*"[^"]*>=\s*1\.(1[1-9]|[2-9]\d)', text):
        findings.append(f"{path}: required_version must be \">= 1.11\" or newer")
    if "hashicorp/aws" not in text:
        findings.append(f"{path}: required_providers must pin hashicorp/aws")


def check_layout(module: Path, findings: list[str]) -> None:
    for name in REQUIRED_FILES:
        if not (module / name).is_file():
            findings.append(f"{module}: missing {name}")
    for name in REQUIRED_EXAMPLES:
        example = module / "examples" / name
        if not any(example.glob("*.tf")):
            findings.append(f"{module}: missing examples/{name} (a runnable root module)")
    readme = module / "README.md"
    if readme.is_file():
        text = readme.read_text(encoding="utf-8")
        begin, end = text.find(DOCS_BEGIN), text.find(DOCS_END)
        if begin < 0 or end < begin:
            findings.append(f"{readme}: missing the generated section markers {DOCS_BEGIN} ... {DOCS_END}")
        if "## Inputs and outputs" not in text:
            findings.append(f"{readme}: missing the '## Inputs and outputs' heading")


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "modules")
    if not root.is_dir():
        print(f"error: {root} is not a directory", file=sys.stderr)
        return 2
    modules = sorted(p for p in root.iterdir() if p.is_dir() and any(p.glob("*.tf")))
    if not modules:
        print(f"error: no Terraform modules under {root}", file=sys.stderr)
        return 2

    findings: list[str] = []
    for module in modules:
        check_layout(module, findings)
        check_versions(module, findings)
        variables = check_blocks(sorted(module.glob("*.tf")), findings)
        check_tags_variable(module, variables, findings)
        for example in sorted((module / "examples").glob("*/")):
            check_blocks(sorted(example.glob("*.tf")), findings)

    for finding in findings:
        print(finding)
    print(f"interfaces: {len(modules)} modules checked, {len(findings)} findings", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

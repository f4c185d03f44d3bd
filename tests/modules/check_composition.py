#!/usr/bin/env python3
"""Checks that the modules deploy together under the bounded apply role of platform/iam.

The apply role in CI carries the iam module's permissions boundary, so whatever the other
modules create must fit inside it. Rules, over every module under modules/ (and submodules):
  - every aws_iam_role, aws_iam_instance_profile and aws_iam_policy sets `path` from a variable
    whose default is the iam module's `path` default and which has a validation: the boundary
    lets the apply role create and pass roles only under that path (AllowIamUnderPlatformPath);
  - every AWS resource and data source belongs to a service the boundary allows by default
    (`boundary_allowed_services`), looked up in SERVICE_OF below;
  - every service-linked role a resource makes AWS create in a fresh account (SLR_OF below) is
    allowed by the boundary's `boundary_service_linked_roles` default.
A resource type missing from SERVICE_OF is a finding too: add it, with the IAM service prefix
its API calls use, so that no new resource can slip past the boundary check.

Usage: check_composition.py [MODULES_DIR]   (default: modules). One line per finding on stdout,
a summary on stderr; exit 0 clean, 1 findings, 2 error. Runs under checkov's Python (hcl2).
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

PATHED_TYPES = ("aws_iam_role", "aws_iam_instance_profile", "aws_iam_policy")

# Resource/data type prefix -> IAM service prefix its API calls need (None: no AWS API call, or
# IAM itself, which the boundary governs by path). Longest matching prefix wins.
SERVICE_OF = {
    "aws_bcmdataexports_": "bcm-data-exports",
    "aws_budgets_": "budgets",
    "aws_caller_identity": "sts",
    "aws_ce_": "ce",
    "aws_chatbot_": "chatbot",
    "aws_cloudwatch_dashboard": "cloudwatch",
    "aws_cloudwatch_event_": "events",
    "aws_cloudwatch_log_": "logs",
    "aws_cloudwatch_metric_alarm": "cloudwatch",
    "aws_config_": "config",
    "aws_db_": "rds",
    "aws_default_network_acl": "ec2",
    "aws_default_security_group": "ec2",
    "aws_ebs_": "ec2",
    "aws_ecs_": "ecs",
    "aws_eip": "ec2",
    "aws_eks_": "eks",
    "aws_flow_log": "ec2",
    "aws_iam_": None,
    "aws_instance": "ec2",
    "aws_internet_gateway": "ec2",
    "aws_kms_": "kms",
    "aws_launch_template": "ec2",
    "aws_nat_gateway": "ec2",
    "aws_network_acl": "ec2",
    "aws_partition": None,
    "aws_region": None,
    "aws_route": "ec2",
    "aws_s3_": "s3",
    "aws_secretsmanager_": "secretsmanager",
    "aws_security_group": "ec2",
    "aws_sns_": "sns",
    "aws_ssm_": "ssm",
    "aws_subnet": "ec2",
    "aws_volume_attachment": "ec2",
    "aws_vpc": "ec2",
    "helm_": None,
    "kubernetes_": None,
    "random_": None,
    "terraform_data": None,
    "tls_": None,
}

# Resource type -> services whose service-linked role AWS creates on first use in an account.
SLR_OF = {
    "aws_autoscaling_group": ["autoscaling"],
    "aws_chatbot_slack_channel_configuration": ["management.chatbot"],
    "aws_db_instance": ["rds"],
    "aws_ecs_cluster": ["ecs"],
    "aws_eks_cluster": ["eks"],
    "aws_eks_node_group": ["eks-nodegroup", "autoscaling", "spot"],
    "aws_lb": ["elasticloadbalancing"],
}


def first(value):
    """python-hcl2 wraps attribute values in one-element lists."""
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def load(path: Path, findings: list[str]) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            return hcl2.load(fh)
    except Exception as exc:  # python-hcl2 raises lark errors of several kinds
        findings.append(f"{path}: cannot parse HCL: {exc.__class__.__name__}")
        return {}


def blocks(doc: dict, kind: str):
    for block in doc.get(kind, []):
        for rtype, named in block.items():
            for name, body in named.items():
                yield rtype, name, body


def service_of(rtype: str) -> tuple[bool, str | None]:
    matches = [p for p in SERVICE_OF if rtype.startswith(p)]
    if not matches:
        return False, None
    return True, SERVICE_OF[max(matches, key=len)]


def iam_defaults(root: Path, findings: list[str]) -> tuple[str, set[str], set[str]]:
    """The iam module's path default, allowed services and service-linked roles, and a check
    that its boundary really confines IAM writes to that path."""
    variables = {}
    for tf in sorted((root / "iam").glob("*.tf")):
        for block in load(tf, findings).get("variable", []):
            variables.update(block)
    path = first(variables.get("path", {}).get("default"))
    services = set(first(variables.get("boundary_allowed_services", {}).get("default")) or [])
    slrs = set(first(variables.get("boundary_service_linked_roles", {}).get("default")) or [])
    if not path:
        findings.append(f"{root}/iam: variable \"path\" has no default (the boundary's path)")
    boundary = (root / "iam" / "boundary.tf").read_text(encoding="utf-8")
    for kind in ("role", "policy", "instance-profile"):
        if f":{kind}${{var.path}}*" not in boundary:
            findings.append(f"{root}/iam/boundary.tf: the boundary no longer confines {kind} writes to ${{var.path}}")
    return path or "", services, slrs


def check_module(module: Path, path: str, services: set[str], slrs: set[str], findings: list[str]) -> int:
    tf_files = sorted(p for p in module.rglob("*.tf") if "examples" not in p.relative_to(module).parts and "tests" not in p.relative_to(module).parts)
    by_dir: dict[Path, list[dict]] = {}
    for tf in tf_files:
        by_dir.setdefault(tf.parent, []).append(load(tf, findings))
    checked = 0
    for directory, docs in sorted(by_dir.items()):
        variables = {}
        for doc in docs:
            for block in doc.get("variable", []):
                variables.update(block)
        for doc in docs:
            for kind in ("resource", "data"):
                for rtype, name, body in blocks(doc, kind):
                    checked += 1
                    where = f"{directory}: {'data.' if kind == 'data' else ''}{rtype}.{name}"
                    known, service = service_of(rtype)
                    if not known:
                        findings.append(f"{where}: type not in SERVICE_OF of tests/modules/check_composition.py; add the IAM service it calls")
                    elif service and service not in services:
                        findings.append(f"{where}: needs service `{service}`, which the iam boundary does not allow (boundary_allowed_services)")
                    if kind == "resource":
                        for slr in SLR_OF.get(rtype, []):
                            if slr not in slrs:
                                findings.append(f"{where}: a fresh account needs the `{slr}` service-linked role, which the boundary may not create (boundary_service_linked_roles)")
                    if kind == "resource" and rtype in PATHED_TYPES:
                        check_path(where, first(body.get("path")), variables, path, findings)
    return checked


def check_path(where: str, value, variables: dict, path: str, findings: list[str]) -> None:
    if value is None:
        findings.append(f"{where}: sets no `path`; the boundary lets the apply role create and pass roles only under {path}")
        return
    match = re.fullmatch(r"\$\{var\.([A-Za-z0-9_]+)\}", str(value))
    if not match:
        if value != path:
            findings.append(f"{where}: path {value!r} lies outside the boundary's {path}")
        return
    var = variables.get(match.group(1))
    if var is None:
        findings.append(f"{where}: path comes from undeclared variable {match.group(1)}")
        return
    if first(var.get("default")) != path:
        findings.append(f"{where}: variable {match.group(1)} defaults to {first(var.get('default'))!r}, not the boundary's {path}")
    if not var.get("validation"):
        findings.append(f"{where}: variable {match.group(1)} has no validation (a path must start and end with '/')")


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "modules")
    if not (root / "iam").is_dir():
        print(f"error: {root}/iam (the boundary's module) not found", file=sys.stderr)
        return 2
    findings: list[str] = []
    path, services, slrs = iam_defaults(root, findings)
    modules = sorted(p for p in root.iterdir() if p.is_dir() and any(p.glob("*.tf")))
    checked = sum(check_module(m, path, services, slrs, findings) for m in modules)
    for finding in findings:
        print(finding)
    print(f"composition: {len(modules)} modules, {checked} resources and data sources checked against the boundary, {len(findings)} findings", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

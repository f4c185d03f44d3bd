#!/usr/bin/env python3
"""Replays packets through the vpc module's network ACL rules, evaluated by real Terraform.

modules/vpc/network_acl_rules.tf holds the rule sets as locals that depend on the inputs only,
so a scratch root with that file and variables.tf plans without any provider. Its planned
output is the rules exactly as the NACL resources receive them; each case below sends one
packet (direction, source, protocol, destination port) to a tier and expects allow or deny
under AWS's semantics: rules in ascending rule number, the first match decides, else deny.
checkov cannot judge these rules (it does not render dynamic blocks), so this is the check.

Usage: check_nacl_rules.py [REPO]   (terraform from $TERRAFORM or PATH). Exit 0 every packet
behaves, 1 one misbehaves, 2 terraform is missing or the plan fails.
"""
from __future__ import annotations

import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

VPC = "10.20.0.0/16"
INPUTS = f'''
name             = "nacl-check"
cidr_block       = "{VPC}"
azs              = ["eu-west-1a", "eu-west-1b"]
public_subnets   = ["10.20.0.0/24", "10.20.1.0/24"]
private_subnets  = ["10.20.16.0/20", "10.20.32.0/20"]
database_subnets = ["10.20.8.0/24", "10.20.9.0/24"]
flow_log_kms_key_arn     = "arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555"
permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform/platform-boundary"
tags = {{ cost_center = "cc-1234", environment = "dev", application = "tests", owner = "platform-team" }}
'''

INTERNET = "198.51.100.7"
PRIVATE_HOST = "10.20.16.10"
BASTION = "10.20.32.5"

# (tier, direction, source or destination address, protocol, port, expected, why)
CASES = [
    ("public", "ingress", PRIVATE_HOST, "tcp", 22, "allow", "NAT forwards a private host's outbound SSH/SFTP"),
    ("public", "ingress", PRIVATE_HOST, "tcp", 3389, "allow", "NAT forwards a private host's outbound RDP"),
    ("public", "ingress", INTERNET, "tcp", 22, "deny", "SSH from the internet (EC2.21)"),
    ("public", "ingress", INTERNET, "tcp", 3389, "deny", "RDP from the internet (EC2.21)"),
    ("public", "ingress", INTERNET, "tcp", 443, "allow", "HTTPS to the load balancers"),
    ("public", "ingress", INTERNET, "tcp", 40000, "allow", "return traffic to the NAT gateway"),
    ("public", "ingress", INTERNET, "udp", 50000, "allow", "UDP return traffic (DNS, NTP) to the NAT gateway"),
    ("public", "ingress", INTERNET, "tcp", 5432, "allow", "return traffic to a NAT source port (ephemeral range)"),
    ("public", "egress", INTERNET, "tcp", 22, "allow", "outbound SSH/SFTP leaves through NAT"),
    ("private", "ingress", BASTION, "tcp", 22, "allow", "SSH from inside the VPC (bastion, Instance Connect Endpoint)"),
    ("private", "ingress", INTERNET, "tcp", 40000, "allow", "return traffic through NAT keeps the public source"),
    ("private", "ingress", INTERNET, "tcp", 1500, "allow", "return traffic to a Lambda/NAT port (1024-65535)"),
    ("private", "ingress", INTERNET, "tcp", 22, "deny", "SSH from the internet"),
    ("private", "ingress", INTERNET, "tcp", 3389, "deny", "RDP from the internet (EC2.21)"),
    ("private", "egress", INTERNET, "tcp", 22, "allow", "outbound SSH/SFTP to the NAT gateway"),
    ("database", "ingress", PRIVATE_HOST, "tcp", 5432, "allow", "PostgreSQL from the private tier"),
    ("database", "ingress", INTERNET, "tcp", 40000, "deny", "nothing from outside the VPC"),
    ("database", "egress", INTERNET, "tcp", 443, "deny", "no way out of the VPC"),
]


def decide(rules: list[dict], address: str, protocol: str, port: int) -> tuple[str, int | None]:
    for rule in sorted(rules, key=lambda r: r["rule_no"]):
        if ipaddress.ip_address(address) not in ipaddress.ip_network(rule["cidr_block"]):
            continue
        if rule["protocol"] != "-1" and (rule["protocol"] != protocol or not rule["from_port"] <= port <= rule["to_port"]):
            continue
        return rule["action"], rule["rule_no"]
    return "deny", None


def planned_rules(repo: Path, terraform: str) -> dict:
    vpc = repo / "modules" / "vpc"
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        for name in ("variables.tf", "network_acl_rules.tf"):
            shutil.copy(vpc / name, root / name)
        (root / "outputs.tf").write_text('output "nacl_rules" {\n  value = local.nacl_rules\n}\n')
        (root / "inputs.auto.tfvars").write_text(INPUTS)
        env = dict(os.environ, TF_IN_AUTOMATION="1", TF_CLI_CONFIG_FILE=os.environ.get("TF_CLI_CONFIG_FILE", "/dev/null"))
        for args in (["init", "-input=false", "-backend=false"], ["plan", "-input=false", "-out=plan.bin"]):
            run = subprocess.run([terraform, *args, "-no-color"], cwd=root, env=env, capture_output=True, text=True)
            if run.returncode != 0:
                raise RuntimeError(f"terraform {args[0]} failed:\n{run.stdout}{run.stderr}")
        show = subprocess.run([terraform, "show", "-json", "plan.bin"], cwd=root, env=env, capture_output=True, text=True, check=True)
        return json.loads(show.stdout)["planned_values"]["outputs"]["nacl_rules"]["value"]


def main(argv: list[str]) -> int:
    repo = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[2])
    terraform = os.environ.get("TERRAFORM") or shutil.which("terraform")
    if not terraform:
        print("error: terraform not found (set TERRAFORM or put .tools/bin on PATH)", file=sys.stderr)
        return 2
    try:
        rules = planned_rules(repo, terraform)
    except (RuntimeError, subprocess.CalledProcessError, KeyError) as exc:
        print(f"error: cannot evaluate modules/vpc/network_acl_rules.tf: {exc}", file=sys.stderr)
        return 2
    failed = 0
    for tier, direction, address, protocol, port, expected, why in CASES:
        got, rule_no = decide(rules[tier][direction], address, protocol, port)
        ok = got == expected
        failed += not ok
        by = f"rule {rule_no}" if rule_no is not None else "no rule (implicit deny)"
        print(f"{'ok  ' if ok else 'FAIL'} {tier:<8} {direction:<7} {protocol} {port:<5} {address:<14} {got:<5} by {by}: {why}")
    print(f"nacl rules: {len(CASES)} packets, {len(CASES) - failed} behaved, {failed} misbehaved", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""CKV_MODREG_2: every aws_iam_role sets permissions_boundary.

A permission boundary caps what a role can ever do, whatever policies are attached to it later,
so a role created by a module cannot be escalated into an administrator by a careless attachment.
checkov has no built-in check for it.
"""
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class IamRolePermissionsBoundary(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure every IAM role has a permissions boundary",
            id="CKV_MODREG_2",
            categories=(CheckCategories.IAM,),
            supported_resources=("aws_iam_role",),
        )

    def scan_resource_conf(self, conf: dict) -> CheckResult:
        value = conf.get("permissions_boundary")
        if isinstance(value, list):
            value = value[0] if value else None
        if value is None or (isinstance(value, str) and value.strip() in ("", "null")):
            return CheckResult.FAILED
        return CheckResult.PASSED

    def get_evaluated_keys(self) -> list[str]:
        return ["permissions_boundary"]


check = IamRolePermissionsBoundary()

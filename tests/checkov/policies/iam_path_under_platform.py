"""CKV_MODREG_4: every IAM role, instance profile and managed policy lives under a platform path.

The platform permissions boundary (modules/iam) lets the bounded apply role create, change and
pass roles only under its path (default /platform/). A role at the root path `/` makes that
apply fail on iam:CreateRole or iam:PassRole. tests/modules/check_composition.py proves the
modules use exactly the boundary's path; this check also covers roots such as infra/.
"""
import re

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

PATH = re.compile(r"^/([A-Za-z0-9+=,.@_-]+/)+$")


class IamPathUnderPlatform(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure IAM roles, instance profiles and policies are created under a platform path",
            id="CKV_MODREG_4",
            categories=(CheckCategories.IAM,),
            supported_resources=("aws_iam_role", "aws_iam_instance_profile", "aws_iam_policy"),
        )

    def scan_resource_conf(self, conf: dict) -> CheckResult:
        value = conf.get("path")
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and PATH.match(value.strip()):
            return CheckResult.PASSED
        return CheckResult.FAILED

    def get_evaluated_keys(self) -> list[str]:
        return ["path"]


check = IamPathUnderPlatform()

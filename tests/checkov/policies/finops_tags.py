"""CKV_MODREG_3: every taggable AWS resource carries the FinOps tags.

Required keys: cost_center, environment, application, owner (non-empty). A resource counts as
taggable when its type is in TAGGABLE_TYPES or when it sets `tags` at all.

How checkov sees tags: inside a module, `tags = local.tags` with
`local.tags = merge(var.tags, {...})` renders with var.tags dropped (the module's own tags
variable has no default and checkov cannot know the caller's value), so the FinOps keys look
absent. The module's `tags` variable validation enforces them there; this check is therefore run
on examples, infra roots and fixtures, where tags are literal and checkov resolves them through
the module call. tests/modules/check.sh skips it for the bare module scan and says so.
"""
from __future__ import annotations

import re
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

REQUIRED_KEYS = ("cost_center", "environment", "application", "owner")

# AWS resource types that support `tags` and that the platform modules create (or are likely to).
TAGGABLE_TYPES = frozenset(
    {
        "aws_acm_certificate",
        "aws_budgets_budget",
        "aws_ce_anomaly_monitor",
        "aws_ce_anomaly_subscription",
        "aws_cloudtrail",
        "aws_cloudwatch_composite_alarm",
        "aws_cloudwatch_event_rule",
        "aws_cloudwatch_log_group",
        "aws_cloudwatch_metric_alarm",
        "aws_config_aggregate_authorization",
        "aws_config_config_rule",
        "aws_config_configuration_aggregator",
        "aws_customer_gateway",
        "aws_db_instance",
        "aws_db_option_group",
        "aws_db_parameter_group",
        "aws_db_subnet_group",
        "aws_default_network_acl",
        "aws_default_route_table",
        "aws_default_security_group",
        "aws_dynamodb_table",
        "aws_ebs_volume",
        "aws_ecr_repository",
        "aws_efs_file_system",
        "aws_egress_only_internet_gateway",
        "aws_eip",
        "aws_eks_access_entry",
        "aws_eks_addon",
        "aws_eks_cluster",
        "aws_eks_fargate_profile",
        "aws_eks_node_group",
        "aws_eks_pod_identity_association",
        "aws_flow_log",
        "aws_grafana_workspace",
        "aws_iam_instance_profile",
        "aws_iam_openid_connect_provider",
        "aws_iam_policy",
        "aws_iam_role",
        "aws_iam_user",
        "aws_instance",
        "aws_internet_gateway",
        "aws_key_pair",
        "aws_kms_key",
        "aws_lambda_function",
        "aws_launch_template",
        "aws_lb",
        "aws_lb_target_group",
        "aws_nat_gateway",
        "aws_network_acl",
        "aws_prometheus_workspace",
        "aws_rds_cluster",
        "aws_rds_cluster_parameter_group",
        "aws_route53_zone",
        "aws_route_table",
        "aws_s3_bucket",
        "aws_secretsmanager_secret",
        "aws_security_group",
        "aws_sns_topic",
        "aws_sqs_queue",
        "aws_ssm_parameter",
        "aws_subnet",
        "aws_vpc",
        "aws_vpc_endpoint",
        "aws_vpc_security_group_egress_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_wafv2_web_acl",
    }
)


# checkov leaves merge() partly unevaluated when a merged value is a bare string with a '-' in it,
# e.g. "${merge({'cost_center': 'cc-1', ...},{'Name': orders-dev})}". The literal maps inside are
# still rendered Python dict literals, so their quoted key/value pairs can be read back.
_RENDERED_PAIR = re.compile(r"'([^']+)':\s*'([^']*)'")


def _tags_from_partial_render(value: str) -> dict[str, str] | None:
    if "merge(" not in value:
        return None
    pairs = dict(_RENDERED_PAIR.findall(value))
    return pairs or None


def _unwrap(value: Any) -> Any:
    # checkov wraps every HCL attribute value in a one-element list.
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


class FinOpsTags(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure taggable AWS resources carry the FinOps tags cost_center, environment, application and owner",
            id="CKV_MODREG_3",
            categories=(CheckCategories.CONVENTION,),
            supported_resources=("aws_*",),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        resource_type = self.entity_type
        if resource_type not in TAGGABLE_TYPES and "tags" not in conf:
            return CheckResult.UNKNOWN
        tags = _unwrap(conf.get("tags"))
        if isinstance(tags, str):
            tags = _tags_from_partial_render(tags)
        if not isinstance(tags, dict):
            # Missing, or an expression checkov could not render at all.
            return CheckResult.FAILED
        missing = [k for k in REQUIRED_KEYS if not str(_unwrap(tags.get(k, ""))).strip()]
        if missing:
            self.details.append(f"missing FinOps tag keys: {', '.join(missing)}")
            return CheckResult.FAILED
        return CheckResult.PASSED

    def get_evaluated_keys(self) -> list[str]:
        return ["tags"]


check = FinOpsTags()

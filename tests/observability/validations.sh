#!/usr/bin/env bash
# Offline proof that the input validations of the platform modules accept the
# documented inputs and refuse the easy mistakes, with real Terraform and no provider download:
# each case plans a scratch root holding only the module's variables.tf (no resources, so no
# providers), with the module's base inputs plus the case's overrides.
#
# The same cases live in modules/<m>/tests/*.tftest.hcl (expect_failures) for `terraform test`,
# which needs the AWS provider schema; this script runs where providers cannot be downloaded.
#
# Usage: tests/observability/validations.sh   (terraform from $TERRAFORM or PATH)
# Exit: 0 all cases behave, 1 a case misbehaves, 2 terraform missing.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tf=${TERRAFORM:-$(command -v terraform || true)}
if [[ -z $tf ]]; then
  echo "error: terraform not found (set TERRAFORM or put .tools/bin on PATH)" >&2
  exit 2
fi
export TF_CLI_CONFIG_FILE=${TF_CLI_CONFIG_FILE:-/dev/null} TF_IN_AUTOMATION=1

tags='tags = { cost_center = "cc-1234", environment = "prod", application = "shop", owner = "platform-team" }'
kms='arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'
boundary='arn:aws:iam::111122223333:policy/platform/platform-boundary'
topics='{ critical = "arn:aws:sns:eu-west-1:111122223333:shop-prod-critical", warning = "arn:aws:sns:eu-west-1:111122223333:shop-prod-warning" }'

base() { # base MODULE_DIR: the minimal valid inputs of that module
  case $1 in
    modules/monitoring) printf 'name = "shop-prod"\nkms_key_arn = "%s"\n%s\n' "$kms" "$tags" ;;
    modules/config) printf 'name = "platform-prod"\nkms_key_arn = "%s"\npermissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"\n%s\n' "$kms" "$tags" ;;
    modules/finops) printf 'name = "platform-prod"\nkms_key_arn = "%s"\nalert_topic_arns = %s\n%s\n' "$kms" "$topics" "$tags" ;;
    modules/eks-monitoring) printf 'cluster_name = "shop-prod"\noidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"\nkms_key_arn = "%s"\nalert_topics_kms_key_arn = "%s"\npermissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"\ngrafana_admin_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/grafana-AbCdEf"\nalert_topic_arns = %s\n%s\n' "$kms" "$kms" "$topics" "$tags" ;;
    modules/kms) printf 'name = "platform/shared"\ndescription = "Platform key"\nkey_administrator_arns = ["arn:aws:iam::111122223333:role/platform-admin"]\n%s\n' "$tags" ;;
    modules/iam) printf 'name_prefix = "platform-prod"\n%s\n' "$tags" ;;
    modules/vpc) printf 'name = "platform-prod"\ncidr_block = "10.20.0.0/16"\nazs = ["eu-west-1a", "eu-west-1b"]\npublic_subnets = ["10.20.0.0/24", "10.20.1.0/24"]\nprivate_subnets = ["10.20.16.0/20", "10.20.32.0/20"]\nflow_log_kms_key_arn = "%s"\npermissions_boundary_arn = "%s"\n%s\n' "$kms" "$boundary" "$tags" ;;
    modules/eks) printf 'name = "web-prod"\nvpc_id = "vpc-0a1b2c3d4e5f60718"\nsubnet_ids = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]\nkms_key_arn = "%s"\npermissions_boundary_arn = "%s"\nvpc_endpoint_security_group_id = "sg-0a1b2c3d4e5f6071d"\n%s\n' "$kms" "$boundary" "$tags" ;;
    modules/eks/modules/bootstrap) printf '%s\n' "$tags" ;;
    modules/rds) printf 'name = "orders-prod"\nvpc_id = "vpc-0a1b2c3d4e5f60718"\ndb_subnet_group_name = "platform-prod-database"\nallowed_security_group_ids = ["sg-0a1b2c3d4e5f60718"]\nkms_key_arn = "%s"\npermissions_boundary_arn = "%s"\n%s\n' "$kms" "$boundary" "$tags" ;;
    modules/s3) printf 'bucket_name = "shop-prod-data-111122223333"\nkms_key_arn = "%s"\n%s\n' "$kms" "$tags" ;;
    modules/ec2) printf 'name = "backend-prod"\nvpc_id = "vpc-0a1b2c3d4e5f60718"\nsubnet_ids = ["subnet-0a1b2c3d4e5f60711"]\nkms_key_arn = "%s"\npermissions_boundary_arn = "%s"\n%s\n' "$kms" "$boundary" "$tags" ;;
    infra/observability/cloudwatch) printf 'load_balancer_arn_suffix = "app/modreg-prod/50dc6c495c0c9188"\ntarget_group_arn_suffix = "targetgroup/modreg-prod/73e2d6bc24d8a067"\nalert_topic_arns = %s\n%s\n' "$topics" "$tags" ;;
  esac
}

# module | expected: "ok" or the variable that must be refused | HCL overriding the base inputs
# (one case per line; "\n" inside a case separates attributes)
cases=$(cat <<'CASES'
modules/monitoring|ok|
modules/monitoring|ok|ec2_instances = { web = { instance_id = "i-0123456789abcdef0", burstable = true } }
modules/monitoring|https_subscriptions|https_subscriptions = { critical = ["http://hooks.example.com/x"] }
modules/monitoring|email_subscriptions|email_subscriptions = { warning = ["not-an-address"] }
modules/monitoring|kms_key_arn|kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:alias/aws/sns"
modules/monitoring|thresholds|thresholds = { ec2_cpu_percent = 150 }
modules/monitoring|thresholds|thresholds = { rds_read_latency_seconds = 0 }
modules/monitoring|evaluation|evaluation = { evaluation_periods = 2, datapoints_to_alarm = 3 }
modules/monitoring|evaluation|evaluation = { period_seconds = 120 }
modules/monitoring|topic_publisher_services|topic_publisher_services = ["s3.amazonaws.com"]
modules/monitoring|ec2_instances|ec2_instances = { web = { instance_id = "web-1" } }
modules/monitoring|albs|albs = { web = { load_balancer_arn_suffix = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188", target_group_arn_suffix = "targetgroup/web/73e2d6bc24d8a067" } }
modules/monitoring|tags|tags = { cost_center = "cc-1234", environment = "prod", application = "shop" }
modules/monitoring|tags|tags = { cost_center = "cc-1234", environment = "qa", application = "shop", owner = "me" }
modules/config|ok|
modules/config|ok|existing_bucket_name = "central-config-111122223333"
modules/config|disabled_rules|disabled_rules = ["s3-bucket-versioning-enabled"]
modules/config|retention|retention = { transition_days = 90, expiration_days = 60 }
modules/config|existing_bucket_name|existing_bucket_name = "arn:aws:s3:::central-config"
modules/config|recording_frequency|recording_frequency = "HOURLY"
modules/config|sns_topic_arn|sns_topic_arn = "shop-prod-info"
modules/config|permissions_boundary_arn|permissions_boundary_arn = "platform-boundary"
modules/finops|ok|budgets = { shop-prod = { application = "shop", environment = "prod", limit_usd = 1000 } }
modules/finops|alert_topic_arns|alert_topic_arns = { warning = "arn:aws:sns:us-east-1:111122223333:shop-prod-warning" }
modules/finops|budgets|budgets = { shop-qa = { application = "shop", environment = "qa", limit_usd = 100 } }
modules/finops|budgets|budgets = { shop-prod = { application = "shop", environment = "prod", limit_usd = 0 } }
modules/finops|budgets|budgets = { shop-prod = { application = "shop", environment = "prod", limit_usd = 10, actual_thresholds = [0] } }
modules/finops|cost_export|cost_export = { time_granularity = "WEEKLY" }
modules/finops|anomaly_detection|anomaly_detection = { service_monitor = false }
modules/eks-monitoring|ok|
modules/eks-monitoring|chart_version|chart_version = "~> 80.0"
modules/eks-monitoring|chart_repository|chart_repository = "http://charts.example.com"
modules/eks-monitoring|namespace|namespace = "kube-system"
modules/eks-monitoring|oidc_provider_arn|oidc_provider_arn = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF"
modules/eks-monitoring|grafana|grafana = { extra_dashboards = { "x.json" = "{\"title\": \"no uid\"}" } }
modules/eks-monitoring|prometheus_rule_files|prometheus_rule_files = { bad = "foo: bar" }
modules/eks-monitoring|prometheus|prometheus = { replicas = 5 }
modules/eks-monitoring|grafana_admin_secret_arn|grafana_admin_secret_arn = "shop/grafana"
modules/monitoring|ok|ec2_instances = { web = { instance_id = "i-0123456789abcdef0" } }\nec2_host_alarms = { web = { network_in_bytes_per_second = 50000000, memory_used_percent = 90 } }
modules/monitoring|ec2_host_alarms|ec2_instances = { web = { instance_id = "i-0123456789abcdef0" } }\nec2_host_alarms = { db = { memory_used_percent = 90 } }
modules/monitoring|ec2_host_alarms|ec2_instances = { web = { instance_id = "i-0123456789abcdef0" } }\nec2_host_alarms = { web = { memory_used_percent = 120 } }
modules/monitoring|ec2_host_alarms|ec2_instances = { web = { instance_id = "i-0123456789abcdef0" } }\nec2_host_alarms = { web = { agent_namespace = "AWS/EC2", memory_used_percent = 90 } }
modules/monitoring|ec2_host_alarms|ec2_instances = { web = { instance_id = "i-0123456789abcdef0" } }\nec2_host_alarms = { web = {} }
modules/monitoring|ok|permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform/platform-boundary"
modules/monitoring|ok|trusted_advisor_alerts = {}
modules/monitoring|trusted_advisor_alerts|trusted_advisor_alerts = { statuses = ["FAILED"] }
modules/monitoring|trusted_advisor_alerts|trusted_advisor_alerts = { severity = "page" }
modules/monitoring|slack_channels|slack_channels = { oncall = { slack_team_id = "T0123ABCD", slack_channel_id = "#oncall" } }
modules/monitoring|slack_channels|slack_channels = { oncall = { slack_team_id = "T0123ABCD", slack_channel_id = "C0123ABCDEF", severities = ["page"] } }
modules/monitoring|permissions_boundary_arn|slack_channels = { oncall = { slack_team_id = "T0123ABCD", slack_channel_id = "C0123ABCDEF" } }
modules/monitoring|iam_path|iam_path = "platform"
modules/kms|ok|service_principals = ["cloudwatch", "budgets", "costalerts", "logging.s3"]
modules/kms|service_principals|service_principals = ["lambda"]
modules/kms|ok|allow_autoscaling_service_linked_role = true
modules/kms|create_autoscaling_service_linked_role|create_autoscaling_service_linked_role = true
modules/iam|ok|ecs_task_roles = { api = { description = "Orders API", execution_secret_arns = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/db-AbCdEf"] } }
modules/iam|ecs_task_roles|ecs_task_roles = { api = { description = "Orders API", execution_secret_arns = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:*"] } }
modules/iam|ecs_task_roles|ecs_task_roles = { api = { description = "Orders API", execution_role = false, execution_secret_arns = ["arn:aws:ssm:eu-west-1:111122223333:parameter/orders/db"] } }
modules/iam|ecs_task_roles|ecs_task_roles = { api = { description = "Orders API", statements = [{ actions = ["sqs:*"], resources = ["arn:aws:sqs:eu-west-1:111122223333:orders"] }] } }
modules/iam|boundary_service_linked_roles|boundary_service_linked_roles = ["eks.amazonaws.com"]
modules/iam|boundary_service_linked_roles|boundary_service_linked_roles = ["*"]
modules/vpc|ok|
modules/vpc|ok|interface_endpoints = ["ecr.api", "ecr.dkr", "sts", "ec2", "eks-auth", "logs"]
modules/vpc|interface_endpoints|interface_endpoints = ["com.amazonaws.eu-west-1.sts"]
modules/vpc|interface_endpoints|interface_endpoints = ["dynamodb"]
modules/vpc|public_denied_admin_ports|public_denied_admin_ports = [3389]
modules/vpc|public_denied_admin_ports|public_denied_admin_ports = [22, 443]
modules/vpc|iam_path|iam_path = "/platform"
modules/eks|ok|
modules/eks|ok|s3_prefix_list_id = "pl-6da54004"
modules/eks|access_entries|access_entries = { me = { principal_arn = "arn:aws:sts::111122223333:assumed-role/platform-admins/jane" } }
modules/eks|ok|access_entries = { admins = { principal_arn = "arn:aws:iam::111122223333:role/platform/platform-admins" } }
modules/eks|vpc_endpoint_security_group_id|vpc_endpoint_security_group_id = null
modules/eks|ok|vpc_endpoint_security_group_id = null\nallow_internet_egress = true\nnode_egress_rules = { https = { description = "HTTPS through NAT", from_port = 443, to_port = 443, cidr_ipv4 = "0.0.0.0/0" } }
modules/eks|vpc_endpoint_security_group_id|vpc_endpoint_security_group_id = "vpc-endpoints"
modules/eks|s3_prefix_list_id|s3_prefix_list_id = "s3"
modules/eks|iam_path|iam_path = "platform/"
modules/eks/modules/bootstrap|ok|namespaces = { storefront = {} }
modules/eks/modules/bootstrap|namespaces|namespaces = { kube-public = {} }
modules/eks/modules/bootstrap|namespaces|namespaces = { storefront = { pod_security = "strict" } }
modules/eks/modules/bootstrap|secrets|secrets = { t = { name = "t", namespace = "storefront", type = "kubernetes.io/service-account-token", data = {} } }
modules/eks/modules/bootstrap|config_maps|config_maps = { a = { name = "Settings", namespace = "storefront", data = {} } }
modules/rds|ok|
modules/rds|ok|storage_type = "gp3"\nallocated_storage = 400\nmax_allocated_storage = 1000\niops = 12000
modules/rds|iops|storage_type = "gp3"\nallocated_storage = 100\niops = 3000
modules/rds|iops|storage_type = "gp3"\nallocated_storage = 400\nmax_allocated_storage = 1000\niops = 3000
modules/rds|iam_path|iam_path = "platform"
modules/s3|ok|
modules/s3|ok|lifecycle_rules = [{ id = "ia", transition_days = 30, storage_class = "STANDARD_IA" }]
modules/s3|lifecycle_rules|lifecycle_rules = [{ id = "ia", transition_days = 7, storage_class = "STANDARD_IA" }]
modules/s3|lifecycle_rules|lifecycle_rules = [{ id = "ia", transition_days = 0, storage_class = "ONEZONE_IA" }]
modules/s3|ok|access_log_delivery = { prefix = "s3-access/", source_bucket_arns = ["arn:aws:s3:::shop-prod-data-111122223333"] }
modules/s3|access_log_delivery|access_log_delivery = { source_bucket_arns = ["arn:aws:s3:::shop-*"] }
modules/s3|access_log_delivery|access_log_delivery = { prefix = "s3-access" }
modules/s3|access_log_delivery|access_log_delivery = {}\nobject_lock = { mode = "GOVERNANCE", days = 30 }
modules/ec2|ok|
modules/ec2|iam_path|iam_path = "/platform"
modules/ec2|iam_path|iam_path = "/"
modules/eks|iam_path|iam_path = "/"
modules/config|iam_path|iam_path = "platform"
modules/eks-monitoring|iam_path|iam_path = "platform/"
infra/observability/cloudwatch|ok|
infra/observability/cloudwatch|load_balancer_arn_suffix|load_balancer_arn_suffix = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/modreg-prod/50dc6c495c0c9188"
infra/observability/cloudwatch|thresholds|thresholds = { min_healthy_hosts = 0 }
CASES
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 n=0
while IFS='|' read -r module expect hcl; do
  [[ -z $module ]] && continue
  n=$((n + 1))
  dir=$work/$n
  mkdir -p "$dir"
  cp "$repo/$module/variables.tf" "$dir/"
  base "$module" >"$dir/base.auto.tfvars"
  printf '%b\n' "$hcl" >"$dir/zz_case.auto.tfvars" # a case's "\n" separates its attributes
  if ! (cd "$dir" && "$tf" init -input=false -backend=false >/dev/null 2>&1); then
    echo "FAIL $module: terraform init of the scratch root failed" >&2
    failed=$((failed + 1))
    continue
  fi
  out=$(cd "$dir" && "$tf" plan -input=false -no-color 2>&1)
  rc=$?
  # A refusal must name the variable: in the rule's condition, or (for a sensitive variable,
  # whose value Terraform hides) as the tfvars line that assigns it.
  if [[ $expect == ok ]]; then
    if [[ $rc == 0 ]]; then
      passed=$((passed + 1)); echo "ok   $module accepts: ${hcl:-base inputs}"
    else
      failed=$((failed + 1)); echo "FAIL $module must accept: ${hcl:-base inputs}"; echo "$out" | grep -A6 'Error' | head -12
    fi
  else
    if [[ $rc != 0 ]] && grep -Eq "(variable \"$expect\"|var\.$expect([^A-Za-z0-9_]|\$)|^ +[0-9]+: $expect = )" <<<"$out"; then
      passed=$((passed + 1)); echo "ok   $module refuses $expect: $hcl"
    else
      failed=$((failed + 1)); echo "FAIL $module must refuse $expect: $hcl"; echo "$out" | grep -A6 'Error' | head -12
    fi
  fi
done <<<"$cases"

echo
echo "validations: $n cases, $passed behaved, $failed misbehaved"
((failed == 0))

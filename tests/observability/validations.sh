#!/usr/bin/env bash
# Offline proof that the input validations of the guardrail/observability modules accept the
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
topics='{ critical = "arn:aws:sns:eu-west-1:111122223333:shop-prod-critical", warning = "arn:aws:sns:eu-west-1:111122223333:shop-prod-warning" }'

base() { # base MODULE_DIR: the minimal valid inputs of that module
  case $1 in
    modules/monitoring) printf 'name = "shop-prod"\nkms_key_arn = "%s"\n%s\n' "$kms" "$tags" ;;
    modules/config) printf 'name = "platform-prod"\nkms_key_arn = "%s"\npermissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"\n%s\n' "$kms" "$tags" ;;
    modules/finops) printf 'name = "platform-prod"\nkms_key_arn = "%s"\nalert_topic_arns = %s\n%s\n' "$kms" "$topics" "$tags" ;;
    modules/eks-monitoring) printf 'cluster_name = "shop-prod"\noidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"\nkms_key_arn = "%s"\nalert_topics_kms_key_arn = "%s"\npermissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"\ngrafana_admin_secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/grafana-AbCdEf"\nalert_topic_arns = %s\n%s\n' "$kms" "$kms" "$topics" "$tags" ;;
    infra/observability/cloudwatch) printf 'load_balancer_arn_suffix = "app/modreg-prod/50dc6c495c0c9188"\ntarget_group_arn_suffix = "targetgroup/modreg-prod/73e2d6bc24d8a067"\nalert_topic_arns = %s\n%s\n' "$topics" "$tags" ;;
  esac
}

# module | expected: "ok" or the variable that must be refused | HCL overriding the base inputs
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
  printf '%s\n' "$hcl" >"$dir/zz_case.auto.tfvars"
  if ! (cd "$dir" && "$tf" init -input=false -backend=false >/dev/null 2>&1); then
    echo "FAIL $module: terraform init of the scratch root failed" >&2
    failed=$((failed + 1))
    continue
  fi
  out=$(cd "$dir" && "$tf" plan -input=false -no-color 2>&1)
  rc=$?
  if [[ $expect == ok ]]; then
    if [[ $rc == 0 ]]; then
      passed=$((passed + 1)); echo "ok   $module accepts: ${hcl:-base inputs}"
    else
      failed=$((failed + 1)); echo "FAIL $module must accept: ${hcl:-base inputs}"; echo "$out" | grep -A6 'Error' | head -12
    fi
  else
    if [[ $rc != 0 ]] && grep -Eq "(variable \"$expect\"|var\.$expect([^A-Za-z0-9_]|\$))" <<<"$out"; then
      passed=$((passed + 1)); echo "ok   $module refuses $expect: $hcl"
    else
      failed=$((failed + 1)); echo "FAIL $module must refuse $expect: $hcl"; echo "$out" | grep -A6 'Error' | head -12
    fi
  fi
done <<<"$cases"

echo
echo "validations: $n cases, $passed behaved, $failed misbehaved"
((failed == 0))

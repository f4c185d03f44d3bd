# kube-prometheus-stack values. Secure defaults: no anonymous Grafana, no sign-up, no ingress
# (reach Grafana with kubectl port-forward or put your own authenticated ingress in front),
# non-root pods, encrypted persistent volumes.
locals {
  volume_claim = {
    for c, gb in {
      prometheus   = var.prometheus.storage_gb
      alertmanager = var.alertmanager.storage_gb
      } : c => {
      spec = {
        storageClassName = local.storage_class_name
        accessModes      = ["ReadWriteOnce"]
        resources        = { requests = { storage = "${gb}Gi" } }
      }
    }
  }

  # Alertmanager routes on the severity label to the same SNS topics as the CloudWatch alarms.
  severity_receivers = { for sev, arn in var.alert_topic_arns : sev => {
    name = sev
    sns_configs = [{
      topic_arn     = arn
      send_resolved = true
      sigv4         = { region = local.region }
      subject       = "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} (${var.cluster_name})"
      message       = "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n\n{{ end }}"
      attributes    = { severity = sev, cluster = var.cluster_name }
    }]
  } }

  alertmanager_config = {
    global = { resolve_timeout = "5m" }
    route = {
      receiver        = "warning"
      group_by        = ["alertname", "namespace", "severity"]
      group_wait      = "30s"
      group_interval  = "5m"
      repeat_interval = "4h"
      routes = concat(
        # Watchdog is a dead man's switch and InfoInhibitor only inhibits: neither notifies.
        [{ receiver = "null", matchers = ["alertname=~\"Watchdog|InfoInhibitor\""] }],
        [for sev in ["critical", "warning", "info"] : {
          receiver        = sev
          matchers        = ["severity=\"${sev}\""]
          repeat_interval = sev == "critical" ? "1h" : "4h"
        } if contains(keys(var.alert_topic_arns), sev)],
      )
    }
    inhibit_rules = [
      {
        source_matchers = ["severity=\"critical\""]
        target_matchers = ["severity=~\"warning|info\""]
        equal           = ["namespace", "alertname"]
      },
      {
        source_matchers = ["severity=\"warning\""]
        target_matchers = ["severity=\"info\""]
        equal           = ["namespace", "alertname"]
      },
    ]
    receivers = concat([{ name = "null" }], values(local.severity_receivers))
  }

  values = {
    commonLabels = local.finops_labels

    # Rule files (e.g. modreg's own alerts) become PrometheusRule objects owned by the release.
    additionalPrometheusRulesMap = { for k, v in var.prometheus_rule_files : k => { groups = yamldecode(v).groups } }

    prometheus = {
      prometheusSpec = {
        replicas                                = var.prometheus.replicas
        retention                               = "${var.prometheus.retention_days}d"
        retentionSize                           = "${floor(var.prometheus.storage_gb * 0.9)}GB"
        ruleSelectorNilUsesHelmValues           = false
        serviceMonitorSelectorNilUsesHelmValues = false
        podMonitorSelectorNilUsesHelmValues     = false
        storageSpec                             = { volumeClaimTemplate = local.volume_claim.prometheus }
        resources = {
          requests = { cpu = var.prometheus.cpu_request, memory = var.prometheus.memory_request }
          limits   = { memory = var.prometheus.memory_limit }
        }
        securityContext = { runAsNonRoot = true, runAsUser = 1000, fsGroup = 2000, seccompProfile = { type = "RuntimeDefault" } }
        externalLabels  = { cluster = var.cluster_name, environment = var.tags["environment"] }
      }
    }

    alertmanager = {
      serviceAccount = {
        create      = true
        name        = local.alertmanager_service_account
        annotations = { "eks.amazonaws.com/role-arn" = aws_iam_role.alertmanager.arn }
      }
      config = local.alertmanager_config
      alertmanagerSpec = {
        replicas        = var.alertmanager.replicas
        storage         = { volumeClaimTemplate = local.volume_claim.alertmanager }
        securityContext = { runAsNonRoot = true, runAsUser = 1000, fsGroup = 2000, seccompProfile = { type = "RuntimeDefault" } }
      }
    }

    grafana = {
      serviceAccount = {
        create      = true
        name        = local.grafana_service_account
        annotations = { "eks.amazonaws.com/role-arn" = aws_iam_role.grafana.arn }
      }
      persistence = {
        enabled          = true
        type             = "pvc"
        storageClassName = local.storage_class_name
        size             = "${var.grafana.storage_gb}Gi"
      }
      ingress = { enabled = false }
      "grafana.ini" = {
        "auth.anonymous" = { enabled = false }
        auth             = { disable_login_form = false }
        users            = { allow_sign_up = false, allow_org_create = false }
        security = {
          cookie_secure             = true
          cookie_samesite           = "strict"
          disable_gravatar          = true
          allow_embedding           = false
          strict_transport_security = true
        }
        analytics = { reporting_enabled = false, check_for_updates = false, check_for_plugin_updates = false }
        snapshots = { external_enabled = false }
      }
      sidecar = {
        dashboards = {
          enabled         = true
          label           = "grafana_dashboard"
          labelValue      = "1"
          searchNamespace = var.namespace
        }
      }
      additionalDataSources = var.grafana.cloudwatch_datasource ? [{
        name     = "CloudWatch"
        type     = "cloudwatch"
        uid      = "cloudwatch"
        editable = false
        jsonData = { authType = "default", defaultRegion = local.region }
      }] : []
    }
  }
}

# Alarms from AWS's "Recommended alarms" list, M-of-N datapoints, routed by severity.
# Every alarm notifies on ALARM and on OK so the channel also learns when it is over.
locals {
  eval = var.evaluation
  t    = var.thresholds

  ec2_alarms = merge(
    { for k, i in var.ec2_instances : "ec2-${k}-cpu" => {
      description = "EC2 ${k} (${i.instance_id}) average CPU above ${local.t.ec2_cpu_percent}%."
      namespace   = "AWS/EC2", metric = "CPUUtilization", statistic = "Average"
      dimensions  = tomap({ InstanceId = i.instance_id })
      comparison  = "GreaterThanThreshold", threshold = local.t.ec2_cpu_percent
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } },
    { for k, i in var.ec2_instances : "ec2-${k}-status-system" => {
      description = "EC2 ${k} (${i.instance_id}) failed the system status check (AWS hardware or network).${i.auto_recover ? " The instance is recovered automatically." : ""}"
      namespace   = "AWS/EC2", metric = "StatusCheckFailed_System", statistic = "Maximum"
      dimensions  = tomap({ InstanceId = i.instance_id })
      comparison  = "GreaterThanOrEqualToThreshold", threshold = 1
      severity    = "critical", missing = "missing"
      period      = 60, periods = 2, datapoints = 2
    } },
    { for k, i in var.ec2_instances : "ec2-${k}-status-instance" => {
      description = "EC2 ${k} (${i.instance_id}) failed the instance status check (OS, memory, file system)."
      namespace   = "AWS/EC2", metric = "StatusCheckFailed_Instance", statistic = "Maximum"
      dimensions  = tomap({ InstanceId = i.instance_id })
      comparison  = "GreaterThanOrEqualToThreshold", threshold = 1
      severity    = "critical", missing = "missing"
      period      = 60, periods = 3, datapoints = 3
    } },
    { for k, i in var.ec2_instances : "ec2-${k}-cpu-credits" => {
      description = "EC2 ${k} (${i.instance_id}) CPU credit balance below ${local.t.ec2_cpu_credit_balance}: the burstable instance will be throttled to baseline."
      namespace   = "AWS/EC2", metric = "CPUCreditBalance", statistic = "Minimum"
      dimensions  = tomap({ InstanceId = i.instance_id })
      comparison  = "LessThanThreshold", threshold = local.t.ec2_cpu_credit_balance
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } if i.burstable },
    # NetworkIn/NetworkOut are bytes per period: the Sum over a period divided by its length.
    { for k, a in var.ec2_host_alarms : "ec2-${k}-network-in" => {
      description = "EC2 ${k} (${var.ec2_instances[k].instance_id}) receives more than ${a.network_in_bytes_per_second} bytes/s on average."
      namespace   = "AWS/EC2", metric = "NetworkIn", statistic = "Sum"
      dimensions  = tomap({ InstanceId = var.ec2_instances[k].instance_id })
      comparison  = "GreaterThanThreshold", threshold = a.network_in_bytes_per_second * local.eval.period_seconds
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } if a.network_in_bytes_per_second != null },
    { for k, a in var.ec2_host_alarms : "ec2-${k}-network-out" => {
      description = "EC2 ${k} (${var.ec2_instances[k].instance_id}) sends more than ${a.network_out_bytes_per_second} bytes/s on average."
      namespace   = "AWS/EC2", metric = "NetworkOut", statistic = "Sum"
      dimensions  = tomap({ InstanceId = var.ec2_instances[k].instance_id })
      comparison  = "GreaterThanThreshold", threshold = a.network_out_bytes_per_second * local.eval.period_seconds
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } if a.network_out_bytes_per_second != null },
    # Memory is not an EC2 metric: the CloudWatch agent publishes mem_used_percent.
    { for k, a in var.ec2_host_alarms : "ec2-${k}-memory" => {
      description = "EC2 ${k} (${var.ec2_instances[k].instance_id}) memory use above ${a.memory_used_percent}% (CloudWatch agent, ${a.agent_namespace})."
      namespace   = a.agent_namespace, metric = "mem_used_percent", statistic = "Average"
      dimensions  = tomap({ InstanceId = var.ec2_instances[k].instance_id })
      comparison  = "GreaterThanThreshold", threshold = a.memory_used_percent
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } if a.memory_used_percent != null },
  )

  rds_alarms = merge(
    { for k, r in var.rds_instances : "rds-${k}-cpu" => {
      description = "RDS ${r.identifier} average CPU above ${local.t.rds_cpu_percent}%."
      namespace   = "AWS/RDS", metric = "CPUUtilization", statistic = "Average"
      dimensions  = tomap({ DBInstanceIdentifier = r.identifier })
      comparison  = "GreaterThanThreshold", threshold = local.t.rds_cpu_percent
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } },
    { for k, r in var.rds_instances : "rds-${k}-free-storage" => {
      description = "RDS ${r.identifier} free storage below ${local.t.rds_free_storage_percent}% of ${r.allocated_storage_gb} GiB. The database stops accepting writes when it is full."
      namespace   = "AWS/RDS", metric = "FreeStorageSpace", statistic = "Minimum"
      dimensions  = tomap({ DBInstanceIdentifier = r.identifier })
      comparison  = "LessThanThreshold", threshold = floor(r.allocated_storage_gb * 1073741824 * local.t.rds_free_storage_percent / 100)
      severity    = "critical", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } },
    { for k, r in var.rds_instances : "rds-${k}-freeable-memory" => {
      description = "RDS ${r.identifier} freeable memory below ${local.t.rds_freeable_memory_mb} MiB."
      namespace   = "AWS/RDS", metric = "FreeableMemory", statistic = "Average"
      dimensions  = tomap({ DBInstanceIdentifier = r.identifier })
      comparison  = "LessThanThreshold", threshold = local.t.rds_freeable_memory_mb * 1048576
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } },
    { for k, r in var.rds_instances : "rds-${k}-connections" => {
      description = "RDS ${r.identifier} connections above ${local.t.rds_connections_percent}% of max_connections (${r.max_connections})."
      namespace   = "AWS/RDS", metric = "DatabaseConnections", statistic = "Maximum"
      dimensions  = tomap({ DBInstanceIdentifier = r.identifier })
      comparison  = "GreaterThanThreshold", threshold = floor(r.max_connections * local.t.rds_connections_percent / 100)
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } },
    { for k, r in var.rds_instances : "rds-${k}-read-latency" => {
      description = "RDS ${r.identifier} average read latency above ${local.t.rds_read_latency_seconds}s."
      namespace   = "AWS/RDS", metric = "ReadLatency", statistic = "Average"
      dimensions  = tomap({ DBInstanceIdentifier = r.identifier })
      comparison  = "GreaterThanThreshold", threshold = local.t.rds_read_latency_seconds
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } },
    { for k, r in var.rds_instances : "rds-${k}-write-latency" => {
      description = "RDS ${r.identifier} average write latency above ${local.t.rds_write_latency_seconds}s."
      namespace   = "AWS/RDS", metric = "WriteLatency", statistic = "Average"
      dimensions  = tomap({ DBInstanceIdentifier = r.identifier })
      comparison  = "GreaterThanThreshold", threshold = local.t.rds_write_latency_seconds
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } },
    { for k, r in var.rds_instances : "rds-${k}-replica-lag" => {
      description = "RDS read replica ${r.identifier} lags the primary by more than ${local.t.rds_replica_lag_seconds}s."
      namespace   = "AWS/RDS", metric = "ReplicaLag", statistic = "Maximum"
      dimensions  = tomap({ DBInstanceIdentifier = r.identifier })
      comparison  = "GreaterThanThreshold", threshold = local.t.rds_replica_lag_seconds
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } if r.is_replica },
  )

  alb_alarms = merge(
    { for k, a in var.albs : "alb-${k}-unhealthy-hosts" => {
      description = "ALB ${k}: at least one target in ${a.target_group_arn_suffix} is unhealthy."
      namespace   = "AWS/ApplicationELB", metric = "UnHealthyHostCount", statistic = "Maximum"
      dimensions  = tomap({ LoadBalancer = a.load_balancer_arn_suffix, TargetGroup = a.target_group_arn_suffix })
      comparison  = "GreaterThanThreshold", threshold = 0
      severity    = "warning", missing = "missing"
      period      = 60, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } },
    { for k, a in var.albs : "alb-${k}-latency-p99" => {
      description = "ALB ${k}: p99 target response time above ${local.t.alb_target_response_time_p99}s."
      namespace   = "AWS/ApplicationELB", metric = "TargetResponseTime", statistic = "p99"
      dimensions  = tomap({ LoadBalancer = a.load_balancer_arn_suffix, TargetGroup = a.target_group_arn_suffix })
      comparison  = "GreaterThanThreshold", threshold = local.t.alb_target_response_time_p99
      severity    = "warning", missing = "notBreaching"
      period      = 60, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } },
  )

  eks_alarms = merge(
    { for c in var.eks_cluster_names : "eks-${c}-failed-nodes" => {
      description = "EKS ${c}: more than ${local.t.eks_failed_node_count} worker nodes are failing (Container Insights)."
      namespace   = "ContainerInsights", metric = "cluster_failed_node_count", statistic = "Maximum"
      dimensions  = tomap({ ClusterName = c })
      comparison  = "GreaterThanThreshold", threshold = local.t.eks_failed_node_count
      severity    = "critical", missing = "missing"
      period      = 60, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } },
    { for c in var.eks_cluster_names : "eks-${c}-node-cpu" => {
      description = "EKS ${c}: average node CPU above ${local.t.eks_node_cpu_percent}%; add nodes or right-size requests."
      namespace   = "ContainerInsights", metric = "node_cpu_utilization", statistic = "Average"
      dimensions  = tomap({ ClusterName = c })
      comparison  = "GreaterThanThreshold", threshold = local.t.eks_node_cpu_percent
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } },
    { for c in var.eks_cluster_names : "eks-${c}-node-memory" => {
      description = "EKS ${c}: average node memory above ${local.t.eks_node_memory_percent}%."
      namespace   = "ContainerInsights", metric = "node_memory_utilization", statistic = "Average"
      dimensions  = tomap({ ClusterName = c })
      comparison  = "GreaterThanThreshold", threshold = local.t.eks_node_memory_percent
      severity    = "warning", missing = "missing"
      period      = local.eval.period_seconds, periods = local.eval.evaluation_periods, datapoints = local.eval.datapoints_to_alarm
    } },
  )

  metric_alarms = merge(local.ec2_alarms, local.rds_alarms, local.alb_alarms, local.eks_alarms)

  # EC2 auto-recovery: the system status-check alarm also triggers the recover action.
  extra_alarm_actions = {
    for k, i in var.ec2_instances : "ec2-${k}-status-system" => ["arn:${local.partition}:automate:${local.region}:ec2:recover"] if i.auto_recover
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.metric_alarms

  alarm_name        = "${var.name}-${each.key}"
  alarm_description = each.value.description
  namespace         = each.value.namespace
  metric_name       = each.value.metric
  dimensions        = each.value.dimensions

  # Percentiles (p99) go in extended_statistic; plain statistics in statistic.
  statistic          = startswith(each.value.statistic, "p") ? null : each.value.statistic
  extended_statistic = startswith(each.value.statistic, "p") ? each.value.statistic : null

  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  period              = each.value.period
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = each.value.datapoints
  treat_missing_data  = each.value.missing

  actions_enabled = true
  alarm_actions   = concat([aws_sns_topic.this[each.value.severity].arn], lookup(local.extra_alarm_actions, each.key, []))
  ok_actions      = [aws_sns_topic.this[each.value.severity].arn]

  tags = merge(local.tags, { severity = each.value.severity })
}

# 5xx ratio needs metric math: target 5xx / requests, in percent.
resource "aws_cloudwatch_metric_alarm" "alb_5xx_ratio" {
  for_each = var.albs

  alarm_name          = "${var.name}-alb-${each.key}-target-5xx-ratio"
  alarm_description   = "ALB ${each.key}: more than ${local.t.alb_target_5xx_percent}% of requests to ${each.value.target_group_arn_suffix} end in a target 5xx."
  comparison_operator = "GreaterThanThreshold"
  threshold           = local.t.alb_target_5xx_percent
  evaluation_periods  = local.eval.evaluation_periods
  datapoints_to_alarm = local.eval.datapoints_to_alarm
  treat_missing_data  = "notBreaching"

  metric_query {
    id          = "ratio"
    expression  = "IF(requests > 0, 100 * errors / requests, 0)"
    label       = "Target 5xx percent"
    return_data = true
  }

  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      period      = 60
      stat        = "Sum"
      dimensions  = tomap({ LoadBalancer = each.value.load_balancer_arn_suffix, TargetGroup = each.value.target_group_arn_suffix })
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      period      = 60
      stat        = "Sum"
      dimensions  = tomap({ LoadBalancer = each.value.load_balancer_arn_suffix, TargetGroup = each.value.target_group_arn_suffix })
    }
  }

  actions_enabled = true
  alarm_actions   = [aws_sns_topic.this["critical"].arn]
  ok_actions      = [aws_sns_topic.this["critical"].arn]

  tags = merge(local.tags, { severity = "critical" })
}

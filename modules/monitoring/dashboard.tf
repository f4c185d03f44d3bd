# One dashboard per application: alarm states on top, then one row per monitored service.
locals {
  dashboard_name = replace("${var.tags["application"]}-${var.tags["environment"]}", "/[^A-Za-z0-9_-]/", "-")

  widget_sets = [
    [{
      type       = "alarm"
      width      = 24
      height     = 4
      properties = { title = "Alarms", alarms = sort(concat(values(aws_cloudwatch_metric_alarm.this)[*].arn, values(aws_cloudwatch_metric_alarm.alb_5xx_ratio)[*].arn)) }
    }],
    length(var.ec2_instances) == 0 ? [] : [
      for m in [["CPUUtilization", "Average"], ["StatusCheckFailed", "Maximum"]] : {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title   = "EC2 ${m[0]}"
          region  = local.region
          stat    = m[1]
          period  = 300
          view    = "timeSeries"
          metrics = [for k, i in var.ec2_instances : ["AWS/EC2", m[0], "InstanceId", i.instance_id, { label = k }]]
        }
      }
    ],
    length(var.rds_instances) == 0 ? [] : [
      for m in [["CPUUtilization", "Average"], ["FreeStorageSpace", "Minimum"], ["DatabaseConnections", "Maximum"], ["ReadLatency", "Average"], ["WriteLatency", "Average"], ["FreeableMemory", "Average"]] : {
        type   = "metric"
        width  = 8
        height = 6
        properties = {
          title   = "RDS ${m[0]}"
          region  = local.region
          stat    = m[1]
          period  = 300
          view    = "timeSeries"
          metrics = [for k, r in var.rds_instances : ["AWS/RDS", m[0], "DBInstanceIdentifier", r.identifier, { label = k }]]
        }
      }
    ],
    length(var.albs) == 0 ? [] : [
      for m in [["RequestCount", "Sum"], ["HTTPCode_Target_5XX_Count", "Sum"], ["TargetResponseTime", "p99"], ["UnHealthyHostCount", "Maximum"]] : {
        type   = "metric"
        width  = 6
        height = 6
        properties = {
          title   = "ALB ${m[0]}"
          region  = local.region
          stat    = m[1]
          period  = 60
          view    = "timeSeries"
          metrics = [for k, a in var.albs : ["AWS/ApplicationELB", m[0], "LoadBalancer", a.load_balancer_arn_suffix, "TargetGroup", a.target_group_arn_suffix, { label = k }]]
        }
      }
    ],
    length(var.eks_cluster_names) == 0 ? [] : [
      for m in ["node_cpu_utilization", "node_memory_utilization", "cluster_failed_node_count"] : {
        type   = "metric"
        width  = 8
        height = 6
        properties = {
          title   = "EKS ${m}"
          region  = local.region
          stat    = "Average"
          period  = 300
          view    = "timeSeries"
          metrics = [for c in sort(tolist(var.eks_cluster_names)) : ["ContainerInsights", m, "ClusterName", c]]
        }
      }
    ],
  ]
}

# Dashboards are not taggable resources in CloudWatch.
resource "aws_cloudwatch_dashboard" "this" {
  count = var.create_dashboard ? 1 : 0

  dashboard_name = local.dashboard_name
  dashboard_body = jsonencode({ widgets = flatten(local.widget_sets) })
}

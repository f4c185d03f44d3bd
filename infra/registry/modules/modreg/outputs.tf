output "load_balancer_dns_name" {
  description = "DNS name of the internal load balancer (alias target for registry.internal)."
  value       = aws_lb.this.dns_name
}

output "load_balancer_zone_id" {
  description = "Hosted zone id of the load balancer, for a Route 53 alias record."
  value       = aws_lb.this.zone_id
}

output "load_balancer_arn_suffix" {
  description = "ARN suffix of the load balancer (app/<name>/<id>), the CloudWatch LoadBalancer dimension."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the replicas' target group (targetgroup/<name>/<id>), the CloudWatch TargetGroup dimension."
  value       = aws_lb_target_group.this.arn_suffix
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "Name of the ECS service (aws ecs update-service --force-new-deployment restarts the replicas)."
  value       = aws_ecs_service.this.name
}

output "task_role_arn" {
  description = "ARN of the role modreg runs as (name it in the bucket policy and KMS key policy if they list principals)."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "ARN of the task execution role (image pull, logs, secrets)."
  value       = aws_iam_role.execution.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the replicas (JSON lines)."
  value       = aws_cloudwatch_log_group.this.name
}

output "security_group_ids" {
  description = "Security groups of the load balancer (alb) and the tasks (tasks)."
  value = {
    alb   = aws_security_group.alb.id
    tasks = aws_security_group.tasks.id
  }
}

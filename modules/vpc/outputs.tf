output "vpc_id" {
  description = "Id of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_arn" {
  description = "ARN of the VPC."
  value       = aws_vpc.this.arn
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "azs" {
  description = "Availability zones the subnets are spread over, in input order."
  value       = var.azs
}

output "public_subnet_ids" {
  description = "Ids of the public subnets, in azs order (empty when there is no public tier)."
  value       = [for az in var.azs : aws_subnet.public[az].id if contains(keys(aws_subnet.public), az)]
}

output "private_subnet_ids" {
  description = "Ids of the private subnets, in azs order (EKS nodes, EC2 backends)."
  value       = [for az in var.azs : aws_subnet.private[az].id]
}

output "database_subnet_ids" {
  description = "Ids of the database subnets, in azs order (empty when there is no database tier)."
  value       = [for az in var.azs : aws_subnet.database[az].id if contains(keys(aws_subnet.database), az)]
}

output "subnet_ids_by_tier" {
  description = "Subnet ids keyed by tier (public, private, database) and then by availability zone."
  value = {
    public   = { for az, s in aws_subnet.public : az => s.id }
    private  = { for az, s in aws_subnet.private : az => s.id }
    database = { for az, s in aws_subnet.database : az => s.id }
  }
}

output "database_subnet_group_name" {
  description = "Name of the RDS subnet group over the database subnets (null when there is no database tier); pass it to platform/rds."
  value       = try(aws_db_subnet_group.this[0].name, null)
}

output "public_route_table_ids" {
  description = "Ids of the public route tables (one, or none without a public tier)."
  value       = aws_route_table.public[*].id
}

output "private_route_table_ids" {
  description = "Ids of the private route tables, one per AZ in azs order."
  value       = [for az in var.azs : aws_route_table.private[az].id]
}

output "database_route_table_ids" {
  description = "Ids of the database route tables (one, or none without a database tier)."
  value       = aws_route_table.database[*].id
}

output "igw_id" {
  description = "Id of the internet gateway (null without a public tier)."
  value       = try(aws_internet_gateway.this[0].id, null)
}

output "nat_gateway_ids" {
  description = "Ids of the NAT gateways keyed by availability zone."
  value       = { for az, n in aws_nat_gateway.this : az => n.id }
}

output "nat_public_ips" {
  description = "Public Elastic IPs of the NAT gateways (allow-list these at third parties)."
  value       = [for az in local.nat_azs : aws_eip.nat[az].public_ip]
}

output "default_security_group_id" {
  description = "Id of the VPC's default security group, managed with no rules."
  value       = aws_default_security_group.this.id
}

output "gateway_endpoint_ids" {
  description = "Ids of the gateway VPC endpoints keyed by service (s3, dynamodb)."
  value       = { for k, e in aws_vpc_endpoint.gateway : k => e.id }
}

output "gateway_endpoint_prefix_list_ids" {
  description = "Prefix list ids of the gateway endpoints keyed by service (s3, dynamodb), for security group egress rules (e.g. platform/eks s3_prefix_list_id for ECR image layers)."
  value       = { for k, e in aws_vpc_endpoint.gateway : k => e.prefix_list_id }
}

output "interface_endpoint_ids" {
  description = "Ids of the interface VPC endpoints keyed by service (e.g. ecr.api, sts)."
  value       = { for k, e in aws_vpc_endpoint.interface : k => e.id }
}

output "interface_endpoint_security_group_id" {
  description = "Security group of the interface endpoints (null without interface_endpoints); give clients HTTPS egress to it (platform/eks vpc_endpoint_security_group_id)."
  value       = try(aws_security_group.endpoints[0].id, null)
}

output "flow_log_id" {
  description = "Id of the VPC flow log (null when flow logs are disabled)."
  value       = try(aws_flow_log.this[0].id, null)
}

output "flow_log_group_name" {
  description = "Name of the CloudWatch log group receiving the flow logs (null when disabled)."
  value       = try(aws_cloudwatch_log_group.flow_logs[0].name, null)
}

output "flow_log_group_arn" {
  description = "ARN of the flow-log group, for metric filters and subscriptions (null when disabled)."
  value       = try(aws_cloudwatch_log_group.flow_logs[0].arn, null)
}

output "instance_ids" {
  description = "Instance ids, in instance order (NAME-01 first)."
  value       = [for k in sort(keys(aws_instance.this)) : aws_instance.this[k].id]
}

output "instance_arns" {
  description = "Instance ARNs, in instance order."
  value       = [for k in sort(keys(aws_instance.this)) : aws_instance.this[k].arn]
}

output "instances" {
  description = "Per instance, keyed by its Name tag: id, availability zone, subnet, private and public IP."
  value = { for k, i in aws_instance.this : i.tags["Name"] => {
    id                = i.id
    availability_zone = i.availability_zone
    subnet_id         = i.subnet_id
    private_ip        = i.private_ip
    public_ip         = i.public_ip
  } }
}

output "private_ips" {
  description = "Private IPv4 addresses, in instance order."
  value       = [for k in sort(keys(aws_instance.this)) : aws_instance.this[k].private_ip]
}

output "public_ips" {
  description = "Public IPv4 addresses, in instance order (empty strings unless allow_public_ip is true)."
  value       = [for k in sort(keys(aws_instance.this)) : aws_instance.this[k].public_ip]
}

output "ami_id" {
  description = "AMI the instances were planned with."
  value       = local.ami_id
}

output "security_group_id" {
  description = "Id of the hosts' security group; reference it from load balancer and database rules."
  value       = aws_security_group.this.id
}

output "iam_role_arn" {
  description = "ARN of the instance role created by the module, or null when instance_profile_name was given."
  value       = try(aws_iam_role.this[0].arn, null)
}

output "iam_role_name" {
  description = "Name of the instance role created by the module, or null when instance_profile_name was given."
  value       = try(aws_iam_role.this[0].name, null)
}

output "instance_profile_name" {
  description = "Name of the instance profile attached to the instances."
  value       = local.instance_profile_name
}

output "ebs_volume_ids" {
  description = "Ids of the data volumes, keyed by \"NN/VOLUME\" (instance number and ebs_volumes key)."
  value       = { for k, v in aws_ebs_volume.this : k => v.id }
}

# Backend application hosts: N identical instances spread round-robin over the given
# subnets, IMDSv2-only, CMK-encrypted root and data volumes, no public IP, reached through
# SSM Session Manager rather than SSH.

data "aws_ssm_parameter" "ami" {
  count = var.ami_id == "" ? 1 : 0

  name = var.ami_ssm_parameter
}

locals {
  tags = merge(var.tags, { managed_by = "terraform", module = "platform/ec2" })

  ami_id = var.ami_id != "" ? var.ami_id : nonsensitive(data.aws_ssm_parameter.ami[0].value)

  instances = { for i in range(var.instance_count) : format("%02d", i + 1) => {
    name      = format("%s-%02d", var.name, i + 1)
    subnet_id = var.subnet_ids[i % length(var.subnet_ids)]
  } }

  # One data volume per (instance, volume) pair.
  data_volumes = merge([for ik, inst in local.instances : {
    for vk, vol in var.ebs_volumes : "${ik}/${vk}" => merge(vol, { instance_key = ik, volume_key = vk, instance_name = inst.name })
  }]...)

  burstable = can(regex("^t[0-9]", var.instance_type))
}

resource "aws_instance" "this" {
  for_each = local.instances

  ami                         = local.ami_id
  instance_type               = var.instance_type
  subnet_id                   = each.value.subnet_id
  vpc_security_group_ids      = concat([aws_security_group.this.id], var.additional_security_group_ids)
  associate_public_ip_address = var.allow_public_ip
  key_name                    = var.key_name != "" ? var.key_name : null
  iam_instance_profile        = local.instance_profile_name

  user_data                   = var.user_data != "" ? var.user_data : null
  user_data_replace_on_change = var.user_data_replace_on_change

  monitoring              = var.detailed_monitoring
  ebs_optimized           = true
  disable_api_termination = var.termination_protection

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  root_block_device {
    volume_type           = var.root_volume.type
    volume_size           = var.root_volume.size
    iops                  = var.root_volume.iops
    throughput            = var.root_volume.throughput
    encrypted             = true
    kms_key_id            = var.kms_key_arn
    delete_on_termination = true
    tags                  = merge(local.tags, { Name = "${each.value.name}-root" })
  }

  dynamic "credit_specification" {
    for_each = local.burstable ? [1] : []
    content {
      cpu_credits = var.cpu_credits
    }
  }

  tags = merge(local.tags, { Name = each.value.name })

  lifecycle {
    # A newer AMI behind the SSM parameter must not silently replace running hosts; roll it
    # out deliberately with `terraform apply -replace`.
    ignore_changes = [ami]
  }
}

resource "aws_ebs_volume" "this" {
  for_each = local.data_volumes

  availability_zone = aws_instance.this[each.value.instance_key].availability_zone
  type              = each.value.type
  size              = each.value.size
  iops              = each.value.iops
  throughput        = each.value.throughput
  encrypted         = true
  kms_key_id        = var.kms_key_arn
  final_snapshot    = var.ebs_final_snapshot

  tags = merge(local.tags, { Name = "${each.value.instance_name}-${each.value.volume_key}" })
}

resource "aws_volume_attachment" "this" {
  for_each = local.data_volumes

  device_name = each.value.device_name
  volume_id   = aws_ebs_volume.this[each.key].id
  instance_id = aws_instance.this[each.value.instance_key].id
}

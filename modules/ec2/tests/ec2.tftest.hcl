# Offline specification of the ec2 module: placement, hardening and the security-group
# guard rails. Runs with `terraform test` (mocked AWS provider).

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_data "aws_ssm_parameter" {
    defaults = { value = "ami-0123456789abcdef0" }
  }
}

variables {
  name                     = "orders-api-dev"
  vpc_id                   = "vpc-0a1b2c3d4e5f60718"
  subnet_ids               = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]
  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"
  tags = {
    cost_center = "cc-1042"
    environment = "dev"
    application = "orders"
    owner       = "team-orders@example.com"
  }
}

run "hardened_hosts_spread_over_subnets" {
  command = plan

  variables {
    instance_count = 3
    ebs_volumes    = { data = { device_name = "/dev/sdf", size = 10 } }
    egress_rules = {
      endpoints = { description = "HTTPS to VPC endpoints", from_port = 443, to_port = 443, cidr_ipv4 = "10.0.0.0/16" }
    }
  }

  assert {
    condition     = aws_instance.this["01"].subnet_id == var.subnet_ids[0] && aws_instance.this["02"].subnet_id == var.subnet_ids[1] && aws_instance.this["03"].subnet_id == var.subnet_ids[0]
    error_message = "Instances are spread round-robin over the subnets."
  }
  assert {
    condition     = alltrue([for i in aws_instance.this : i.metadata_options[0].http_tokens == "required" && i.metadata_options[0].http_put_response_hop_limit == 1])
    error_message = "IMDSv2 with hop limit 1 is required."
  }
  assert {
    condition     = alltrue([for i in aws_instance.this : !i.associate_public_ip_address && i.ebs_optimized && i.monitoring])
    error_message = "No public IP, EBS-optimized and detailed monitoring by default."
  }
  assert {
    condition     = alltrue([for i in aws_instance.this : i.root_block_device[0].encrypted && i.root_block_device[0].kms_key_id == var.kms_key_arn])
    error_message = "Root volumes are encrypted with the CMK."
  }
  assert {
    condition     = length(aws_ebs_volume.this) == 3 && alltrue([for v in aws_ebs_volume.this : v.encrypted && v.kms_key_id == var.kms_key_arn && v.tags["cost_center"] == "cc-1042"])
    error_message = "One CMK-encrypted, tagged data volume per instance."
  }
  assert {
    condition     = aws_iam_role.this[0].permissions_boundary == var.permissions_boundary_arn && contains(keys(aws_iam_role_policy_attachment.this), "ssm_core")
    error_message = "The instance role carries the boundary and is SSM-ready."
  }
  assert {
    condition     = aws_instance.this["01"].tags["Name"] == "orders-api-dev-01" && aws_instance.this["01"].root_block_device[0].tags["module"] == "platform/ec2"
    error_message = "Instances and their root volumes are tagged."
  }
}

run "internet_rules_refused" {
  command = plan

  variables {
    egress_rules = {
      all = { description = "everything", ip_protocol = "-1", cidr_ipv4 = "0.0.0.0/0" }
    }
    ingress_rules = {
      ssh = { description = "SSH from anywhere", from_port = 22, to_port = 22, cidr_ipv4 = "0.0.0.0/0" }
    }
  }

  expect_failures = [var.egress_rules, var.ingress_rules]
}

run "internet_egress_switched_on" {
  command = plan

  variables {
    allow_internet_egress = true
    egress_rules = {
      https = { description = "HTTPS through NAT", from_port = 443, to_port = 443, cidr_ipv4 = "0.0.0.0/0" }
    }
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.this["https"].cidr_ipv4 == "0.0.0.0/0"
    error_message = "The switch permits the internet egress rule."
  }
}

run "rule_needs_exactly_one_source" {
  command = plan

  variables {
    ingress_rules = {
      two = { description = "ambiguous", from_port = 80, to_port = 80, cidr_ipv4 = "10.0.0.0/8", prefix_list_id = "pl-12345678" }
    }
  }

  expect_failures = [var.ingress_rules]
}

run "boundary_must_be_a_policy_arn" {
  command = plan

  variables {
    permissions_boundary_arn = "platform-boundary"
  }

  expect_failures = [var.permissions_boundary_arn]
}

run "existing_instance_profile" {
  command = plan

  variables {
    instance_profile_name = "platform-backend-ssm"
  }

  assert {
    condition     = length(aws_iam_role.this) == 0 && aws_instance.this["01"].iam_instance_profile == "platform-backend-ssm"
    error_message = "A given instance profile replaces the module's role."
  }
}

run "no_access_keys_in_user_data" {
  command = plan

  variables {
    user_data = "export AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP"
  }

  expect_failures = [var.user_data]
}

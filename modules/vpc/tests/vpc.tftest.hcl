# Offline unit tests: mocked AWS provider (schemas from the real provider, no credentials).
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { region = "eu-west-1" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/vpc-flow-logs/tests" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/tests-flow-logs" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  tags = {
    cost_center = "cc-1234"
    environment = "dev"
    application = "tests"
    owner       = "platform-team"
  }

  name                     = "tests"
  cidr_block               = "10.20.0.0/16"
  azs                      = ["eu-west-1a", "eu-west-1b"]
  public_subnets           = ["10.20.0.0/24", "10.20.1.0/24"]
  private_subnets          = ["10.20.16.0/20", "10.20.32.0/20"]
  database_subnets         = ["10.20.8.0/24", "10.20.9.0/24"]
  flow_log_kms_key_arn     = "arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform/tests-boundary"
}

# apply (with mocks) so that computed rule sets are known when asserted.
run "defaults_are_secure" {
  command = apply

  assert {
    condition     = length(aws_default_security_group.this.ingress) == 0 && length(aws_default_security_group.this.egress) == 0
    error_message = "The default security group must have no rules."
  }
  assert {
    condition     = length(aws_default_network_acl.this.ingress) == 0 && length(aws_default_network_acl.this.egress) == 0
    error_message = "The default network ACL must deny everything."
  }
  assert {
    condition     = length(aws_flow_log.this) == 1 && aws_flow_log.this[0].traffic_type == "ALL"
    error_message = "Flow logs must be on for all traffic."
  }
  assert {
    condition     = aws_cloudwatch_log_group.flow_logs[0].retention_in_days == 365 && aws_cloudwatch_log_group.flow_logs[0].kms_key_id == var.flow_log_kms_key_arn
    error_message = "The flow-log group must be KMS-encrypted with 365-day retention."
  }
  assert {
    condition     = aws_iam_role.flow_logs[0].permissions_boundary == var.permissions_boundary_arn && aws_iam_role.flow_logs[0].path == "/platform/"
    error_message = "The flow-log role must carry the permissions boundary and live under the platform path."
  }
  assert {
    condition     = length(aws_nat_gateway.this) == 2
    error_message = "nat_gateway_mode defaults to one NAT gateway per AZ."
  }
  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch == false])
    error_message = "No subnet may assign public IPs at launch."
  }
  assert {
    condition     = length(aws_db_subnet_group.this) == 1 && length(aws_route_table.database) == 1
    error_message = "Database subnets get a subnet group and their own route table."
  }
  assert {
    condition     = keys(aws_vpc_endpoint.gateway) == ["s3"]
    error_message = "The S3 gateway endpoint is on by default."
  }
}

run "single_nat_gateway_serves_every_az" {
  command = plan
  variables {
    nat_gateway_mode = "single"
  }
  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_route.private_nat) == 2
    error_message = "single mode: one NAT gateway, a default route in every private route table."
  }
}

run "subnet_outside_vpc_cidr_is_rejected" {
  command = plan
  variables {
    private_subnets = ["10.20.16.0/20", "10.99.32.0/20"]
  }
  expect_failures = [var.private_subnets]
}

run "subnet_count_must_match_azs" {
  command = plan
  variables {
    public_subnets = ["10.20.0.0/24"]
  }
  expect_failures = [var.public_subnets]
}

run "nat_without_public_subnets_is_rejected" {
  command = plan
  variables {
    public_subnets = []
  }
  expect_failures = [var.nat_gateway_mode]
}

run "ssh_to_public_subnets_is_rejected" {
  command = plan
  variables {
    public_ingress_tcp_ports = [443, 22]
  }
  expect_failures = [var.public_ingress_tcp_ports]
}

run "flow_logs_need_a_kms_key" {
  command = plan
  variables {
    flow_log_kms_key_arn = null
  }
  expect_failures = [var.flow_log_kms_key_arn]
}

run "never_expiring_flow_logs_are_rejected" {
  command = plan
  variables {
    flow_log_retention_in_days = 0
  }
  expect_failures = [var.flow_log_retention_in_days]
}

run "flow_logs_can_be_switched_off_explicitly" {
  command = plan
  variables {
    enable_flow_logs         = false
    flow_log_kms_key_arn     = null
    permissions_boundary_arn = null
  }
  assert {
    condition     = length(aws_flow_log.this) == 0 && length(aws_iam_role.flow_logs) == 0
    error_message = "enable_flow_logs = false removes the flow log and its role."
  }
}

run "public_nacl_admits_the_vpc_before_denying_admin_ports_from_the_internet" {
  command = plan

  assert {
    condition = alltrue([for r in aws_network_acl.public[0].ingress : r.rule_no > 10 if r.action == "deny"]) && one([
    for r in aws_network_acl.public[0].ingress : r.rule_no if r.cidr_block == var.cidr_block && r.action == "allow"]) == 10
    error_message = "The VPC allow (rule 10) precedes every deny, so NAT still forwards outbound SSH/SFTP."
  }
  assert {
    condition     = toset([for r in aws_network_acl.public[0].ingress : r.from_port if r.action == "deny" && r.cidr_block == "0.0.0.0/0"]) == toset([22, 3389])
    error_message = "SSH and RDP from the internet are denied on the public tier."
  }
  assert {
    condition     = length([for r in aws_network_acl.private.ingress : r if r.action == "deny"]) == 0
    error_message = "The private tier has no deny rules (return traffic and internal SSH pass)."
  }
  assert {
    condition     = alltrue([for r in aws_network_acl.private.ingress : !(r.cidr_block == "0.0.0.0/0" && r.from_port <= 3389 && r.to_port >= 3389 && r.protocol == "tcp")])
    error_message = "The private tier's ephemeral allowance skips RDP (EC2.21)."
  }
}

run "ssh_cannot_leave_the_public_deny_list" {
  command = plan
  variables {
    public_denied_admin_ports = [3389]
  }
  expect_failures = [var.public_denied_admin_ports]
}

run "interface_endpoints_with_their_security_group" {
  command = plan
  variables {
    interface_endpoints = ["ecr.api", "ecr.dkr", "sts"]
    gateway_endpoints   = ["s3", "dynamodb"]
  }

  assert {
    condition     = toset(keys(aws_vpc_endpoint.interface)) == toset(["ecr.api", "ecr.dkr", "sts"]) && alltrue([for e in aws_vpc_endpoint.interface : e.private_dns_enabled && e.vpc_endpoint_type == "Interface"])
    error_message = "Each listed service gets an interface endpoint with private DNS."
  }
  assert {
    condition     = alltrue([for e in aws_vpc_endpoint.interface : length(e.security_group_ids) == 1 && length(e.subnet_ids) == 2])
    error_message = "Every interface endpoint sits in each private subnet behind the endpoints' security group."
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.endpoints_https[0].cidr_ipv4 == var.cidr_block && aws_vpc_security_group_ingress_rule.endpoints_https[0].from_port == 443
    error_message = "The endpoints admit HTTPS from the VPC only."
  }
  assert {
    condition     = aws_vpc_endpoint.interface["sts"].service_name == "com.amazonaws.eu-west-1.sts"
    error_message = "Service names are completed with the Region."
  }
}

run "no_interface_endpoints_by_default" {
  command = plan
  assert {
    condition     = length(aws_vpc_endpoint.interface) == 0 && length(aws_security_group.endpoints) == 0
    error_message = "Interface endpoints cost per AZ-hour: none unless listed."
  }
}

run "full_service_names_are_rejected" {
  command = plan
  variables {
    interface_endpoints = ["com.amazonaws.eu-west-1.sts"]
  }
  expect_failures = [var.interface_endpoints]
}

# The rule sets of the per-tier network ACLs (network_acls.tf), as data: pure functions of the
# inputs, so tests/modules/check_nacl_rules.py evaluates them offline with real Terraform and
# replays packets through them (first matching rule number wins, as in AWS).
#
# Security groups stay the primary control; NACLs are the coarse, stateless second layer
# (Security Hub EC2.21, CIS 5.1). Stateless means return traffic needs its own allow: replies to
# connections opened from inside arrive from public addresses on ephemeral ports (NAT gateways
# and Lambda use 1024-65535, Linux 32768-60999, Windows 49152-65535).

locals {
  ephemeral_from = 1024
  ephemeral_to   = 65535

  vpc_allow_all = { action = "allow", protocol = "-1", cidr_block = var.cidr_block, from_port = 0, to_port = 0 }
  world_egress  = [{ rule_no = 100, action = "allow", protocol = "-1", cidr_block = "0.0.0.0/0", from_port = 0, to_port = 0 }]

  nacl_rules = {
    public = {
      ingress = concat(
        # Inside the VPC first: the NAT gateways forward private hosts' outbound SSH/SFTP/RDP,
        # and nothing internal is caught by the internet denies that follow.
        [merge(local.vpc_allow_all, { rule_no = 10 })],
        # Remote administration from the internet, refused before any allow can admit it
        # (use SSM Session Manager). 3389 lies inside the ephemeral range: see the variable.
        [for i, p in var.public_denied_admin_ports : { rule_no = 20 + i, action = "deny", protocol = "tcp", cidr_block = "0.0.0.0/0", from_port = p, to_port = p }],
        [for i, p in var.public_ingress_tcp_ports : { rule_no = 100 + i, action = "allow", protocol = "tcp", cidr_block = "0.0.0.0/0", from_port = p, to_port = p }],
        [
          { rule_no = 300, action = "allow", protocol = "tcp", cidr_block = "0.0.0.0/0", from_port = local.ephemeral_from, to_port = local.ephemeral_to },
          { rule_no = 310, action = "allow", protocol = "udp", cidr_block = "0.0.0.0/0", from_port = local.ephemeral_from, to_port = local.ephemeral_to },
        ],
      )
      egress = local.world_egress
    }

    # No deny rules: nothing reaches private subnets from the internet but return traffic, which
    # keeps its public source address through NAT and gateway endpoints. The ephemeral allowance
    # skips 3389 (EC2.21); 22 lies below it.
    private = {
      ingress = [
        merge(local.vpc_allow_all, { rule_no = 100 }),
        { rule_no = 200, action = "allow", protocol = "tcp", cidr_block = "0.0.0.0/0", from_port = local.ephemeral_from, to_port = 3388 },
        { rule_no = 201, action = "allow", protocol = "tcp", cidr_block = "0.0.0.0/0", from_port = 3390, to_port = local.ephemeral_to },
        { rule_no = 210, action = "allow", protocol = "udp", cidr_block = "0.0.0.0/0", from_port = local.ephemeral_from, to_port = local.ephemeral_to },
      ]
      egress = local.world_egress
    }

    # Database subnets talk to the VPC only.
    database = {
      ingress = [merge(local.vpc_allow_all, { rule_no = 100 })]
      egress  = [merge(local.vpc_allow_all, { rule_no = 100 })]
    }
  }
}

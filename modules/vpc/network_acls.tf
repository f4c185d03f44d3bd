# Network ACLs. The default NACL is taken over with no rules (deny all) and no subnets; every
# subnet tier gets its own NACL with the least it needs. Security groups stay the primary control;
# NACLs are the coarse, stateless second layer (Security Hub EC2.21, CIS 5.1).

locals {
  # Return traffic for connections initiated from inside (NAT, load balancers) arrives on
  # ephemeral ports, so stateless NACLs must admit them.
  ephemeral_from = 1024
  ephemeral_to   = 65535
}

resource "aws_default_network_acl" "this" {
  default_network_acl_id = aws_vpc.this.default_network_acl_id

  # No ingress or egress blocks: the provider removes every rule, so the default NACL denies
  # every packet.

  tags = merge(local.tags, { Name = "${var.name}-default-deny" })

  # Subnets are associated with the per-tier NACLs below; AWS moves them here only if those are
  # deleted, and then they should be cut off rather than silently open.
  lifecycle {
    ignore_changes = [subnet_ids]
  }
}

resource "aws_network_acl" "public" {
  count = length(local.public_subnets) > 0 ? 1 : 0

  vpc_id     = aws_vpc.this.id
  subnet_ids = [for s in aws_subnet.public : s.id]

  # Explicit denies first: remote administration is never reachable from the internet, even
  # through the ephemeral-port allowance below (use SSM Session Manager instead).
  ingress {
    rule_no    = 10
    protocol   = "tcp"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }

  ingress {
    rule_no    = 20
    protocol   = "tcp"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 3389
    to_port    = 3389
  }

  dynamic "ingress" {
    for_each = var.public_ingress_tcp_ports
    content {
      rule_no    = 100 + ingress.key
      protocol   = "tcp"
      action     = "allow"
      cidr_block = "0.0.0.0/0"
      from_port  = ingress.value
      to_port    = ingress.value
    }
  }

  ingress {
    rule_no    = 200
    protocol   = "-1"
    action     = "allow"
    cidr_block = var.cidr_block
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 300
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = local.ephemeral_from
    to_port    = local.ephemeral_to
  }

  ingress {
    rule_no    = 310
    protocol   = "udp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = local.ephemeral_from
    to_port    = local.ephemeral_to
  }

  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  tags = merge(local.tags, { Name = "${var.name}-public", tier = "public" })
}

resource "aws_network_acl" "private" {
  vpc_id     = aws_vpc.this.id
  subnet_ids = [for s in aws_subnet.private : s.id]

  # Explicit denies first: remote administration is never reachable from the internet, even
  # through the ephemeral-port allowance below (use SSM Session Manager instead).
  ingress {
    rule_no    = 10
    protocol   = "tcp"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }

  ingress {
    rule_no    = 20
    protocol   = "tcp"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 3389
    to_port    = 3389
  }

  ingress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = var.cidr_block
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 200
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = local.ephemeral_from
    to_port    = local.ephemeral_to
  }

  ingress {
    rule_no    = 210
    protocol   = "udp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = local.ephemeral_from
    to_port    = local.ephemeral_to
  }

  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  tags = merge(local.tags, { Name = "${var.name}-private", tier = "private" })
}

# Database subnets talk to the VPC only.
resource "aws_network_acl" "database" {
  count = length(local.database_subnets) > 0 ? 1 : 0

  vpc_id     = aws_vpc.this.id
  subnet_ids = [for s in aws_subnet.database : s.id]

  ingress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = var.cidr_block
    from_port  = 0
    to_port    = 0
  }

  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = var.cidr_block
    from_port  = 0
    to_port    = 0
  }

  tags = merge(local.tags, { Name = "${var.name}-database", tier = "database" })
}

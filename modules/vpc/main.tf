locals {
  tags = merge(var.tags, { managed_by = "terraform", module = "platform/vpc" })

  public_subnets   = { for i, az in var.azs : az => var.public_subnets[i] if length(var.public_subnets) > 0 }
  private_subnets  = { for i, az in var.azs : az => var.private_subnets[i] }
  database_subnets = { for i, az in var.azs : az => var.database_subnets[i] if length(var.database_subnets) > 0 }

  # NAT gateways: one per AZ, or one in the first AZ that every private route table uses.
  nat_azs = var.nat_gateway_mode == "per_az" ? var.azs : (var.nat_gateway_mode == "single" ? [var.azs[0]] : [])
  nat_for_az = {
    for az in var.azs : az => (var.nat_gateway_mode == "per_az" ? az : var.azs[0])
    if var.nat_gateway_mode != "none"
  }
}

data "aws_region" "current" {}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(local.tags, { Name = var.name })
}

# Take over the default security group and strip every rule: nothing can use it by accident.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id

  ingress = []
  egress  = []

  tags = merge(local.tags, { Name = "${var.name}-default-deny" })
}

# ---------------------------------------------------------------------------------------------
# Subnets
# ---------------------------------------------------------------------------------------------

resource "aws_subnet" "public" {
  for_each = local.public_subnets

  vpc_id                  = aws_vpc.this.id
  cidr_block              = each.value
  availability_zone       = each.key
  map_public_ip_on_launch = false

  tags = merge(local.tags, var.public_subnet_tags, { Name = "${var.name}-public-${each.key}", tier = "public" })
}

resource "aws_subnet" "private" {
  for_each = local.private_subnets

  vpc_id                  = aws_vpc.this.id
  cidr_block              = each.value
  availability_zone       = each.key
  map_public_ip_on_launch = false

  tags = merge(local.tags, var.private_subnet_tags, { Name = "${var.name}-private-${each.key}", tier = "private" })
}

resource "aws_subnet" "database" {
  for_each = local.database_subnets

  vpc_id                  = aws_vpc.this.id
  cidr_block              = each.value
  availability_zone       = each.key
  map_public_ip_on_launch = false

  tags = merge(local.tags, { Name = "${var.name}-database-${each.key}", tier = "database" })
}

resource "aws_db_subnet_group" "this" {
  count = length(local.database_subnets) > 0 ? 1 : 0

  name        = "${var.name}-database"
  description = "Database subnets of ${var.name}"
  subnet_ids  = [for s in aws_subnet.database : s.id]

  tags = merge(local.tags, { Name = "${var.name}-database" })
}

# ---------------------------------------------------------------------------------------------
# Internet gateway, NAT gateways and routing
# ---------------------------------------------------------------------------------------------

resource "aws_internet_gateway" "this" {
  count = length(local.public_subnets) > 0 ? 1 : 0

  vpc_id = aws_vpc.this.id

  tags = merge(local.tags, { Name = var.name })
}

resource "aws_eip" "nat" {
  for_each = toset(local.nat_azs)

  domain = "vpc"

  tags = merge(local.tags, { Name = "${var.name}-nat-${each.key}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  for_each = toset(local.nat_azs)

  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.public[each.key].id

  tags = merge(local.tags, { Name = "${var.name}-nat-${each.key}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "public" {
  count = length(local.public_subnets) > 0 ? 1 : 0

  vpc_id = aws_vpc.this.id

  tags = merge(local.tags, { Name = "${var.name}-public", tier = "public" })
}

resource "aws_route" "public_internet" {
  count = length(local.public_subnets) > 0 ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  for_each = aws_subnet.public

  subnet_id      = each.value.id
  route_table_id = aws_route_table.public[0].id
}

# One private route table per AZ so that per-AZ NAT (or a later switch to it) needs no re-wiring.
resource "aws_route_table" "private" {
  for_each = local.private_subnets

  vpc_id = aws_vpc.this.id

  tags = merge(local.tags, { Name = "${var.name}-private-${each.key}", tier = "private" })
}

resource "aws_route" "private_nat" {
  for_each = local.nat_for_az

  route_table_id         = aws_route_table.private[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[each.value].id
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}

# Database subnets get a route table with no internet route at all.
resource "aws_route_table" "database" {
  count = length(local.database_subnets) > 0 ? 1 : 0

  vpc_id = aws_vpc.this.id

  tags = merge(local.tags, { Name = "${var.name}-database", tier = "database" })
}

resource "aws_route_table_association" "database" {
  for_each = aws_subnet.database

  subnet_id      = each.value.id
  route_table_id = aws_route_table.database[0].id
}

# ---------------------------------------------------------------------------------------------
# Gateway endpoints (free): S3 / DynamoDB traffic stays off NAT and off the internet
# ---------------------------------------------------------------------------------------------

resource "aws_vpc_endpoint" "gateway" {
  for_each = var.gateway_endpoints

  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${data.aws_region.current.region}.${each.key}"
  vpc_endpoint_type = "Gateway"
  route_table_ids = concat(
    [for rt in aws_route_table.private : rt.id],
    [for rt in aws_route_table.database : rt.id],
  )

  tags = merge(local.tags, { Name = "${var.name}-${each.key}" })
}

# ---------------------------------------------------------------------------------------------
# Interface endpoints (PrivateLink): AWS APIs from private subnets without NAT
# ---------------------------------------------------------------------------------------------

resource "aws_security_group" "endpoints" {
  #checkov:skip=CKV2_AWS_5:Created only with interface_endpoints and attached to every aws_vpc_endpoint.interface; checkov does not follow a count-indexed reference (the vpc tests assert the attachment).
  count = length(var.interface_endpoints) > 0 ? 1 : 0

  name_prefix = "${var.name}-endpoints-"
  description = "Interface VPC endpoints of ${var.name}: HTTPS from the VPC"
  vpc_id      = aws_vpc.this.id

  tags = merge(local.tags, { Name = "${var.name}-endpoints" })

  lifecycle {
    create_before_destroy = true
  }
}

# Endpoints only answer; security groups are stateful, so no egress rule is needed.
resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
  count = length(var.interface_endpoints) > 0 ? 1 : 0

  security_group_id = aws_security_group.endpoints[0].id
  description       = "HTTPS to the interface endpoints from the VPC"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.cidr_block

  tags = local.tags
}

resource "aws_vpc_endpoint" "interface" {
  for_each = var.interface_endpoints

  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${data.aws_region.current.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [for s in aws_subnet.private : s.id]
  security_group_ids  = [aws_security_group.endpoints[0].id]
  private_dns_enabled = true

  tags = merge(local.tags, { Name = "${var.name}-${each.key}" })
}

# Security groups for the control-plane ENIs (in addition to the one EKS creates) and for the
# nodes. Only the traffic EKS needs between them is allowed; anything else (load balancer
# ingress, egress to endpoints, the database) is listed explicitly by the caller.

resource "aws_security_group" "cluster" {
  name_prefix = "${var.name}-cluster-"
  description = "EKS ${var.name} control plane: API access from the nodes"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-cluster" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "cluster_from_nodes" {
  security_group_id            = aws_security_group.cluster.id
  description                  = "Kubernetes API from the nodes"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.node.id

  tags = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "cluster_api" {
  for_each = var.cluster_api_ingress_security_group_ids

  security_group_id            = aws_security_group.cluster.id
  description                  = "Kubernetes API from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = each.value

  tags = local.tags
}

resource "aws_security_group" "node" {
  name_prefix = "${var.name}-node-"
  description = "EKS ${var.name} nodes: control plane, node-to-node, and listed rules only"
  vpc_id      = var.vpc_id

  tags = merge(local.tags, { Name = "${var.name}-node" })

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  # Ports the control plane opens to nodes: kubelet, and the usual admission-webhook ports.
  control_plane_to_node_ports = {
    https    = 443
    webhook1 = 4443
    webhook2 = 6443
    webhook3 = 8443
    webhook4 = 9443
    kubelet  = 10250
  }
}

resource "aws_vpc_security_group_ingress_rule" "node_from_cluster" {
  for_each = local.control_plane_to_node_ports

  security_group_id            = aws_security_group.node.id
  description                  = "Control plane to nodes on ${each.value} (${each.key})"
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  referenced_security_group_id = aws_security_group.cluster.id

  tags = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "node_self" {
  security_group_id            = aws_security_group.node.id
  description                  = "Node to node and pod to pod (CoreDNS, services)"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.node.id

  tags = local.tags
}

resource "aws_vpc_security_group_egress_rule" "node_self" {
  security_group_id            = aws_security_group.node.id
  description                  = "Node to node and pod to pod (CoreDNS, services)"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.node.id

  tags = local.tags
}

resource "aws_vpc_security_group_egress_rule" "node_to_cluster" {
  security_group_id            = aws_security_group.node.id
  description                  = "Nodes to the Kubernetes API"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.cluster.id

  tags = local.tags
}

# The AWS APIs nodes need to join and run (ECR, STS, EC2, EKS auth, Logs, SSM) through the
# VPC's interface endpoints, and ECR's image layers through the S3 gateway endpoint.
resource "aws_vpc_security_group_egress_rule" "node_to_endpoints" {
  count = var.vpc_endpoint_security_group_id == null ? 0 : 1

  security_group_id            = aws_security_group.node.id
  description                  = "HTTPS to the VPC interface endpoints"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = var.vpc_endpoint_security_group_id

  tags = local.tags
}

resource "aws_vpc_security_group_egress_rule" "node_to_s3" {
  count = var.s3_prefix_list_id == null ? 0 : 1

  security_group_id = aws_security_group.node.id
  description       = "HTTPS to S3 through the gateway endpoint (ECR image layers)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = var.s3_prefix_list_id

  tags = local.tags
}

resource "aws_vpc_security_group_ingress_rule" "node_extra" {
  for_each = var.node_ingress_rules

  security_group_id            = aws_security_group.node.id
  description                  = each.value.description
  ip_protocol                  = each.value.ip_protocol
  from_port                    = each.value.ip_protocol == "-1" ? null : each.value.from_port
  to_port                      = each.value.ip_protocol == "-1" ? null : each.value.to_port
  cidr_ipv4                    = each.value.cidr_ipv4
  cidr_ipv6                    = each.value.cidr_ipv6
  prefix_list_id               = each.value.prefix_list_id
  referenced_security_group_id = each.value.referenced_security_group_id

  tags = merge(local.tags, { Name = "${var.name}-node-in-${each.key}" })
}

resource "aws_vpc_security_group_egress_rule" "node_extra" {
  for_each = var.node_egress_rules

  security_group_id            = aws_security_group.node.id
  description                  = each.value.description
  ip_protocol                  = each.value.ip_protocol
  from_port                    = each.value.ip_protocol == "-1" ? null : each.value.from_port
  to_port                      = each.value.ip_protocol == "-1" ? null : each.value.to_port
  cidr_ipv4                    = each.value.cidr_ipv4
  cidr_ipv6                    = each.value.cidr_ipv6
  prefix_list_id               = each.value.prefix_list_id
  referenced_security_group_id = each.value.referenced_security_group_id

  tags = merge(local.tags, { Name = "${var.name}-node-out-${each.key}" })
}

# Offline specification of the eks module: private endpoint, encryption, logging, access
# entries, node hardening and the validations. Runs with `terraform test` (mocked providers).

mock_provider "tls" {}

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/web-dev" }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" }
  }
  mock_resource "aws_eks_cluster" {
    defaults = { identity = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" }] }] }
  }
}

variables {
  name                     = "web-dev"
  vpc_id                   = "vpc-0a1b2c3d4e5f60718"
  subnet_ids               = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"]
  kms_key_arn              = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  permissions_boundary_arn = "arn:aws:iam::111122223333:policy/platform-boundary"
  # Nodes reach ECR/STS/EC2 through the VPC's interface endpoints, image layers through S3's.
  vpc_endpoint_security_group_id = "sg-0a1b2c3d4e5f6071d"
  s3_prefix_list_id              = "pl-6da54004"
  tags = {
    cost_center = "cc-2001"
    environment = "dev"
    application = "storefront"
    owner       = "team-web@example.com"
  }
}

run "secure_defaults" {
  command = plan

  variables {
    access_entries = {
      admins = {
        principal_arn       = "arn:aws:iam::111122223333:role/platform-admins"
        policy_associations = { admin = { policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" } }
      }
      developers = {
        principal_arn       = "arn:aws:iam::111122223333:role/web-developers"
        policy_associations = { edit = { policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", scope = "namespace", namespaces = ["storefront"] } }
      }
    }
  }

  assert {
    condition     = !aws_eks_cluster.this.vpc_config[0].endpoint_public_access && aws_eks_cluster.this.vpc_config[0].endpoint_private_access
    error_message = "The API endpoint is private only."
  }
  assert {
    condition     = aws_eks_cluster.this.encryption_config[0].provider[0].key_arn == var.kms_key_arn && contains(aws_eks_cluster.this.encryption_config[0].resources, "secrets")
    error_message = "Secrets are envelope-encrypted with the CMK."
  }
  assert {
    condition     = length(aws_eks_cluster.this.enabled_cluster_log_types) == 5 && aws_cloudwatch_log_group.cluster.kms_key_id == var.kms_key_arn && aws_cloudwatch_log_group.cluster.retention_in_days >= 365
    error_message = "All five log types go to a CMK-encrypted, retained log group."
  }
  assert {
    condition     = aws_eks_cluster.this.access_config[0].authentication_mode == "API" && !aws_eks_cluster.this.access_config[0].bootstrap_cluster_creator_admin_permissions
    error_message = "Access entries only, no implicit creator admin."
  }
  assert {
    condition     = length(aws_eks_access_entry.this) == 2 && aws_eks_access_policy_association.this["developers/edit"].access_scope[0].type == "namespace"
    error_message = "Access entries and scoped policy associations are created."
  }
  assert {
    condition     = aws_launch_template.node["default"].metadata_options[0].http_tokens == "required" && aws_launch_template.node["default"].metadata_options[0].http_put_response_hop_limit == 1
    error_message = "Nodes require IMDSv2 with hop limit 1."
  }
  assert {
    condition     = aws_launch_template.node["default"].block_device_mappings[0].ebs[0].encrypted == "true" && aws_launch_template.node["default"].block_device_mappings[0].ebs[0].kms_key_id == var.kms_key_arn
    error_message = "Node volumes are encrypted with the CMK."
  }
  assert {
    condition     = length(aws_launch_template.node["default"].tag_specifications) == 3 && aws_eks_node_group.this["default"].tags["cost_center"] == "cc-2001"
    error_message = "Instances, volumes, ENIs and node groups carry the FinOps tags."
  }
  assert {
    condition     = toset(concat(keys(aws_eks_addon.before_compute), keys(aws_eks_addon.this))) == toset(["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver"])
    error_message = "The five core add-ons are installed."
  }
  assert {
    condition     = alltrue([for r in [aws_iam_role.cluster, aws_iam_role.node, aws_iam_role.ebs_csi] : r.permissions_boundary == var.permissions_boundary_arn])
    error_message = "Every role carries the permissions boundary."
  }
}

run "public_endpoint_needs_allow_list" {
  command = plan

  variables {
    allow_public_endpoint = true
  }

  expect_failures = [var.public_endpoint_cidrs]
}

run "public_endpoint_never_world" {
  command = plan

  variables {
    allow_public_endpoint = true
    public_endpoint_cidrs = ["0.0.0.0/0"]
  }

  expect_failures = [var.public_endpoint_cidrs]
}

run "public_endpoint_allow_listed" {
  command = plan

  variables {
    allow_public_endpoint = true
    public_endpoint_cidrs = ["203.0.113.0/24"]
  }

  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].endpoint_public_access && aws_eks_cluster.this.vpc_config[0].public_access_cidrs == toset(["203.0.113.0/24"])
    error_message = "The switch opens the endpoint to the allow-list only."
  }
}

run "node_group_sizes_and_architecture" {
  command = plan

  variables {
    node_groups = {
      web = { instance_types = ["m7i.large"], min_size = 1, desired_size = 3, max_size = 2 }
    }
  }

  expect_failures = [var.node_groups]
}

run "spot_x86_node_group" {
  command = plan

  variables {
    node_groups = {
      web = { instance_types = ["m7i.large", "m6a.large"], ami_type = "AL2023_x86_64_STANDARD", capacity_type = "SPOT", min_size = 1, desired_size = 1, max_size = 3 }
    }
  }

  assert {
    condition     = aws_eks_node_group.this["web"].capacity_type == "SPOT"
    error_message = "Spot node groups are supported."
  }
}

run "node_internet_egress_refused" {
  command = plan

  variables {
    node_egress_rules = {
      all = { description = "everything", ip_protocol = "-1", cidr_ipv4 = "0.0.0.0/0" }
    }
  }

  expect_failures = [var.node_egress_rules]
}

run "at_least_one_node_group" {
  command = plan

  variables {
    node_groups = {}
  }

  expect_failures = [var.node_groups]
}

run "roles_live_under_the_boundary_path" {
  command = plan

  assert {
    condition     = alltrue([for r in [aws_iam_role.cluster, aws_iam_role.node, aws_iam_role.ebs_csi] : r.path == "/platform/"])
    error_message = "Every role lies under /platform/, the only path the boundary lets the apply role create and pass."
  }
}

run "iam_path_must_be_a_path" {
  command = plan

  variables {
    iam_path = "platform"
  }

  expect_failures = [var.iam_path]
}

run "assumed_role_session_is_not_an_access_entry" {
  command = plan

  variables {
    access_entries = {
      me = { principal_arn = "arn:aws:sts::111122223333:assumed-role/platform-admins/jane" }
    }
  }

  expect_failures = [var.access_entries]
}

run "nodes_reach_the_aws_apis_through_the_vpc_endpoints" {
  command = plan

  assert {
    condition     = aws_vpc_security_group_egress_rule.node_to_endpoints[0].referenced_security_group_id == var.vpc_endpoint_security_group_id && aws_vpc_security_group_egress_rule.node_to_endpoints[0].from_port == 443
    error_message = "Nodes get HTTPS egress to the interface endpoints' security group."
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.node_to_s3[0].prefix_list_id == var.s3_prefix_list_id
    error_message = "Nodes get HTTPS egress to the S3 gateway endpoint's prefix list."
  }
}

run "nodes_without_any_way_to_the_aws_apis_are_rejected" {
  command = plan

  variables {
    vpc_endpoint_security_group_id = null
  }

  expect_failures = [var.vpc_endpoint_security_group_id]
}

run "nodes_may_reach_the_apis_through_nat_instead" {
  command = plan

  variables {
    vpc_endpoint_security_group_id = null
    allow_internet_egress          = true
    node_egress_rules = {
      https = { description = "HTTPS through NAT", from_port = 443, to_port = 443, cidr_ipv4 = "0.0.0.0/0" }
    }
  }

  assert {
    condition     = length(aws_vpc_security_group_egress_rule.node_to_endpoints) == 0 && aws_vpc_security_group_egress_rule.node_extra["https"].cidr_ipv4 == "0.0.0.0/0"
    error_message = "Without endpoints, an explicit HTTPS egress rule is enough."
  }
}

run "kubeconfig_uses_short_lived_tokens" {
  command = plan

  override_resource {
    target          = aws_eks_cluster.this
    override_during = plan
    values = {
      endpoint              = "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com"
      certificate_authority = [{ data = "Q0EK" }]
    }
  }
  override_data {
    target          = data.aws_region.current
    override_during = plan
    values          = { region = "eu-west-1" }
  }

  assert {
    condition     = yamldecode(output.kubeconfig).users[0].user.exec.args == ["--region", "eu-west-1", "eks", "get-token", "--cluster-name", "web-dev", "--output", "json"] && yamldecode(output.kubeconfig).clusters[0].cluster.server == "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com"
    error_message = "The kubeconfig authenticates with aws eks get-token, never a static token."
  }
}

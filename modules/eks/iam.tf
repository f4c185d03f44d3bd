# IAM roles the cluster needs: the control-plane role, the node role and the EBS CSI
# driver's IRSA role. Every one carries the permissions boundary.

data "aws_iam_policy_document" "cluster_assume" {
  statement {
    sid     = "EKSClusterAssumeRole"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name_prefix          = "${substr(var.name, 0, 28)}-cluster-"
  path                 = var.iam_path
  description          = "EKS control plane of ${var.name}"
  assume_role_policy   = data.aws_iam_policy_document.cluster_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

# Secrets envelope encryption: the control plane uses the cluster role on the CMK, and only on it.
data "aws_iam_policy_document" "cluster_encryption" {
  statement {
    sid       = "EnvelopeEncryptionWithCMK"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "cluster_encryption" {
  name   = "cluster-encryption"
  role   = aws_iam_role.cluster.id
  policy = data.aws_iam_policy_document.cluster_encryption.json
}

data "aws_iam_policy_document" "node_assume" {
  statement {
    sid     = "EC2AssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name_prefix          = "${substr(var.name, 0, 28)}-node-"
  path                 = var.iam_path
  description          = "EKS managed nodes of ${var.name}"
  assume_role_policy   = data.aws_iam_policy_document.node_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

locals {
  node_policy_arns = merge(
    {
      worker = "arn:${local.partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy"
      cni    = "arn:${local.partition}:iam::aws:policy/AmazonEKS_CNI_Policy"
      ecr    = "arn:${local.partition}:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"
    },
    var.node_ssm_access ? { ssm = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore" } : {},
    var.node_iam_role_policy_arns,
  )
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = local.node_policy_arns

  role       = aws_iam_role.node.name
  policy_arn = each.value
}

# EBS CSI driver: IRSA role bound to exactly its controller service account.
data "aws_iam_policy_document" "ebs_csi_assume" {
  statement {
    sid     = "EBSCSIControllerIRSA"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.this.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer_host}:sub"
      values   = ["system:serviceaccount:kube-system:ebs-csi-controller-sa"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "ebs_csi" {
  name_prefix          = "${substr(var.name, 0, 28)}-ebscsi-"
  path                 = var.iam_path
  description          = "EBS CSI driver controller of ${var.name} (IRSA)"
  assume_role_policy   = data.aws_iam_policy_document.ebs_csi_assume.json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "ebs_csi" {
  role       = aws_iam_role.ebs_csi.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

# Persistent volumes are encrypted with the CMK, so the driver needs that one key (and only it).
data "aws_iam_policy_document" "ebs_csi_kms" {
  statement {
    sid       = "UseKeyForVolumes"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "GrantsForAttachedVolumes"
    actions   = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
    resources = [var.kms_key_arn]

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

resource "aws_iam_role_policy" "ebs_csi_kms" {
  name   = "ebs-csi-kms"
  role   = aws_iam_role.ebs_csi.id
  policy = data.aws_iam_policy_document.ebs_csi_kms.json
}

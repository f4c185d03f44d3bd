# Instance profile: either one passed in (e.g. from the iam module) or an SSM-ready role
# created here, always under a permissions boundary.

data "aws_partition" "current" {}

locals {
  create_instance_profile = var.instance_profile_name == ""
  instance_profile_name   = local.create_instance_profile ? aws_iam_instance_profile.this[0].name : var.instance_profile_name

  # Static keys so policy ARNs from other modules may be unknown until apply.
  role_policy_arns = merge(
    { ssm_core = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore" },
    var.iam_role_policy_arns,
  )
}

data "aws_iam_policy_document" "assume" {
  count = local.create_instance_profile ? 1 : 0

  statement {
    sid     = "EC2AssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  count = local.create_instance_profile ? 1 : 0

  name_prefix          = "${substr(var.name, 0, 30)}-"
  path                 = var.iam_path
  description          = "Role of the ${var.name} backend hosts (SSM-managed)"
  assume_role_policy   = data.aws_iam_policy_document.assume[0].json
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = local.create_instance_profile ? local.role_policy_arns : {}

  role       = aws_iam_role.this[0].name
  policy_arn = each.value
}

resource "aws_iam_instance_profile" "this" {
  count = local.create_instance_profile ? 1 : 0

  name_prefix = "${substr(var.name, 0, 30)}-"
  path        = var.iam_path
  role        = aws_iam_role.this[0].name

  tags = local.tags
}

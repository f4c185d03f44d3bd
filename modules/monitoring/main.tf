locals {
  tags = merge(var.tags, { managed_by = "terraform", module = "platform/monitoring" })

  severities = toset(["critical", "warning", "info"])

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  # Trusted Advisor results arrive through EventBridge, which must then be allowed to publish.
  topic_publishers = setunion(var.topic_publisher_services, var.trusted_advisor_alerts == null ? [] : ["events.amazonaws.com"])
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

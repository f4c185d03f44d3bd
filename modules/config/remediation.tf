# Automatic remediation through AWS-owned SSM Automation documents, one switch per rule
# (var.remediation). A remediation is only created when its rule exists.
locals {
  remediation_catalog = {
    "s3-bucket-public-read-prohibited" = {
      enabled    = var.remediation.s3_bucket_public_read_prohibited
      document   = "AWSConfigRemediation-ConfigureS3BucketPublicAccessBlock"
      target_key = "BucketName"
      static = {
        BlockPublicAcls       = "true"
        IgnorePublicAcls      = "true"
        BlockPublicPolicy     = "true"
        RestrictPublicBuckets = "true"
      }
    }
    "s3-bucket-public-write-prohibited" = {
      enabled    = var.remediation.s3_bucket_public_write_prohibited
      document   = "AWSConfigRemediation-ConfigureS3BucketPublicAccessBlock"
      target_key = "BucketName"
      static = {
        BlockPublicAcls       = "true"
        IgnorePublicAcls      = "true"
        BlockPublicPolicy     = "true"
        RestrictPublicBuckets = "true"
      }
    }
    "s3-bucket-ssl-requests-only" = {
      enabled    = var.remediation.s3_bucket_ssl_requests_only
      document   = "AWSConfigRemediation-RestrictBucketSSLRequestsOnly"
      target_key = "BucketName"
      static     = {}
    }
    "restricted-ssh" = {
      enabled    = var.remediation.restricted_ssh
      document   = "AWS-DisableIncomingSSHOnPort22"
      target_key = "SecurityGroupIds"
      static     = {}
    }
    "rds-instance-public-access-check" = {
      enabled    = var.remediation.rds_instance_public_access_check
      document   = "AWSConfigRemediation-DisablePublicAccessToRDSInstance"
      target_key = "DbiResourceId"
      static     = {}
    }
  }

  remediations = { for k, r in local.remediation_catalog : k => r if r.enabled && contains(keys(local.rules), k) }

  remediation_s3_pab = length(setintersection(keys(local.remediations), ["s3-bucket-public-read-prohibited", "s3-bucket-public-write-prohibited"])) > 0
}

resource "aws_config_remediation_configuration" "this" {
  for_each = local.remediations

  config_rule_name = aws_config_config_rule.this[each.key].name
  target_type      = "SSM_DOCUMENT"
  target_id        = each.value.document

  automatic                  = true
  maximum_automatic_attempts = var.remediation_retry.max_attempts
  retry_attempt_seconds      = var.remediation_retry.retry_seconds

  parameter {
    name         = "AutomationAssumeRole"
    static_value = aws_iam_role.remediation[0].arn
  }

  parameter {
    name           = each.value.target_key
    resource_value = "RESOURCE_ID"
  }

  dynamic "parameter" {
    for_each = each.value.static
    content {
      name         = parameter.key
      static_value = parameter.value
    }
  }

  execution_controls {
    ssm_controls {
      concurrent_execution_rate_percentage = 10
      error_percentage                     = 10
    }
  }
}

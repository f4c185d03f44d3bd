output "bucket_name" {
  description = "Name (id) of the bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the bucket; append /* for object ARNs in IAM policies."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket (use it, not the global name, for CloudFront origins and VPC endpoint access)."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "bucket_policy" {
  description = "The bucket policy JSON that was applied (deny non-TLS, deny TLS < 1.2, deny wrong encryption, plus policy_statements)."
  value       = data.aws_iam_policy_document.bucket.json
}

output "kms_key_arn" {
  description = "ARN of the KMS key used for default encryption (echo of the input, for wiring IAM policies)."
  value       = var.kms_key_arn
}

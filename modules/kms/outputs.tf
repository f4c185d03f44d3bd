output "key_arn" {
  description = "ARN of the customer-managed key; pass it to other modules' kms_key_arn inputs."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "Globally unique id of the key."
  value       = aws_kms_key.this.key_id
}

output "alias_name" {
  description = "Alias of the key (alias/<name>)."
  value       = aws_kms_alias.this.name
}

output "alias_arn" {
  description = "ARN of the key alias."
  value       = aws_kms_alias.this.arn
}

output "key_policy" {
  description = "The key policy JSON that was applied, for review and audits."
  value       = data.aws_iam_policy_document.key.json
}

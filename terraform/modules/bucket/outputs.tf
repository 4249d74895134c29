output "bucket_name" {
  description = "Name of the exports and backups bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the exports and backups bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket (for clients that need an endpoint)."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "kms_key_arn" {
  description = "ARN of the KMS key of the bucket's default encryption; writers and readers need kms:GenerateDataKey and kms:Decrypt on it."
  value       = local.kms_key_arn
}

output "access_log_bucket_name" {
  description = "Bucket receiving the server access logs."
  value       = local.log_bucket_name
}

output "object_lock_enabled" {
  description = "Whether the bucket has S3 Object Lock."
  value       = aws_s3_bucket.this.object_lock_enabled
}

output "db_address" {
  description = "Host name of the PostgreSQL instance."
  value       = module.postgres.address
}

output "db_port" {
  description = "Port of the PostgreSQL instance."
  value       = module.postgres.port
}

output "db_endpoint" {
  description = "host:port of the PostgreSQL instance."
  value       = module.postgres.endpoint
}

output "db_instance_identifier" {
  description = "Identifier of the RDS instance."
  value       = module.postgres.instance_identifier
}

output "db_name" {
  description = "Name of the InsightVault database (created after apply by the master user, terraform/README.md)."
  value       = var.database_name
}

output "db_master_username" {
  description = "RDS master user, used once to create the InsightVault roles and database."
  value       = module.postgres.master_username
}

output "db_master_user_secret_arn" {
  description = "Secrets Manager secret holding the master user's password (managed and rotated by RDS)."
  value       = module.postgres.master_user_secret_arn
}

output "db_max_connections" {
  description = "max_connections of the parameter group."
  value       = module.postgres.max_connections
}

output "db_ca_cert_identifier" {
  description = "Certificate authority of the RDS server certificate; the InsightVault image must trust it."
  value       = module.postgres.ca_cert_identifier
}

output "owner_db_password" {
  description = "Password to give insightvault_owner when creating it (given or generated)."
  value       = local.owner_password
  sensitive   = true
}

output "app_db_password" {
  description = "Password to give insightvault_app when creating it (given or generated)."
  value       = local.app_password
  sensitive   = true
}

output "bucket_name" {
  description = "Name of the exports and backups bucket."
  value       = module.bucket.bucket_name
}

output "bucket_arn" {
  description = "ARN of the exports and backups bucket."
  value       = module.bucket.bucket_arn
}

output "bucket_kms_key_arn" {
  description = "KMS key of the bucket's default encryption (writers need kms:GenerateDataKey, readers kms:Decrypt)."
  value       = module.bucket.kms_key_arn
}

output "access_log_bucket_name" {
  description = "Bucket receiving the bucket's server access logs."
  value       = module.bucket.access_log_bucket_name
}

output "k8s_namespace" {
  description = "Kubernetes namespace of InsightVault."
  value       = module.kubernetes.namespace
}

output "k8s_secret_name" {
  description = "Kubernetes Secret with DATABASE_URL, APP_DATABASE_URL, IV_JWT_KEYS and IV_SMTP_URL."
  value       = module.kubernetes.secret_name
}

output "k8s_config_map_name" {
  description = "ConfigMap of non-secret settings, or null when app_config is empty."
  value       = module.kubernetes.config_map_name
}

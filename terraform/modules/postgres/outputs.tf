output "address" {
  description = "Host name of the instance (the DNS name clients connect to)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the instance (5432)."
  value       = aws_db_instance.this.port
}

output "endpoint" {
  description = "host:port of the instance."
  value       = aws_db_instance.this.endpoint
}

output "instance_identifier" {
  description = "Identifier of the RDS instance."
  value       = aws_db_instance.this.identifier
}

output "instance_arn" {
  description = "ARN of the RDS instance."
  value       = aws_db_instance.this.arn
}

output "master_username" {
  description = "Name of the RDS master user (provisions the InsightVault roles once)."
  value       = aws_db_instance.this.username
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret in which RDS keeps the master user's password (rotated by RDS)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting storage, Performance Insights, the master-user secret and the log groups."
  value       = local.kms_key_arn
}

output "security_group_id" {
  description = "Security group of the instance (port 5432 from the allowed ranges and groups)."
  value       = aws_security_group.this.id
}

output "parameter_group_name" {
  description = "Name of the postgres15 parameter group."
  value       = aws_db_parameter_group.this.name
}

output "max_connections" {
  description = "max_connections set in the parameter group: app_max_pods x (db_pool_size + report_concurrency + 2) + connection_headroom."
  value       = local.max_connections
}

output "ca_cert_identifier" {
  description = "Certificate authority of the server certificate; the InsightVault image must trust it."
  value       = aws_db_instance.this.ca_cert_identifier
}

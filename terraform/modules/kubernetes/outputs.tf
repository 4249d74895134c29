output "namespace" {
  description = "Namespace holding the Secret (and the ConfigMap)."
  value       = local.namespace
}

output "secret_name" {
  description = "Name of the Secret with DATABASE_URL, APP_DATABASE_URL, IV_JWT_KEYS and IV_SMTP_URL."
  value       = kubernetes_secret_v1.this.metadata[0].name
}

output "secret_keys" {
  description = "Keys of the Secret (its values are sensitive and not output)."
  value       = ["DATABASE_URL", "APP_DATABASE_URL", "IV_JWT_KEYS", "IV_SMTP_URL"]
}

output "config_map_name" {
  description = "Name of the ConfigMap of non-secret settings, or null when config is empty."
  value       = length(var.config) > 0 ? kubernetes_config_map_v1.this[0].metadata[0].name : null
}

output "jwt_keys" {
  description = "IV_JWT_KEYS as written into the Secret (given or generated)."
  value       = local.jwt_keys
  sensitive   = true
}

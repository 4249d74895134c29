variable "namespace" {
  description = "Kubernetes namespace of InsightVault (a DNS-1123 label)."
  type        = string
  default     = "insightvault"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS-1123 label: at most 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "create_namespace" {
  description = "Create the namespace here (with the Pod Security labels of pod_security_level). false when something else owns it, such as the Kustomize base in deploy/k8s/; it must then exist before apply."
  type        = bool
  default     = true
}

variable "pod_security_level" {
  description = "Pod Security Standard enforced on a namespace created here (pod-security.kubernetes.io/enforce, also audit and warn). InsightVault runs under restricted."
  type        = string
  default     = "restricted"

  validation {
    condition     = contains(["restricted", "baseline", "privileged"], var.pod_security_level)
    error_message = "pod_security_level must be restricted, baseline or privileged."
  }
}

variable "secret_name" {
  description = "Name of the Secret the server's pods read DATABASE_URL, APP_DATABASE_URL, IV_JWT_KEYS and IV_SMTP_URL from (the manifests in deploy/k8s/ expect insightvault-secrets)."
  type        = string
  default     = "insightvault-secrets"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.secret_name))
    error_message = "secret_name must be a DNS-1123 subdomain: lower-case letters, digits, hyphens and dots, at most 253 characters."
  }
}

variable "database_url" {
  description = "DATABASE_URL: the owner role's URL (it runs the migrations), postgres://insightvault_owner:<password>@<host>:5432/insightvault?sslmode=require. TLS must stay on (no sslmode disable, allow or prefer)."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^postgres(ql)?://[^:/@?#]+:[^@/?#]+@[^:/@?#]+(:[0-9]{1,5})?/[^/?#]+(\\?.*)?$", var.database_url)) && !can(regex("sslmode=(disable|allow|prefer)", var.database_url))
    error_message = "database_url must look like postgres://user:password@host:port/database?sslmode=require (with a password, and TLS on)."
  }
}

variable "app_database_url" {
  description = "APP_DATABASE_URL: the application role's URL, postgres://insightvault_app:<password>@<host>:5432/insightvault?sslmode=require (never the owner, a superuser or a BYPASSRLS role). TLS must stay on."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^postgres(ql)?://insightvault_app:[^@/?#]+@[^:/@?#]+(:[0-9]{1,5})?/[^/?#]+(\\?.*)?$", var.app_database_url)) && !can(regex("sslmode=(disable|allow|prefer)", var.app_database_url))
    error_message = "app_database_url must look like postgres://insightvault_app:password@host:port/database?sslmode=require (the insightvault_app role, with a password, TLS on)."
  }
}

variable "jwt_keys" {
  description = "IV_JWT_KEYS, comma-separated kid:base64secret pairs (each secret at least 32 bytes; the first signs, the others still verify, for rotation). null generates one 32-byte key named jwt_key_id with the random provider."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = var.jwt_keys == null || can(regex("^[A-Za-z0-9._-]{1,100}:[A-Za-z0-9+/]{43,}={0,2}(,[A-Za-z0-9._-]{1,100}:[A-Za-z0-9+/]{43,}={0,2})*$", var.jwt_keys))
    error_message = "jwt_keys must be null or kid:base64secret[,kid:base64secret...] with secrets of at least 32 bytes (openssl rand -base64 32)."
  }
}

variable "smtp_url" {
  description = "IV_SMTP_URL, smtp://[user:password@]host[:port] of the mail relay (invitations, email verification, password reset). Empty: no mail (the server treats an empty value as unset)."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = var.smtp_url == "" || can(regex("^smtp://([^@/]+@)?[^:/@]+(:[0-9]{1,5})?/?$", var.smtp_url))
    error_message = "smtp_url must be empty or smtp://[user:password@]host[:port] (smtps:// is not supported)."
  }
}

variable "jwt_key_id" {
  description = "Key id (kid) of the generated session key, used when jwt_keys is null. Changing it generates a new key, which ends every session."
  type        = string
  default     = "k1"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,100}$", var.jwt_key_id))
    error_message = "jwt_key_id must be 1-100 letters, digits, dots, underscores or hyphens."
  }
}

variable "config" {
  description = "Non-secret settings (README, Configuration: IV_PUBLIC_URL, IV_TRUSTED_PROXIES, LOG_LEVEL, ...) for a ConfigMap named config_map_name; empty (the default) creates none. The Kustomize overlays in deploy/k8s/ generate their own insightvault-config, so leave it empty with them. Secrets (database URLs, IV_JWT_KEYS, IV_SMTP_URL) belong in the Secret."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for key in keys(var.config) : can(regex("^[A-Z][A-Z0-9_]*$", key)) && !contains(["DATABASE_URL", "APP_DATABASE_URL", "IV_JWT_KEYS", "IV_SMTP_URL"], key)
    ])
    error_message = "config keys must be environment variable names (upper case, digits, underscores) and not DATABASE_URL, APP_DATABASE_URL, IV_JWT_KEYS or IV_SMTP_URL, which are secrets."
  }
}

variable "config_map_name" {
  description = "Name of the ConfigMap of non-secret settings (created only when config is not empty)."
  type        = string
  default     = "insightvault-config"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.config_map_name))
    error_message = "config_map_name must be a DNS-1123 subdomain: lower-case letters, digits, hyphens and dots, at most 253 characters."
  }
}

variable "labels" {
  description = "Labels added to the namespace, the Secret and the ConfigMap."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for key, value in var.labels : can(regex("^([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$", key)) && can(regex("^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$", value))])
    error_message = "labels must be valid Kubernetes label keys (optional prefix/, then 1-63 characters) and values (at most 63 characters)."
  }
}

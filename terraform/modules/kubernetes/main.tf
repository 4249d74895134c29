# The Kubernetes side of InsightVault that holds secrets: the Secret insightvault-secrets (DATABASE_URL,
# APP_DATABASE_URL, IV_JWT_KEYS, IV_SMTP_URL), optionally the namespace and a ConfigMap of non-secret settings. The
# Deployment, the migrate Job and the rest come from the manifests in deploy/k8s/ and read the Secret by name.
#
# The Secret's values are in the Terraform state (as every value Terraform writes is): keep the state in an encrypted,
# access-controlled backend (backend.tf.example).

locals {
  common_labels = merge(var.labels, {
    "app.kubernetes.io/name"       = "insightvault"
    "app.kubernetes.io/part-of"    = "insightvault"
    "app.kubernetes.io/managed-by" = "terraform"
  })

  namespace = var.create_namespace ? kubernetes_namespace_v1.this[0].metadata[0].name : var.namespace

  # kid:base64secret, the format of IV_JWT_KEYS (README, Configuration): 32 random bytes, as the server itself
  # generates for the embedded mode.
  generated_jwt_keys = "${var.jwt_key_id}:${random_bytes.jwt_key.base64}"
  jwt_keys           = var.jwt_keys != null ? var.jwt_keys : local.generated_jwt_keys
}

resource "kubernetes_namespace_v1" "this" {
  count = var.create_namespace ? 1 : 0

  metadata {
    name = var.namespace
    labels = merge(local.common_labels, {
      "pod-security.kubernetes.io/enforce" = var.pod_security_level
      "pod-security.kubernetes.io/audit"   = var.pod_security_level
      "pod-security.kubernetes.io/warn"    = var.pod_security_level
    })
  }
}

# Always generated (a few bytes of state), used only when jwt_keys is null: a count on the sensitive jwt_keys is
# not allowed. A new jwt_key_id makes a new key.
resource "random_bytes" "jwt_key" {
  length = 32

  keepers = {
    kid = var.jwt_key_id
  }
}

resource "kubernetes_secret_v1" "this" {
  metadata {
    name      = var.secret_name
    namespace = local.namespace
    labels    = local.common_labels
  }

  type = "Opaque"

  data = {
    DATABASE_URL     = var.database_url
    APP_DATABASE_URL = var.app_database_url
    IV_JWT_KEYS      = local.jwt_keys
    IV_SMTP_URL      = var.smtp_url
  }
}

resource "kubernetes_config_map_v1" "this" {
  count = length(var.config) > 0 ? 1 : 0

  metadata {
    name      = var.config_map_name
    namespace = local.namespace
    labels    = local.common_labels
  }

  data = var.config
}

# --- Where ---

variable "aws_region" {
  description = "AWS region of the database and the bucket, e.g. eu-central-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be an AWS region name such as eu-central-1."
  }
}

variable "environment" {
  description = "Environment name (prod, staging, ...): names the RDS instance insightvault-<environment> and tags every AWS resource."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,19}$", var.environment)) && !endswith(var.environment, "-") && !strcontains(var.environment, "--")
    error_message = "environment must be 1-20 lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "tags" {
  description = "Tags on every AWS resource (the provider's default_tags), on top of Application, Environment and ManagedBy."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for key, value in var.tags : length(key) >= 1 && length(key) <= 128 && length(value) <= 256 && !startswith(lower(key), "aws:")])
    error_message = "tags keys must be 1-128 characters, values at most 256, and no key may start with aws:."
  }
}

# --- Network ---

variable "vpc_id" {
  description = "VPC of the Kubernetes cluster and the database."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets of the VPC (at least two, in different availability zones) for the database."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for id in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "private_subnet_ids must list at least two subnet ids such as subnet-0123456789abcdef0."
  }
}

variable "db_allowed_cidr_blocks" {
  description = "CIDR ranges allowed to reach PostgreSQL on 5432, e.g. the subnets of the cluster's nodes or pods. Never 0.0.0.0/0."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.db_allowed_cidr_blocks : can(cidrhost(cidr, 0)) && !contains(["0.0.0.0/0", "::/0"], cidr)])
    error_message = "db_allowed_cidr_blocks must be CIDR ranges such as 10.0.0.0/16, none of them 0.0.0.0/0 or ::/0."
  }
}

variable "db_allowed_security_group_ids" {
  description = "Security groups allowed to reach PostgreSQL on 5432, e.g. the EKS cluster security group of the nodes running InsightVault."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.db_allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "db_allowed_security_group_ids must be security group ids such as sg-0123456789abcdef0."
  }
}

# --- PostgreSQL ---

variable "db_instance_class" {
  description = "RDS instance class of PostgreSQL, e.g. db.m6g.large."
  type        = string
  default     = "db.m6g.large"

  validation {
    condition     = can(regex("^db\\.[a-z0-9-]+\\.[a-z0-9]+$", var.db_instance_class))
    error_message = "db_instance_class must be an RDS instance class such as db.m6g.large (it starts with \"db.\")."
  }
}

variable "db_engine_version" {
  description = "PostgreSQL version: \"15\" (RDS keeps it on the newest 15.x minor version) or a 15.x minor version."
  type        = string
  default     = "15"

  validation {
    condition     = can(regex("^15(\\.[0-9]+)?$", var.db_engine_version))
    error_message = "db_engine_version must be \"15\" or a 15.x minor version."
  }
}

variable "db_multi_az" {
  description = "Synchronous standby in a second availability zone (recommended for production)."
  type        = bool
  default     = true
}

variable "db_allocated_storage" {
  description = "Initial database storage in GiB."
  type        = number
  default     = 100

  validation {
    condition     = var.db_allocated_storage >= 20 && var.db_allocated_storage <= 65536 && floor(var.db_allocated_storage) == var.db_allocated_storage
    error_message = "db_allocated_storage must be a whole number of GiB between 20 and 65536."
  }
}

variable "db_max_allocated_storage" {
  description = "Upper limit in GiB for storage autoscaling (larger than db_allocated_storage)."
  type        = number
  default     = 1000

  validation {
    condition     = var.db_max_allocated_storage >= 21 && var.db_max_allocated_storage <= 65536 && floor(var.db_max_allocated_storage) == var.db_max_allocated_storage
    error_message = "db_max_allocated_storage must be a whole number of GiB between 21 and 65536."
  }
}

variable "db_backup_retention_days" {
  description = "Days of automated backups and point-in-time recovery."
  type        = number
  default     = 14

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35 && floor(var.db_backup_retention_days) == var.db_backup_retention_days
    error_message = "db_backup_retention_days must be a whole number of days from 1 to 35."
  }
}

variable "db_kms_key_arn" {
  description = "Existing KMS key for the database (storage, Performance Insights, master-user secret, log groups); null creates one."
  type        = string
  default     = null

  validation {
    condition     = var.db_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.db_kms_key_arn))
    error_message = "db_kms_key_arn must be null or a KMS key ARN."
  }
}

variable "db_monitoring_interval" {
  description = "Seconds between Enhanced Monitoring samples; 0 turns Enhanced Monitoring off."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.db_monitoring_interval)
    error_message = "db_monitoring_interval must be one of 0, 1, 5, 10, 15, 30 or 60."
  }
}

variable "db_iam_authentication_enabled" {
  description = "Allow IAM authentication tokens for database roles granted rds_iam (people and tools; the server uses passwords)."
  type        = bool
  default     = true
}

variable "database_name" {
  description = "Name of the InsightVault database, created by the master user for the owner role after the instance is up (terraform/README.md)."
  type        = string
  default     = "insightvault"

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]{0,62}$", var.database_name)) && !contains(["postgres", "rdsadmin", "template0", "template1"], var.database_name)
    error_message = "database_name must be 1-63 lower-case letters, digits and underscores, not starting with a digit, and not postgres, rdsadmin, template0 or template1."
  }
}

variable "owner_db_password" {
  description = "Password of insightvault_owner (DATABASE_URL). null generates one (terraform output -raw owner_db_password). 16-128 characters that need no escaping in a URL or SQL literal: letters, digits and _.~-."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = var.owner_db_password == null || can(regex("^[A-Za-z0-9_.~-]{16,128}$", var.owner_db_password))
    error_message = "owner_db_password must be null or 16-128 letters, digits and _.~- characters."
  }
}

variable "app_db_password" {
  description = "Password of insightvault_app (APP_DATABASE_URL). null generates one (terraform output -raw app_db_password). 16-128 characters: letters, digits and _.~-."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = var.app_db_password == null || can(regex("^[A-Za-z0-9_.~-]{16,128}$", var.app_db_password))
    error_message = "app_db_password must be null or 16-128 letters, digits and _.~- characters."
  }
}

# --- Connection sizing (max_connections = app_max_pods x (db_pool_size + report_concurrency + 2) + headroom) ---

variable "app_max_pods" {
  description = "Most InsightVault server pods at once: the HorizontalPodAutoscaler's maxReplicas (or replicas) plus the rolling update's maxSurge."
  type        = number
  default     = 4

  validation {
    condition     = var.app_max_pods >= 1 && var.app_max_pods <= 200 && floor(var.app_max_pods) == var.app_max_pods
    error_message = "app_max_pods must be a whole number from 1 to 200."
  }
}

variable "db_pool_size" {
  description = "IV_DB_POOL_SIZE of the deployed servers (default 20)."
  type        = number
  default     = 20

  validation {
    condition     = var.db_pool_size >= 1 && var.db_pool_size <= 500 && floor(var.db_pool_size) == var.db_pool_size
    error_message = "db_pool_size must be a whole number from 1 to 500."
  }
}

variable "report_concurrency" {
  description = "IV_REPORT_CONCURRENCY of the deployed servers (default 4)."
  type        = number
  default     = 4

  validation {
    condition     = var.report_concurrency >= 1 && var.report_concurrency <= 100 && floor(var.report_concurrency) == var.report_concurrency
    error_message = "report_concurrency must be a whole number from 1 to 100."
  }
}

variable "db_connection_headroom" {
  description = "Connections beyond the servers' pools: RDS's reserved slots, the migrate Job, one-off CLI pods, psql and monitoring."
  type        = number
  default     = 40

  validation {
    condition     = var.db_connection_headroom >= 10 && var.db_connection_headroom <= 1000 && floor(var.db_connection_headroom) == var.db_connection_headroom
    error_message = "db_connection_headroom must be a whole number from 10 to 1000."
  }
}

# --- Bucket ---

variable "bucket_name" {
  description = "Name of the S3 bucket for exports and backups (globally unique, at most 58 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,56}[a-z0-9]$", var.bucket_name)) && !strcontains(var.bucket_name, "--")
    error_message = "bucket_name must be 3-58 lower-case letters, digits and single hyphens, starting and ending with a letter or digit."
  }
}

variable "bucket_kms_key_arn" {
  description = "Existing KMS key for the bucket's SSE-KMS encryption; null creates one."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.bucket_kms_key_arn))
    error_message = "bucket_kms_key_arn must be null or a KMS key ARN."
  }
}

variable "access_log_bucket_name" {
  description = "Existing bucket for the S3 server access logs (SSE-S3, accepting delivery from logging.s3.amazonaws.com); null creates \"<bucket_name>-logs\"."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket_name))
    error_message = "access_log_bucket_name must be null or a valid bucket name."
  }
}

variable "bucket_noncurrent_version_expiration_days" {
  description = "Days old versions of overwritten or deleted objects are kept."
  type        = number
  default     = 90

  validation {
    condition     = var.bucket_noncurrent_version_expiration_days >= 1 && var.bucket_noncurrent_version_expiration_days <= 3650 && floor(var.bucket_noncurrent_version_expiration_days) == var.bucket_noncurrent_version_expiration_days
    error_message = "bucket_noncurrent_version_expiration_days must be a whole number of days from 1 to 3650."
  }
}

variable "bucket_object_lock_enabled" {
  description = "Create the bucket with S3 Object Lock (GOVERNANCE mode) so that backups cannot be deleted early. Only possible when the bucket is created."
  type        = bool
  default     = false
}

variable "bucket_object_lock_retention_days" {
  description = "Default Object Lock retention in days (with bucket_object_lock_enabled)."
  type        = number
  default     = 30

  validation {
    condition     = var.bucket_object_lock_retention_days >= 1 && var.bucket_object_lock_retention_days <= 36500 && floor(var.bucket_object_lock_retention_days) == var.bucket_object_lock_retention_days
    error_message = "bucket_object_lock_retention_days must be a whole number of days from 1 to 36500."
  }
}

# --- Kubernetes ---

variable "kubeconfig_path" {
  description = "kubeconfig file for the cluster InsightVault runs in."
  type        = string
  default     = "~/.kube/config"

  validation {
    condition     = length(trimspace(var.kubeconfig_path)) > 0
    error_message = "kubeconfig_path must not be empty."
  }
}

variable "kubeconfig_context" {
  description = "Context of the kubeconfig to use; null uses its current context."
  type        = string
  default     = null

  validation {
    condition     = var.kubeconfig_context == null || length(trimspace(coalesce(var.kubeconfig_context, " "))) > 0
    error_message = "kubeconfig_context must be null or a non-empty context name."
  }
}

variable "k8s_namespace" {
  description = "Namespace of InsightVault in the cluster."
  type        = string
  default     = "insightvault"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.k8s_namespace))
    error_message = "k8s_namespace must be a DNS-1123 label (at most 63 lower-case letters, digits and hyphens)."
  }
}

variable "create_k8s_namespace" {
  description = "Create the namespace here (restricted Pod Security Standard). false (the default): the Kustomize base in deploy/k8s/ owns the namespace, which must exist before apply (terraform/README.md)."
  type        = bool
  default     = false
}

variable "jwt_keys" {
  description = "IV_JWT_KEYS (kid:base64secret,...; 32-byte secrets). null generates one key with the random provider; pass an explicit list to rotate without ending sessions."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = var.jwt_keys == null || can(regex("^[A-Za-z0-9._-]{1,100}:[A-Za-z0-9+/]{43,}={0,2}(,[A-Za-z0-9._-]{1,100}:[A-Za-z0-9+/]{43,}={0,2})*$", var.jwt_keys))
    error_message = "jwt_keys must be null or kid:base64secret[,...] with secrets of at least 32 bytes."
  }
}

variable "smtp_url" {
  description = "IV_SMTP_URL for the Secret: smtp://[user:password@]host[:port] of the mail relay. Empty: no mail."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = var.smtp_url == "" || can(regex("^smtp://([^@/]+@)?[^:/@]+(:[0-9]{1,5})?/?$", var.smtp_url))
    error_message = "smtp_url must be empty or smtp://[user:password@]host[:port]."
  }
}

variable "app_config" {
  description = "Non-secret settings for an optional ConfigMap insightvault-config; empty (the default) creates none. Leave it empty with the Kustomize overlays of deploy/k8s/, which generate their own."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for key in keys(var.app_config) : can(regex("^[A-Z][A-Z0-9_]*$", key))])
    error_message = "app_config keys must be environment variable names (upper case, digits, underscores)."
  }
}

variable "name" {
  description = "Identifier of the RDS instance; also names its subnet group, parameter group, security group, KMS alias, log groups and monitoring role. Lower-case letters, digits and hyphens, starting with a letter."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,49}$", var.name)) && !endswith(var.name, "-") && !strcontains(var.name, "--")
    error_message = "name must be 1-50 characters of lower-case letters, digits and single hyphens, start with a letter and not end with a hyphen."
  }
}

variable "engine_version" {
  description = "PostgreSQL version. The major version alone (\"15\") lets RDS pick the newest minor version and keep upgrading it in the maintenance window (auto_minor_version_upgrade is on); InsightVault is built and tested on PostgreSQL 15."
  type        = string
  default     = "15"

  validation {
    condition     = can(regex("^15(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be \"15\" or a 15.x minor version: the parameter group family is postgres15."
  }
}

variable "instance_class" {
  description = "RDS instance class, e.g. db.m6g.large. Its memory bounds how many connections (max_connections) and concurrent reports the instance can serve."
  type        = string
  default     = "db.m6g.large"

  validation {
    condition     = can(regex("^db\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must be an RDS instance class such as db.m6g.large (it starts with \"db.\")."
  }
}

variable "allocated_storage" {
  description = "Initial storage in GiB. Storage autoscaling grows it up to max_allocated_storage."
  type        = number
  default     = 100

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536 && floor(var.allocated_storage) == var.allocated_storage
    error_message = "allocated_storage must be a whole number of GiB between 20 and 65536."
  }
}

variable "max_allocated_storage" {
  description = "Upper limit in GiB for storage autoscaling; must be larger than allocated_storage (checked by a precondition)."
  type        = number
  default     = 1000

  validation {
    condition     = var.max_allocated_storage >= 21 && var.max_allocated_storage <= 65536 && floor(var.max_allocated_storage) == var.max_allocated_storage
    error_message = "max_allocated_storage must be a whole number of GiB between 21 and 65536."
  }
}

variable "storage_type" {
  description = "EBS storage type of the instance: gp3 (default), io1 or io2."
  type        = string
  default     = "gp3"

  validation {
    condition     = contains(["gp3", "io1", "io2"], var.storage_type)
    error_message = "storage_type must be gp3, io1 or io2."
  }
}

variable "multi_az" {
  description = "Run a synchronous standby in a second availability zone. Keep it on in production: a failover then loses no acknowledged event."
  type        = bool
  default     = true
}

variable "vpc_id" {
  description = "VPC of the database's security group (the VPC of subnet_ids)."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Private subnets (at least two, in different availability zones) for the DB subnet group. The instance is never publicly accessible."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "subnet_ids must list at least two subnet ids such as subnet-0123456789abcdef0."
  }
}

variable "allowed_cidr_blocks" {
  description = "IPv4 or IPv6 CIDR ranges (e.g. the Kubernetes nodes' or pods' subnets) allowed to connect to port 5432. No range may be 0.0.0.0/0 or ::/0."
  type        = list(string)
  default     = []

  validation {
    condition = alltrue([
      for cidr in var.allowed_cidr_blocks : can(cidrhost(cidr, 0)) && !contains(["0.0.0.0/0", "::/0"], cidr)
    ])
    error_message = "allowed_cidr_blocks must be CIDR ranges such as 10.0.0.0/16, none of them 0.0.0.0/0 or ::/0."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups (e.g. the EKS cluster or node security group) allowed to connect to port 5432."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "allowed_security_group_ids must be security group ids such as sg-0123456789abcdef0."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key for storage, Performance Insights, the master-password secret and the log groups. Its key policy must let CloudWatch Logs (logs.<region>.amazonaws.com) use it. null creates a key with rotation on."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "master_username" {
  description = "Name of the RDS master user (rds_superuser). Its password is generated and kept by RDS in Secrets Manager (manage_master_user_password), never in Terraform state. It provisions the InsightVault roles once and is not what the server connects as."
  type        = string
  default     = "iv_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.master_username)) && !contains(["insightvault_owner", "insightvault_app", "rdsadmin"], var.master_username)
    error_message = "master_username must be 1-63 lower-case letters, digits or underscores starting with a letter, and not insightvault_owner, insightvault_app or rdsadmin."
  }
}

variable "backup_retention_period" {
  description = "Days of automated backups and point-in-time recovery."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_period >= 1 && var.backup_retention_period <= 35 && floor(var.backup_retention_period) == var.backup_retention_period
    error_message = "backup_retention_period must be a whole number of days from 1 to 35."
  }
}

variable "backup_window" {
  description = "Daily UTC window for automated backups, hh:mm-hh:mm; must not overlap maintenance_window."
  type        = string
  default     = "02:00-03:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.backup_window))
    error_message = "backup_window must look like 02:00-03:00 (UTC)."
  }
}

variable "maintenance_window" {
  description = "Weekly UTC window for minor-version upgrades and pending-reboot parameters, ddd:hh:mm-ddd:hh:mm."
  type        = string
  default     = "sun:03:30-sun:04:30"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must look like sun:03:30-sun:04:30 (UTC)."
  }
}

variable "final_snapshot_identifier" {
  description = "Name of the snapshot RDS takes when the instance is deleted; null means \"<name>-final\"."
  type        = string
  default     = null

  validation {
    condition     = var.final_snapshot_identifier == null || can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,254}$", var.final_snapshot_identifier))
    error_message = "final_snapshot_identifier must start with a letter and contain only letters, digits and hyphens (at most 255)."
  }
}

variable "performance_insights_retention_period" {
  description = "Days of Performance Insights history: 7 (free tier) or a multiple of 31 up to 731."
  type        = number
  default     = 7

  validation {
    condition     = var.performance_insights_retention_period == 7 || (var.performance_insights_retention_period % 31 == 0 && var.performance_insights_retention_period >= 31 && var.performance_insights_retention_period <= 731)
    error_message = "performance_insights_retention_period must be 7 or a multiple of 31 between 31 and 731."
  }
}

variable "iam_database_authentication_enabled" {
  description = "Allow IAM authentication tokens for database roles granted rds_iam (people and tools). The InsightVault server itself logs in with passwords (DATABASE_URL, APP_DATABASE_URL) either way."
  type        = bool
  default     = true
}

variable "monitoring_interval" {
  description = "Seconds between Enhanced Monitoring samples (OS metrics); 0 turns Enhanced Monitoring off and creates no monitoring role."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 0, 1, 5, 10, 15, 30 or 60."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the exported PostgreSQL and upgrade logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "ca_cert_identifier" {
  description = "RDS certificate authority of the server certificate. InsightVault verifies the server certificate against the trust store of its image, which must hold this CA (the RDS CA bundle)."
  type        = string
  default     = "rds-ca-rsa2048-g1"

  validation {
    condition     = contains(["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"], var.ca_cert_identifier)
    error_message = "ca_cert_identifier must be rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1."
  }
}

variable "apply_immediately" {
  description = "Apply instance modifications at once instead of in the next maintenance window. Static parameters (max_connections) still wait for a reboot."
  type        = bool
  default     = false
}

variable "app_max_pods" {
  description = "Most InsightVault server pods connected at the same time: the HorizontalPodAutoscaler's maximum (or the replica count) plus the rollout's surge. max_connections is sized from it."
  type        = number
  default     = 4

  validation {
    condition     = var.app_max_pods >= 1 && var.app_max_pods <= 200 && floor(var.app_max_pods) == var.app_max_pods
    error_message = "app_max_pods must be a whole number from 1 to 200."
  }
}

variable "db_pool_size" {
  description = "IV_DB_POOL_SIZE of every server (the application role's pool; 20 by default). Keep it equal to the deployed setting."
  type        = number
  default     = 20

  validation {
    condition     = var.db_pool_size >= 1 && var.db_pool_size <= 500 && floor(var.db_pool_size) == var.db_pool_size
    error_message = "db_pool_size must be a whole number from 1 to 500."
  }
}

variable "report_concurrency" {
  description = "IV_REPORT_CONCURRENCY of every server (the reports' pool; 4 by default). Keep it equal to the deployed setting."
  type        = number
  default     = 4

  validation {
    condition     = var.report_concurrency >= 1 && var.report_concurrency <= 100 && floor(var.report_concurrency) == var.report_concurrency
    error_message = "report_concurrency must be a whole number from 1 to 100."
  }
}

variable "connection_headroom" {
  description = "Connections on top of the servers' pools: RDS's reserved superuser slots (superuser_reserved_connections 3, rds.rds_superuser_reserved_connections 2), the migrate Job, one-off CLI pods (rollups refresh, seed-demo, users reset-password open their own pools), psql sessions and monitoring agents."
  type        = number
  default     = 40

  validation {
    condition     = var.connection_headroom >= 10 && var.connection_headroom <= 1000 && floor(var.connection_headroom) == var.connection_headroom
    error_message = "connection_headroom must be a whole number from 10 to 1000 (RDS alone reserves 5 connections)."
  }
}

variable "log_min_duration_statement_ms" {
  description = "Statements running at least this many milliseconds are logged (their text only: log_parameter_max_length is 0, so bind values such as emails and token hashes never reach the logs). -1 turns it off."
  type        = number
  default     = 1000

  validation {
    condition     = var.log_min_duration_statement_ms >= -1 && var.log_min_duration_statement_ms <= 3600000 && floor(var.log_min_duration_statement_ms) == var.log_min_duration_statement_ms
    error_message = "log_min_duration_statement_ms must be a whole number from -1 to 3600000."
  }
}

variable "log_statement" {
  description = "log_statement: none (default) logs statements only when slow (log_min_duration_statement) or failing. ddl, mod and all also log every CREATE ROLE / ALTER ROLE ... PASSWORD with its password in plain text; choose them only when role passwords are only ever set as SCRAM verifiers (terraform/README.md does)."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "ddl", "mod", "all"], var.log_statement)
    error_message = "log_statement must be none, ddl, mod or all."
  }
}

variable "wal_compression" {
  description = "wal_compression: lz4 as InsightVault's embedded cluster uses (docs/operations.md): the full-page images of the random-uuid indexes after each checkpoint were most of ingestion's WAL. Durability does not depend on it."
  type        = string
  default     = "lz4"

  validation {
    condition     = contains(["off", "on", "pglz", "lz4", "zstd"], var.wal_compression)
    error_message = "wal_compression must be off, on, pglz, lz4 or zstd."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for key, value in var.tags : length(key) >= 1 && length(key) <= 128 && length(value) <= 256 && !startswith(lower(key), "aws:")])
    error_message = "tags keys must be 1-128 characters, values at most 256, and no key may start with aws:."
  }
}

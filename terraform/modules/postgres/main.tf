# PostgreSQL 15 on RDS for InsightVault: encrypted, private, backed up, with the server settings the application
# relies on (durable commits, TLS only, bounded idle transactions, max_connections sized for its pools).

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  create_kms_key = var.kms_key_arn == null
  kms_key_arn    = local.create_kms_key ? aws_kms_key.this[0].arn : var.kms_key_arn

  # Every server opens three pools (docs/operations.md, "Connections"): the application role's (IV_DB_POOL_SIZE),
  # the reports' (IV_REPORT_CONCURRENCY) and the owner's (2, partition maintenance and rollups).
  owner_pool_size         = 2
  connections_per_pod     = var.db_pool_size + var.report_concurrency + local.owner_pool_size
  max_connections         = var.app_max_pods * local.connections_per_pod + var.connection_headroom
  final_snapshot_id       = coalesce(var.final_snapshot_identifier, "${var.name}-final")
  log_group_prefix        = "/aws/rds/instance/${var.name}"
  cloudwatch_log_exports  = ["postgresql", "upgrade"]
  enhanced_monitoring_arn = var.monitoring_interval > 0 ? aws_iam_role.monitoring[0].arn : null
}

# --- Encryption key (storage, Performance Insights, the master-user secret, the log groups) ---

resource "aws_kms_key" "this" {
  count = local.create_kms_key ? 1 : 0

  description             = "InsightVault PostgreSQL ${var.name}: storage, Performance Insights, master-user secret, logs"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  is_enabled              = true

  # A key policy's Resource "*" means this key. The account's IAM policies decide who else may use it (RDS and
  # Secrets Manager act with the caller's permissions through grants); CloudWatch Logs may use it for this
  # instance's log groups only.
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersTheKeyThroughIAM"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncryptsThisInstancesLogGroups"
        Effect    = "Allow"
        Principal = { Service = "logs.${data.aws_region.current.name}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_prefix}/*"
          }
        }
      },
    ]
  })

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  count = local.create_kms_key ? 1 : 0

  name          = "alias/${var.name}-postgres"
  target_key_id = aws_kms_key.this[0].key_id
}

# --- Network: private subnets, port 5432 only from the given ranges and security groups ---

resource "aws_db_subnet_group" "this" {
  name        = var.name
  description = "Private subnets of the InsightVault PostgreSQL instance ${var.name}"
  subnet_ids  = var.subnet_ids
  tags        = var.tags
}

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-postgres-"
  description = "InsightVault PostgreSQL ${var.name}: port 5432 from the application only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-postgres" })

  # No egress rule: Terraform removes AWS's default allow-all egress, and PostgreSQL only answers connections
  # (security groups are stateful).

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "cidr" {
  for_each = toset(var.allowed_cidr_blocks)

  security_group_id = aws_security_group.this.id
  description       = "PostgreSQL from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = strcontains(each.value, ":") ? null : each.value
  cidr_ipv6         = strcontains(each.value, ":") ? each.value : null
  tags              = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "security_group" {
  for_each = toset(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from ${each.value}"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = each.value
  tags                         = var.tags
}

# --- Server settings ---

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-postgres15-"
  family      = "postgres15"
  description = "InsightVault ${var.name}: durable commits, TLS only, max_connections sized for the server pools"
  tags        = var.tags

  # An ingestion 2xx promises the events are on disk: never turn fsync or synchronous_commit off.
  parameter {
    name  = "fsync"
    value = "1"
  }

  parameter {
    name  = "synchronous_commit"
    value = "on"
  }

  # Clients must use TLS (InsightVault does for every non-loopback host unless sslmode=disable).
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "password_encryption"
    value = "scram-sha-256"
  }

  # The server sets the same per session (IV_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS); this covers every other client.
  parameter {
    name  = "idle_in_transaction_session_timeout"
    value = "60000"
  }

  # pods x (IV_DB_POOL_SIZE + IV_REPORT_CONCURRENCY + 2 owner connections) + headroom. Static: needs a reboot when
  # changed (RDS applies it in the maintenance window, or at once with a manual reboot).
  parameter {
    name         = "max_connections"
    value        = tostring(local.max_connections)
    apply_method = "pending-reboot"
  }

  # Slow statements are logged with their text, never with their bind values (emails, token hashes). Statement
  # logging (log_statement) stays off unless chosen: it would log CREATE/ALTER ROLE ... PASSWORD in plain text.
  parameter {
    name  = "log_min_duration_statement"
    value = tostring(var.log_min_duration_statement_ms)
  }

  parameter {
    name  = "log_statement"
    value = var.log_statement
  }

  parameter {
    name  = "log_parameter_max_length"
    value = "0"
  }

  # The WAL settings of InsightVault's embedded cluster (docs/operations.md, "Embedded PostgreSQL"): much less WAL
  # under ingestion, crash recovery replays at most about 2 GB.
  parameter {
    name  = "wal_compression"
    value = var.wal_compression
  }

  parameter {
    name  = "max_wal_size"
    value = "2048"
  }

  parameter {
    name  = "checkpoint_timeout"
    value = "900"
  }

  # Backends write their evicted pages out every 256 kB (32 pages of 8 kB) instead of leaving them to the kernel's
  # bursts, which stalled commits (docs/operations.md, "Embedded PostgreSQL").
  parameter {
    name  = "backend_flush_after"
    value = "32"
  }

  # The background writer cleans up to 1,000 buffers every 20 ms ahead of need, so backends rarely write out a dirty
  # buffer themselves in the middle of a round (docs/operations.md, "Embedded PostgreSQL").
  parameter {
    name  = "bgwriter_delay"
    value = "20"
  }

  parameter {
    name  = "bgwriter_lru_maxpages"
    value = "1000"
  }

  parameter {
    name  = "bgwriter_lru_multiplier"
    value = "4"
  }

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = local.max_connections <= 5000
      error_message = "max_connections would be ${local.max_connections}; RDS PostgreSQL allows at most 5000. Lower app_max_pods, db_pool_size or report_concurrency."
    }
  }
}

# --- Logs and monitoring ---

# Created before the instance so that RDS exports into groups with a retention and encryption.
resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(local.cloudwatch_log_exports)

  name              = "${local.log_group_prefix}/${each.value}"
  retention_in_days = var.log_retention_days
  kms_key_id        = local.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "monitoring_assume_role" {
  statement {
    sid     = "RdsEnhancedMonitoring"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  name_prefix        = "${substr(var.name, 0, 20)}-rds-monitoring-"
  description        = "Enhanced Monitoring of the InsightVault PostgreSQL instance ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume_role.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

# --- The instance ---

resource "aws_db_instance" "this" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  port           = 5432

  # No initial database: the owner role creates it (docs/operations.md, "Using your own PostgreSQL";
  # terraform/README.md has the RDS version).
  username                      = var.master_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = local.kms_key_arn

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = var.storage_type
  storage_encrypted     = true
  kms_key_id            = local.kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  multi_az               = var.multi_az
  ca_cert_identifier     = var.ca_cert_identifier
  parameter_group_name   = aws_db_parameter_group.this.name

  iam_database_authentication_enabled = var.iam_database_authentication_enabled

  backup_retention_period   = var.backup_retention_period
  backup_window             = var.backup_window
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = local.final_snapshot_id

  maintenance_window          = var.maintenance_window
  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  apply_immediately           = var.apply_immediately

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = local.kms_key_arn
  performance_insights_retention_period = var.performance_insights_retention_period

  monitoring_interval = var.monitoring_interval
  monitoring_role_arn = local.enhanced_monitoring_arn

  enabled_cloudwatch_logs_exports = local.cloudwatch_log_exports

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy_attachment.monitoring]

  lifecycle {
    precondition {
      condition     = var.max_allocated_storage > var.allocated_storage
      error_message = "max_allocated_storage must be larger than allocated_storage (storage autoscaling)."
    }

    precondition {
      condition     = length(var.allowed_cidr_blocks) + length(var.allowed_security_group_ids) > 0
      error_message = "Give allowed_cidr_blocks or allowed_security_group_ids: otherwise nothing can reach the database."
    }
  }
}

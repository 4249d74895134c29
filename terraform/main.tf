# One InsightVault environment: PostgreSQL 15 on RDS, an S3 bucket for exports and backups, and the namespace,
# Secret (and optional ConfigMap) the Kubernetes manifests in deploy/k8s/ read. terraform/README.md describes the
# steps after `terraform apply` (creating the database roles) and the remote state.

locals {
  name = "insightvault-${var.environment}"

  # The two roles of docs/operations.md ("Database roles and row-level security"). Their passwords are given or
  # generated here, so that the URLs in the Secret and the roles created after apply agree.
  owner_role     = "insightvault_owner"
  app_role       = "insightvault_app"
  owner_password = var.owner_db_password != null ? var.owner_db_password : random_password.owner.result
  app_password   = var.app_db_password != null ? var.app_db_password : random_password.app.result

  # sslmode=require: the server uses TLS and verifies the RDS certificate against its image's trust store.
  database_url     = "postgres://${local.owner_role}:${local.owner_password}@${module.postgres.address}:${module.postgres.port}/${var.database_name}?sslmode=require"
  app_database_url = "postgres://${local.app_role}:${local.app_password}@${module.postgres.address}:${module.postgres.port}/${var.database_name}?sslmode=require"
}

# Letters and digits only, so the passwords need no escaping in a URL or an SQL literal. Generated even when given
# (a count on a sensitive variable is not allowed); unused then.
resource "random_password" "owner" {
  length      = 40
  special     = false
  min_lower   = 4
  min_upper   = 4
  min_numeric = 4
}

resource "random_password" "app" {
  length      = 40
  special     = false
  min_lower   = 4
  min_upper   = 4
  min_numeric = 4
}

module "postgres" {
  source = "./modules/postgres"

  name                                = local.name
  engine_version                      = var.db_engine_version
  instance_class                      = var.db_instance_class
  allocated_storage                   = var.db_allocated_storage
  max_allocated_storage               = var.db_max_allocated_storage
  multi_az                            = var.db_multi_az
  vpc_id                              = var.vpc_id
  subnet_ids                          = var.private_subnet_ids
  allowed_cidr_blocks                 = var.db_allowed_cidr_blocks
  allowed_security_group_ids          = var.db_allowed_security_group_ids
  kms_key_arn                         = var.db_kms_key_arn
  backup_retention_period             = var.db_backup_retention_days
  monitoring_interval                 = var.db_monitoring_interval
  iam_database_authentication_enabled = var.db_iam_authentication_enabled
  app_max_pods                        = var.app_max_pods
  db_pool_size                        = var.db_pool_size
  report_concurrency                  = var.report_concurrency
  connection_headroom                 = var.db_connection_headroom
}

module "bucket" {
  source = "./modules/bucket"

  bucket_name                        = var.bucket_name
  kms_key_arn                        = var.bucket_kms_key_arn
  access_log_bucket_name             = var.access_log_bucket_name
  noncurrent_version_expiration_days = var.bucket_noncurrent_version_expiration_days
  object_lock_enabled                = var.bucket_object_lock_enabled
  object_lock_retention_days         = var.bucket_object_lock_retention_days
}

module "kubernetes" {
  source = "./modules/kubernetes"

  namespace        = var.k8s_namespace
  create_namespace = var.create_k8s_namespace
  database_url     = local.database_url
  app_database_url = local.app_database_url
  jwt_keys         = var.jwt_keys
  smtp_url         = var.smtp_url
  config           = var.app_config
  labels           = { "app.kubernetes.io/instance" = local.name }
}

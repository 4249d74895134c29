variable "bucket_name" {
  description = "Name of the bucket for exports and backups (globally unique). At most 58 characters, so that \"<name>-logs\" is a valid name for the access-log bucket this module may create."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,56}[a-z0-9]$", var.bucket_name)) && !strcontains(var.bucket_name, "--") && !startswith(var.bucket_name, "xn--") && !startswith(var.bucket_name, "sthree-") && !endswith(var.bucket_name, "-s3alias")
    error_message = "bucket_name must be 3-58 lower-case letters, digits and single hyphens, start and end with a letter or digit, and avoid the prefixes xn-- and sthree- and the suffix -s3alias."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key for the bucket's default encryption (SSE-KMS). null creates a key with rotation on."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "access_log_bucket_name" {
  description = "Existing bucket that receives the server access logs (it must accept log delivery from logging.s3.amazonaws.com and use SSE-S3). null creates \"<bucket_name>-logs\"."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket_name))
    error_message = "access_log_bucket_name must be null or a valid bucket name (3-63 lower-case letters, digits, dots and hyphens)."
  }
}

variable "access_log_prefix" {
  description = "Key prefix of the access logs in the log bucket; ends with a slash."
  type        = string
  default     = "s3-access/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()/-]{1,200}/$", var.access_log_prefix))
    error_message = "access_log_prefix must be 1-200 characters of letters, digits and !_.*'()/- ending with a slash."
  }
}

variable "access_log_retention_days" {
  description = "Days the created log bucket keeps access logs (ignored with access_log_bucket_name)."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_retention_days >= 1 && var.access_log_retention_days <= 3650 && floor(var.access_log_retention_days) == var.access_log_retention_days
    error_message = "access_log_retention_days must be a whole number of days from 1 to 3650."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days an overwritten or deleted object's old version is kept before it expires."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 3650 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of days from 1 to 3650."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which the parts of an unfinished multipart upload are deleted."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && var.abort_incomplete_multipart_upload_days <= 365 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "abort_incomplete_multipart_upload_days must be a whole number of days from 1 to 365."
  }
}

variable "object_lock_enabled" {
  description = "Create the bucket with S3 Object Lock (WORM), so that backups cannot be deleted or overwritten before object_lock_retention_days. Can only be chosen when the bucket is created."
  type        = bool
  default     = false
}

variable "object_lock_mode" {
  description = "Default Object Lock mode: GOVERNANCE (principals with s3:BypassGovernanceRetention may still delete) or COMPLIANCE (nobody can, not even the root user, until the retention ends)."
  type        = string
  default     = "GOVERNANCE"

  validation {
    condition     = contains(["GOVERNANCE", "COMPLIANCE"], var.object_lock_mode)
    error_message = "object_lock_mode must be GOVERNANCE or COMPLIANCE."
  }
}

variable "object_lock_retention_days" {
  description = "Default Object Lock retention in days of every new object version (used with object_lock_enabled)."
  type        = number
  default     = 30

  validation {
    condition     = var.object_lock_retention_days >= 1 && var.object_lock_retention_days <= 36500 && floor(var.object_lock_retention_days) == var.object_lock_retention_days
    error_message = "object_lock_retention_days must be a whole number of days from 1 to 36500."
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

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(var.tags, {
      Application = "insightvault"
      Environment = var.environment
      ManagedBy   = "terraform"
    })
  }
}

# The cluster InsightVault runs in, from a kubeconfig (e.g. written by `aws eks update-kubeconfig`).
provider "kubernetes" {
  config_path    = var.kubeconfig_path
  config_context = var.kubeconfig_context
}

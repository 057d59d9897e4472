terraform {
  # Write-only arguments (the SMTP password) need Terraform 1.11 or OpenTofu 1.11.
  required_version = ">= 1.11"

  required_providers {
    vb365 = {
      source  = "terraform-vb365/vb365"
      version = ">= 0.1"
    }
  }
}

# Actions need Terraform 1.14 or later.
terraform {
  required_version = ">= 1.14.0"
}

variable "job_id" {
  description = "VB365 ID of the backup job (vb365_backup_job.<name>.id, or from vb365_backup_jobs)."
  type        = string
}

# Starts a full run of the job. It changes nothing in the state.
action "vb365_backup_job_start" "full" {
  config {
    job_id = var.job_id
    full   = true
  }
}

# Run it on demand:
#   terraform apply -invoke=action.vb365_backup_job_start.full

# Actions need Terraform 1.14 or later.
terraform {
  required_version = ">= 1.14.0"
}

variable "job_id" {
  description = "VB365 ID of the backup job (vb365_backup_job.<name>.id, or from vb365_backup_jobs)."
  type        = string
}

# Stops the job's running session, if any. It changes nothing in the state.
action "vb365_backup_job_stop" "now" {
  config {
    job_id = var.job_id
  }
}

# Run it on demand:
#   terraform apply -invoke=action.vb365_backup_job_stop.now

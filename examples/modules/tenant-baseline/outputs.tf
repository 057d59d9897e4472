output "organization_id" {
  description = "VB365 ID of the tenant's organization."
  value       = data.vb365_organization.this.id
}

output "backup_job_id" {
  description = "VB365 ID of the tenant's backup job."
  value       = vb365_backup_job.this.id
}

output "backed_up_items" {
  description = "Number of items the job selects."
  value       = length(vb365_backup_job.this.selected_items)
}

output "helpdesk_role_id" {
  description = "VB365 ID of the helpdesk restore operator role, or null when helpdesk_operators is empty."
  value       = one(vb365_restore_operator_role.helpdesk[*].id)
}

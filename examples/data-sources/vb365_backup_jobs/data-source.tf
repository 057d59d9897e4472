data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# Every backup job of the organization.
data "vb365_backup_jobs" "contoso" {
  organization_id = data.vb365_organization.contoso.id
}

# Fail the plan when a job of the organization is disabled.
check "backup_jobs_enabled" {
  assert {
    condition     = alltrue([for j in data.vb365_backup_jobs.contoso.jobs : j.enabled])
    error_message = "Disabled backup jobs: ${join(", ", [for j in data.vb365_backup_jobs.contoso.jobs : j.name if !j.enabled])}."
  }
}

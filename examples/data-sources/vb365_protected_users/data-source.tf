data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# The users of one organization whose data is in a backup. On API v8 from
# /ProtectedUsers (what is protected: mailbox, archive, OneDrive, sites); on
# v6 and v7 from /LicensedUsers (is_backed_up, last_backup_time).
data "vb365_protected_users" "contoso" {
  organization_id = data.vb365_organization.contoso.id
}

# Only those in one repository (API v8).
data "vb365_protected_users" "primary_repository" {
  organization_id = data.vb365_organization.contoso.id
  repository_id   = "3d0b9a7e-1c2f-4e5d-8a6b-0f1e2d3c4b5a"
}

# Every audited VIP must be in the backup: a warning in every plan names
# those who are not.
locals {
  vips      = ["ceo@contoso.onmicrosoft.com", "AdeleV@contoso.onmicrosoft.com"]
  backed_up = [for u in data.vb365_protected_users.contoso.users : lower(u.email) if u.is_backed_up]
}

check "vips_are_backed_up" {
  assert {
    condition     = alltrue([for v in local.vips : contains(local.backed_up, lower(v))])
    error_message = "Not backed up: ${join(", ", [for v in local.vips : v if !contains(local.backed_up, lower(v))])}."
  }
}

output "without_archive" {
  value = [for u in data.vb365_protected_users.contoso.users : u.email if u.mailbox && !u.archive]
}

data "vb365_organization" "this" {
  name = var.organization
}

data "vb365_group" "backup" {
  for_each        = var.backup_groups
  organization_id = data.vb365_organization.this.id
  name            = each.value
}

data "vb365_site" "backup" {
  for_each        = var.backup_sites
  organization_id = data.vb365_organization.this.id
  url             = each.value
}

data "vb365_user" "backup" {
  for_each        = var.backup_users
  organization_id = data.vb365_organization.this.id
  name            = each.value
}

data "vb365_user" "audited" {
  for_each        = var.audited_users
  organization_id = data.vb365_organization.this.id
  name            = each.value
}

data "vb365_user" "helpdesk" {
  for_each        = var.helpdesk_operators
  organization_id = data.vb365_organization.this.id
  name            = each.value
}

# The repository by the name people know; an unknown or ambiguous name
# fails the plan, naming it.
data "vb365_backup_repository" "this" {
  name = var.repository
}

# Whose data is backed up: the groups' members, the sites, the named users.
resource "vb365_backup_job" "this" {
  organization_id = data.vb365_organization.this.id
  repository_id   = data.vb365_backup_repository.this.id
  name            = var.job_name
  backup_type     = "SelectedItems"

  selected_items = concat(
    [for g in data.vb365_group.backup : { type = "Group", group_id = g.id, members = true, member_mailbox = true, member_onedrive = true }],
    [for s in data.vb365_site.backup : { type = "Site", site_id = s.id }],
    [for u in data.vb365_user.backup : { type = "User", user_id = u.id, mailbox = true, archive_mailbox = true }],
  )

  schedule = { type = "Daily", daily_time = "22:00" }

  lifecycle {
    precondition {
      condition     = length(var.backup_groups) + length(var.backup_sites) + length(var.backup_users) > 0
      error_message = "Name at least one of backup_groups, backup_sites or backup_users: a job must back something up."
    }
  }
}

# Who is alerted: exactly these users are audited in the organization.
resource "vb365_audit_items" "this" {
  organization_id = data.vb365_organization.this.id
  user_ids        = [for u in data.vb365_user.audited : u.id]
}

# Who may restore: the helpdesk, everyone's data but the audited users'.
resource "vb365_restore_operator_role" "helpdesk" {
  count           = length(var.helpdesk_operators) > 0 ? 1 : 0
  organization_id = data.vb365_organization.this.id
  name            = "Helpdesk"
  description     = "May restore all staff except the audited users"
  role_type       = "EntireOrganization"

  operators = {
    user_ids = [for u in data.vb365_user.helpdesk : u.id]
  }

  excluded_items = length(var.audited_users) > 0 ? {
    user_ids = [for u in data.vb365_user.audited : u.id]
  } : null
}

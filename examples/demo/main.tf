# The configuration `make demo` applies against the fake VB365 server: the
# security officer's audit trail for Contoso, as code.
# The provider settings come from VB365_URL, VB365_USERNAME, VB365_PASSWORD
# and VB365_CA_CERT_PEM; the SMTP password from TF_VAR_smtp_password.
terraform {
  required_version = ">= 1.11"
  required_providers {
    vb365 = {
      source = "terraform-vb365/vb365"
    }
  }
}

provider "vb365" {}

variable "smtp_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

data "vb365_organizations" "all" {}

data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# Find the people by the names the security officer knows.
data "vb365_user" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  name            = "ceo@contoso.onmicrosoft.com"
}

data "vb365_users" "hybrid" {
  organization_id = data.vb365_organization.contoso.id
  location_filter = "Hybrid"
}

data "vb365_group" "hr" {
  organization_id = data.vb365_organization.contoso.id
  display_name    = "HR"
}

# Alert whenever anyone views, exports or restores their backed-up data.
resource "vb365_audit_item" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  user_id         = data.vb365_user.ceo.id
}

resource "vb365_audit_item" "hr" {
  organization_id = data.vb365_organization.contoso.id
  group_id        = data.vb365_group.hr.id
}

# ... and send the alerts to the security team.
resource "vb365_audit_email_settings" "this" {
  enabled             = true
  smtp_server         = "smtp.office365.com"
  port                = 587
  use_ssl             = true
  use_authentication  = true
  username            = "vb365-audit@contoso.onmicrosoft.com"
  password_wo         = var.smtp_password
  password_wo_version = 1
  from                = "vb365-audit@contoso.onmicrosoft.com"
  to                  = ["SecurityOfficer@contoso.onmicrosoft.com", "soc@contoso.onmicrosoft.com"]
  subject             = "[Audit] %OrganizationName% - %DisplayName% - %Action% initiated by %InitiatedByUserName% at %StartTime%"
}

# Backup job results go to the backup admins: failures only, once the last
# retry has failed (a separate settings object from the audit e-mails).
resource "vb365_email_notification_settings" "jobs" {
  enabled                   = true
  smtp_server               = "smtp.office365.com"
  port                      = 587
  use_ssl                   = true
  use_authentication        = true
  username                  = "vb365-jobs@contoso.onmicrosoft.com"
  password_wo               = var.smtp_password
  password_wo_version       = 1
  from                      = "vb365-jobs@contoso.onmicrosoft.com"
  to                        = ["backup-admins@contoso.onmicrosoft.com"]
  notify_on_success         = false
  notify_on_warning         = false
  suppress_until_last_retry = true
}

# The Explorers' mail accounts are the channel a restore operator can mail
# backed-up items out through, to any address: pinned off, so that turning
# one on behind Terraform's back shows in every plan.
resource "vb365_explorer_email_settings" "off" {
  for_each = toset(["exchange", "onedrive", "sharepoint", "teams"])

  explorer = each.key
  enabled  = false
}

# Who may restore whose data: the helpdesk may restore everyone but the CEO.
data "vb365_user" "helpdesk_lead" {
  organization_id = data.vb365_organization.contoso.id
  name            = "NestorW@contoso.onmicrosoft.com"
}

resource "vb365_restore_operator_role" "helpdesk" {
  organization_id = data.vb365_organization.contoso.id
  name            = "Helpdesk"
  description     = "May restore all staff except the chief executive"
  role_type       = "EntireOrganization"
  operators = {
    user_ids = [data.vb365_user.helpdesk_lead.id]
  }
  excluded_items = {
    user_ids = [data.vb365_user.ceo.id]
  }
}

# The finance team restores the Finance group's data; the HR group operates
# the role. Finance holds the group Executives, which holds the chief
# executive: the role reaches her through two levels of groups.
data "vb365_group" "finance" {
  organization_id = data.vb365_organization.contoso.id
  display_name    = "Finance"
}

resource "vb365_restore_operator_role" "finance" {
  organization_id = data.vb365_organization.contoso.id
  name            = "Finance data"
  description     = "HR may restore the Finance group's data"
  role_type       = "SpecificObjects"
  operators = {
    group_ids = [data.vb365_group.hr.id]
  }
  selected_items = {
    group_ids = [data.vb365_group.finance.id]
  }
}

# Who may restore the chief executive's data: only the security officer.
# The warning names everyone else, with the roles and groups that let them.
data "vb365_restore_access" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  user_id         = data.vb365_user.ceo.id
  depends_on      = [vb365_restore_operator_role.helpdesk, vb365_restore_operator_role.finance]
}

locals {
  ceo_restorers = ["securityofficer@contoso.onmicrosoft.com"]
  ceo_unexpected = [
    for o in data.vb365_restore_access.ceo.operators :
    "${o.name} (roles ${join(", ", o.roles)}${length(o.via_groups) > 0 ? "; operator through ${join(", ", o.via_groups)}" : ""})"
    if !contains(local.ceo_restorers, lower(o.name))
  ]
}

check "only_the_security_officer_restores_the_ceo" {
  assert {
    condition     = length(local.ceo_unexpected) == 0
    error_message = "May restore the chief executive's data but should not: ${join("; ", local.ceo_unexpected)}."
  }
}

# Whose data is backed up at all: the HR group's mailboxes and the chief
# executive's mailbox and archive, every night, in the repository found by
# the name the console shows.
data "vb365_backup_repository" "default" {
  name = "Default Backup Repository"
}

resource "vb365_backup_job" "staff" {
  organization_id = data.vb365_organization.contoso.id
  repository_id   = data.vb365_backup_repository.default.id
  name            = "Staff and chief executive"
  backup_type     = "SelectedItems"

  selected_items = [
    { type = "Group", group_id = data.vb365_group.hr.id, members = true, member_mailbox = true },
    { type = "User", user_id = data.vb365_user.ceo.id, mailbox = true, archive_mailbox = true },
  ]

  schedule = { type = "Daily", daily_time = "22:00" }
}

output "backup_job_id" {
  value = vb365_backup_job.staff.id
}

output "organizations" {
  value = { for o in data.vb365_organizations.all.organizations : o.name => o.id }
}

output "contoso_id" {
  value = data.vb365_organization.contoso.id
}

output "ceo_user_id" {
  value = data.vb365_user.ceo.id
}

output "hybrid_users" {
  value = { for u in data.vb365_users.hybrid.users : u.name => u.id }
}

output "audited" {
  value = {
    (vb365_audit_item.ceo.name) = vb365_audit_item.ceo.item_id
    (vb365_audit_item.hr.name)  = vb365_audit_item.hr.item_id
  }
}

output "audit_mail_recipients" {
  value = vb365_audit_email_settings.this.to
}

output "job_mail_recipients" {
  value = vb365_email_notification_settings.jobs.to
}

# The access trail: who restored or exported anything in the last day.
data "vb365_restore_sessions" "last_day" {
  event_types = ["Restore", "Export", "Send", "Save"]
}

output "restores_last_day" {
  value = [for s in data.vb365_restore_sessions.last_day.sessions : "${s.initiated_by}: ${s.type} ${s.scope_name}"]
}

output "helpdesk_role_id" {
  value = vb365_restore_operator_role.helpdesk.id
}

# Who may restore the chief executive's data but should not (the check's
# warning names them too): HR, the operator group of "Finance data", reaches
# her through Finance > Executives.
output "ceo_unexpected_restorers" {
  value = local.ceo_unexpected
}

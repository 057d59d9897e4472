data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

data "vb365_group" "hr" {
  organization_id = data.vb365_organization.contoso.id
  name            = "HR@contoso.onmicrosoft.com"
}

data "vb365_user" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  name            = "ceo@contoso.onmicrosoft.com"
}

data "vb365_user" "leaver" {
  organization_id = data.vb365_organization.contoso.id
  name            = "AdeleV@contoso.onmicrosoft.com"
}

variable "repository_id" {
  description = "VB365 ID of the backup repository (vb365_backup_repository finds it by name)."
  type        = string
}

# Back up the HR group members' mailboxes and OneDrives and the chief
# executive's mailbox and archive every weekday night, outside office
# hours; a leaver's OneDrive is no longer backed up.
resource "vb365_backup_job" "staff" {
  organization_id = data.vb365_organization.contoso.id
  repository_id   = var.repository_id
  name            = "Staff mailboxes"
  description     = "Managed by Terraform"
  backup_type     = "SelectedItems"

  selected_items = [
    { type = "Group", group_id = data.vb365_group.hr.id, members = true, member_mailbox = true, member_onedrive = true },
    { type = "User", user_id = data.vb365_user.ceo.id, mailbox = true, archive_mailbox = true },
  ]

  excluded_items = [
    { type = "User", user_id = data.vb365_user.leaver.id, onedrive = true },
  ]

  schedule = {
    type         = "Daily"
    daily_type   = "Workdays"
    daily_time   = "22:00"
    retry_number = 3
    backup_window = {
      monday    = ["00:00-07:00", "19:00-24:00"]
      tuesday   = ["00:00-07:00", "19:00-24:00"]
      wednesday = ["00:00-07:00", "19:00-24:00"]
      thursday  = ["00:00-07:00", "19:00-24:00"]
      friday    = ["00:00-07:00", "19:00-24:00"]
      saturday  = ["00:00-24:00"]
      sunday    = ["00:00-24:00"]
    }
  }
}

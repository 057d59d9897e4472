data "vb365_organization" "this" {
  name = var.organization
}

# One filtered lookup per principal (one request each): an unknown address
# gives an empty list, which the outputs' preconditions report by name.
data "vb365_users" "audited" {
  for_each        = var.audited_users
  organization_id = data.vb365_organization.this.id
  user_name       = each.value
}

data "vb365_groups" "audited" {
  for_each        = var.audited_groups
  organization_id = data.vb365_organization.this.id
  group_name      = each.value
}

locals {
  user_ids  = { for upn, d in data.vb365_users.audited : upn => d.users[0].id if length(d.users) == 1 }
  group_ids = { for name, d in data.vb365_groups.audited : name => d.groups[0].id if length(d.groups) == 1 }

  unknown_users  = setsubtract(var.audited_users, keys(local.user_ids))
  unknown_groups = setsubtract(var.audited_groups, keys(local.group_ids))

  per_item = var.authoritative ? {} : merge(
    { for upn, id in local.user_ids : "user:${upn}" => { user_id = id, group_id = null } },
    { for name, id in local.group_ids : "group:${name}" => { user_id = null, group_id = id } },
  )
}

# authoritative = true: exactly these principals are audited.
resource "vb365_audit_items" "this" {
  count           = var.authoritative ? 1 : 0
  organization_id = data.vb365_organization.this.id
  user_ids        = values(local.user_ids)
  group_ids       = values(local.group_ids)
}

# authoritative = false: these are audited, others are left alone.
resource "vb365_audit_item" "this" {
  for_each        = local.per_item
  organization_id = data.vb365_organization.this.id
  user_id         = each.value.user_id
  group_id        = each.value.group_id
}

resource "vb365_audit_email_settings" "this" {
  enabled             = true
  authentication_type = "CustomSmtp"
  smtp_server         = var.smtp.server
  port                = var.smtp.port
  use_ssl             = var.smtp.use_ssl
  use_authentication  = var.smtp.username != null
  username            = var.smtp.username
  password_wo         = var.smtp.username != null ? var.smtp_password : null
  password_wo_version = var.smtp.username != null ? var.smtp_password_version : null
  from                = var.smtp.from
  to                  = var.alert_recipients
  subject             = var.subject
}

# The Explorers' mail channel: pinned off, or to one relay, when asked.
resource "vb365_explorer_email_settings" "this" {
  for_each = var.explorer_mail == null ? toset([]) : var.explorer_mail.explorers

  explorer           = each.key
  enabled            = var.explorer_mail.relay != null
  server             = try(var.explorer_mail.relay.server, null)
  port               = try(var.explorer_mail.relay.port, null)
  use_ssl            = try(var.explorer_mail.relay.use_ssl, null)
  use_authentication = var.explorer_mail.relay != null ? false : null
  from               = try(var.explorer_mail.relay.from, null)
}

# Is every audited user's data in a backup? One list of the organization's
# protected users (v8), or of its licensed users (v6, v7), matched by mail
# address.
data "vb365_protected_users" "this" {
  count           = var.check_protection && length(local.user_ids) > 0 ? 1 : 0
  organization_id = data.vb365_organization.this.id
}

locals {
  backed_up     = toset(flatten([for d in data.vb365_protected_users.this : [for u in d.users : lower(u.email) if u.is_backed_up && u.email != null]]))
  not_backed_up = sort([for upn in keys(local.user_ids) : upn if var.check_protection && !contains(local.backed_up, lower(upn))])
}

check "audited_users_are_backed_up" {
  assert {
    condition     = length(local.not_backed_up) == 0
    error_message = "Audited but not in a backup: ${join(", ", local.not_backed_up)}."
  }
}

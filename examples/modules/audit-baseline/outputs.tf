output "organization_id" {
  description = "VB365 ID of the organization."
  value       = data.vb365_organization.this.id
}

output "audited_users" {
  description = "The audited users: mail address => VB365 ID."
  value       = local.user_ids

  precondition {
    condition     = length(local.unknown_users) == 0
    error_message = "Organization ${var.organization} has no user with these mail addresses: ${join(", ", sort(local.unknown_users))}."
  }
}

output "audited_groups" {
  description = "The audited groups: mail address => VB365 ID."
  value       = local.group_ids

  precondition {
    condition     = length(local.unknown_groups) == 0
    error_message = "Organization ${var.organization} has no group with these mail addresses: ${join(", ", sort(local.unknown_groups))}."
  }
}

output "alert_recipients" {
  description = "Who receives the audit e-mails, as VB365 has them."
  value       = vb365_audit_email_settings.this.to
}

output "explorer_mail" {
  description = "The Explorers' mail accounts this module manages: Explorer => the relay it may send through, or null when it may not send."
  value       = { for e, s in vb365_explorer_email_settings.this : e => s.enabled ? s.server : null }
}

output "not_backed_up" {
  description = "The audited users whose data is not in a backup (empty when check_protection is false)."
  value       = local.not_backed_up
}

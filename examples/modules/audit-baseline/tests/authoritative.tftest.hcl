# Runs against the fake VB365 server (see internal/clitest): the harness
# sets VB365_URL, VB365_USERNAME and VB365_PASSWORD.

variables {
  organization     = "contoso.onmicrosoft.com"
  audited_users    = ["ceo@contoso.onmicrosoft.com", "AdeleV@contoso.onmicrosoft.com"]
  audited_groups   = ["Executives@contoso.onmicrosoft.com"]
  alert_recipients = ["soc@contoso.onmicrosoft.com", "SecurityOfficer@contoso.onmicrosoft.com"]
  smtp = {
    server   = "smtp.office365.com"
    username = "vb365-audit@contoso.onmicrosoft.com"
    from     = "vb365-audit@contoso.onmicrosoft.com"
  }
  smtp_password = "module-test-secret"
  # The four Explorers' mail accounts pinned off.
  explorer_mail = {}
}

run "audits_the_declared_principals" {
  assert {
    condition     = length(output.not_backed_up) == 0
    error_message = "The chief executive and Adele Vance are backed up, but not_backed_up is ${jsonencode(output.not_backed_up)}."
  }
  assert {
    condition     = length(output.audited_users) == 2 && length(output.audited_groups) == 1
    error_message = "Expected 2 audited users and 1 group, got ${jsonencode(output.audited_users)} and ${jsonencode(output.audited_groups)}."
  }
  assert {
    condition     = toset(vb365_audit_items.this[0].user_ids) == toset(values(output.audited_users))
    error_message = "vb365_audit_items does not hold the looked-up user IDs."
  }
  assert {
    condition     = length(vb365_audit_item.this) == 0
    error_message = "Authoritative mode must not create per-item resources."
  }
  assert {
    condition     = output.alert_recipients == tolist(var.alert_recipients)
    error_message = "The audit e-mails go to ${jsonencode(output.alert_recipients)}."
  }
  assert {
    condition     = vb365_audit_email_settings.this.enabled && vb365_audit_email_settings.this.use_authentication
    error_message = "The audit e-mails are not enabled with SMTP authentication."
  }
  assert {
    condition     = keys(output.explorer_mail) == ["exchange", "onedrive", "sharepoint", "teams"] && alltrue([for s in vb365_explorer_email_settings.this : !s.enabled])
    error_message = "The four Explorers' mail accounts are not pinned off: ${jsonencode(output.explorer_mail)}."
  }
}

run "a_second_plan_changes_nothing" {
  command = plan
  assert {
    condition     = toset(vb365_audit_items.this[0].group_ids) == toset(values(output.audited_groups))
    error_message = "The plan after apply changes the audited groups."
  }
}

run "an_unknown_upn_fails_the_plan" {
  command = plan
  variables {
    audited_users = ["ceo@contoso.onmicrosoft.com", "nobody@contoso.onmicrosoft.com"]
  }
  expect_failures = [output.audited_users]
}

run "an_unknown_explorer_fails_validation" {
  command = plan
  variables {
    explorer_mail = { explorers = ["exchange", "yammer"] }
  }
  expect_failures = [var.explorer_mail]
}

run "a_malformed_upn_fails_validation" {
  command = plan
  variables {
    audited_users = ["not-an-address"]
  }
  expect_failures = [var.audited_users]
}

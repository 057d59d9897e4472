# authoritative = false: one vb365_audit_item per principal, others left alone.

variables {
  organization     = "contoso.onmicrosoft.com"
  audited_users    = ["MeganB@contoso.onmicrosoft.com"]
  audited_groups   = ["HR@contoso.onmicrosoft.com", "Finance@contoso.onmicrosoft.com"]
  authoritative    = false
  alert_recipients = ["soc@contoso.onmicrosoft.com"]
  smtp = {
    server = "mail.contoso.local"
    port   = 25
    from   = "vb365@contoso.local"
  }
  # The Exchange Explorer may send through the corporate relay only; the
  # others are not managed here.
  explorer_mail = {
    explorers = ["exchange"]
    relay = {
      server = "relay.contoso.local"
      from   = "restores@contoso.local"
    }
  }
}

run "audits_each_principal_on_its_own" {
  assert {
    condition     = length(vb365_audit_item.this) == 3 && length(vb365_audit_items.this) == 0
    error_message = "Expected 3 vb365_audit_item and no vb365_audit_items, got ${length(vb365_audit_item.this)} and ${length(vb365_audit_items.this)}."
  }
  assert {
    condition     = vb365_audit_item.this["group:HR@contoso.onmicrosoft.com"].name == "HR@contoso.onmicrosoft.com"
    error_message = "The HR group's audit item reads back as ${vb365_audit_item.this["group:HR@contoso.onmicrosoft.com"].name}."
  }
  assert {
    condition     = !vb365_audit_email_settings.this.use_authentication
    error_message = "Without smtp.username the module must not turn SMTP authentication on."
  }
  assert {
    condition     = output.explorer_mail == { exchange = "relay.contoso.local" } && vb365_explorer_email_settings.this["exchange"].port == 25
    error_message = "The Exchange Explorer does not send through the relay: ${jsonencode(output.explorer_mail)}."
  }
}

# The shared Finance mailbox is audited but not in a backup: the check warns
# and the output names it.
run "names_an_audited_user_who_is_not_backed_up" {
  variables {
    audited_users = ["MeganB@contoso.onmicrosoft.com", "shared-finance@contoso.onmicrosoft.com"]
  }
  expect_failures = [check.audited_users_are_backed_up]
  assert {
    condition     = jsonencode(output.not_backed_up) == jsonencode(["shared-finance@contoso.onmicrosoft.com"])
    error_message = "not_backed_up is ${jsonencode(output.not_backed_up)}."
  }
}

# One tenant: a job for HR and Finance, the HR site and the chief
# executive's mailbox; the chief executive audited and out of the
# helpdesk's reach, in the repository every (fake) server starts with.

variables {
  organization       = "contoso.onmicrosoft.com"
  repository         = "Default Backup Repository"
  backup_groups      = ["HR@contoso.onmicrosoft.com", "Finance@contoso.onmicrosoft.com"]
  backup_sites       = ["https://contoso.sharepoint.com/sites/HR"]
  backup_users       = ["ceo@contoso.onmicrosoft.com"]
  audited_users      = ["ceo@contoso.onmicrosoft.com"]
  helpdesk_operators = ["NestorW@contoso.onmicrosoft.com"]
}

run "declares_the_tenant" {
  assert {
    condition     = length(vb365_backup_job.this.selected_items) == 4 && vb365_backup_job.this.backup_type == "SelectedItems"
    error_message = "Expected a SelectedItems job of 4 items, got ${length(vb365_backup_job.this.selected_items)}."
  }
  assert {
    condition     = length(vb365_audit_items.this.user_ids) == 1
    error_message = "Expected the chief executive audited."
  }
  assert {
    condition     = length(vb365_restore_operator_role.helpdesk) == 1 && length(vb365_restore_operator_role.helpdesk[0].excluded_items.user_ids) == 1
    error_message = "Expected a helpdesk role that excludes the chief executive."
  }
}

run "a_tenant_without_helpdesk" {
  variables {
    helpdesk_operators = []
    backup_sites       = []
  }
  assert {
    condition     = output.helpdesk_role_id == null && output.backed_up_items == 3
    error_message = "Expected no role and 3 items."
  }
}

run "a_job_must_back_something_up" {
  command = plan
  variables {
    backup_groups = []
    backup_sites  = []
    backup_users  = []
  }
  expect_failures = [vb365_backup_job.this]
}

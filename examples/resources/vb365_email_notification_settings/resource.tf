# A VB365 server has exactly one job notification settings object, separate
# from the audit e-mail settings: declare ONE vb365_email_notification_settings
# per server.
#
# Failures only, through the Microsoft 365 SMTP relay (SMTP AUTH, STARTTLS on
# 587). The password is write-only (Terraform 1.11 and later): pass it as an
# ephemeral variable, e.g. TF_VAR_jobs_smtp_password from your secret store.
variable "jobs_smtp_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "vb365_email_notification_settings" "this" {
  enabled             = true
  smtp_server         = "smtp.office365.com"
  port                = 587
  use_ssl             = true
  use_authentication  = true
  username            = "vb365-jobs@contoso.onmicrosoft.com"
  password_wo         = var.jobs_smtp_password
  password_wo_version = 1

  from = "vb365-jobs@contoso.onmicrosoft.com"
  to   = ["backup-admins@contoso.onmicrosoft.com"]
  # VB365 fills in %JobName%, %JobResult%, %OrgName%, %MailboxCount%,
  # %Issues% and %Time% (the console's default also uses %ObjectCount%).
  subject = "[%JobResult%] %JobName% - %OrgName% (%Issues% issues)"

  # Only failed jobs, and only once their last retry has failed.
  notify_on_success         = false
  notify_on_warning         = false
  notify_on_failure         = true
  suppress_until_last_retry = true
  attach_detailed_report    = true
}

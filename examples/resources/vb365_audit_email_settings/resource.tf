# A VB365 server has exactly one audit e-mail settings object: declare ONE
# vb365_audit_email_settings per server. The two resources below are
# alternatives, not a pair.

# --- 1. Through the Microsoft 365 SMTP relay (SMTP AUTH, STARTTLS on 587) ---
#
# The password is write-only (Terraform 1.11 and later): it is sent to VB365
# but never stored in the plan or the state. Pass it as an ephemeral variable,
# e.g. TF_VAR_smtp_password from your secret store.
variable "smtp_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "vb365_audit_email_settings" "smtp" {
  enabled             = true
  authentication_type = "CustomSmtp"
  smtp_server         = "smtp.office365.com"
  port                = 587
  use_ssl             = true
  use_authentication  = true
  username            = "vb365-audit@contoso.onmicrosoft.com"
  password_wo         = var.smtp_password
  # Terraform cannot compare a write-only value: change the version to send
  # a new password.
  password_wo_version = 1

  from = "vb365-audit@contoso.onmicrosoft.com"
  to = [
    "SecurityOfficer@contoso.onmicrosoft.com",
    "soc@contoso.onmicrosoft.com",
  ]
  # VB365 fills in %OrganizationName%, %DisplayName%, %Action%,
  # %InitiatedByUserName% and %StartTime%.
  subject = "[Audit] %OrganizationName% - %DisplayName% - %Action% initiated by %InitiatedByUserName% at %StartTime%"
}

# --- 2. Through Microsoft 365 with OAuth (REST API v7 and later) ---
#
# Sign in once outside Terraform (see the "Audit e-mails through Microsoft 365
# or Gmail (OAuth)" guide) and pass the userId and requestId that
# CompleteOAuthSignIn returned.
variable "audit_mail_user_id" {
  type        = string
  description = "userId returned by CompleteOAuthSignIn, e.g. vb365-audit@contoso.onmicrosoft.com."
}

variable "audit_mail_request_id" {
  type        = string
  description = "requestId returned by CompleteOAuthSignIn."
  sensitive   = true
}

resource "vb365_audit_email_settings" "microsoft365" {
  enabled             = true
  authentication_type = "Microsoft365"
  user_id             = var.audit_mail_user_id
  request_id          = var.audit_mail_request_id

  from    = var.audit_mail_user_id
  to      = ["soc@contoso.onmicrosoft.com"]
  subject = "[VB365 audit] %Action% on %DisplayName% by %InitiatedByUserName%"
}

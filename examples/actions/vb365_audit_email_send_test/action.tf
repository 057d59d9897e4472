# Actions need Terraform 1.14 or later.
terraform {
  required_version = ">= 1.14.0"
}

# Sends a test audit e-mail with the settings VB365 has now. It takes no
# arguments and changes nothing in the state.
action "vb365_audit_email_send_test" "check" {}

variable "smtp_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

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
  to                  = ["soc@contoso.onmicrosoft.com"]

  # Send a test e-mail each time the settings are created or changed.
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.vb365_audit_email_send_test.check]
    }
  }
}

# Or send one on demand:
#   terraform apply -invoke=action.vb365_audit_email_send_test.check

# Actions need Terraform 1.14 or later.
terraform {
  required_version = ">= 1.14.0"
}

# Sends a test job notification e-mail with the settings VB365 has now. It
# takes no arguments and changes nothing in the state.
action "vb365_email_notification_send_test" "check" {}

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
  from                = "vb365-jobs@contoso.onmicrosoft.com"
  to                  = ["backup-admins@contoso.onmicrosoft.com"]
  notify_on_success   = false

  # Send a test e-mail each time the settings are created or changed.
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.vb365_email_notification_send_test.check]
    }
  }
}

# Or send one on demand:
#   terraform apply -invoke=action.vb365_email_notification_send_test.check

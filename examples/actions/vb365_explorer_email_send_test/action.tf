# Actions need Terraform 1.14 or later.
terraform {
  required_version = ">= 1.14.0"
}

# Sends a test e-mail to one address through the Exchange Explorer's mail
# account as VB365 has it now. It changes nothing in the state.
action "vb365_explorer_email_send_test" "exchange" {
  config {
    explorer = "exchange"
    email    = "soc@contoso.com"
  }
}

variable "relay_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "vb365_explorer_email_settings" "exchange" {
  explorer            = "exchange"
  enabled             = true
  server              = "relay.contoso.com"
  port                = 587
  use_ssl             = true
  use_authentication  = true
  username            = "vb365-restores@contoso.com"
  password_wo         = var.relay_password
  password_wo_version = 1
  from                = "vb365-restores@contoso.com"

  # Send a test e-mail each time the account is created or changed.
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.vb365_explorer_email_send_test.exchange]
    }
  }
}

# Or send one on demand:
#   terraform apply -invoke=action.vb365_explorer_email_send_test.exchange

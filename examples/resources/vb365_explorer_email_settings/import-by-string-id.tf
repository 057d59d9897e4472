# Take over the Exchange Explorer's current mail account (Terraform 1.5+).
import {
  to = vb365_explorer_email_settings.exchange
  id = "exchange"
}

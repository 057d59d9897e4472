# Take over the server's current job notification settings (Terraform 1.5+).
import {
  to = vb365_email_notification_settings.this
  id = "email_notification_settings"
}

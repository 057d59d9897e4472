# Take over the server's current audit e-mail settings (Terraform 1.5+).
import {
  to = vb365_audit_email_settings.smtp
  id = "audit_email_settings"
}

# Take over an organization's current audit list (Terraform 1.5+).
import {
  to = vb365_audit_items.contoso
  id = "6f144e6f-7f59-475f-8e1d-1bfa0b6bb020"
}

# Take over an audit item that already exists (Terraform 1.5+). With
# `terraform plan -generate-config-out=generated.tf` Terraform writes the
# resource block too.
import {
  to = vb365_audit_item.ceo
  id = "6f144e6f-7f59-475f-8e1d-1bfa0b6bb020/user/a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000"
}

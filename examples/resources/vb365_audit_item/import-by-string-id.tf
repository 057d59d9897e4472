# Take over an audit item that already exists (Terraform 1.5+). The ID is
# <organization_id>/user/<user_id> (or /group/<group_id>); it may be built
# from the data sources. With `terraform plan -generate-config-out=generated.tf`
# Terraform writes the resource block too.
import {
  to = vb365_audit_item.ceo
  id = "${data.vb365_organization.contoso.id}/user/${data.vb365_user.ceo.id}"
}

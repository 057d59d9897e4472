data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# Look the CEO up by mail address and audit every restore or browse of
# their backed-up mailbox, OneDrive and personal site.
data "vb365_user" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  name            = "ceo@contoso.onmicrosoft.com"
}

resource "vb365_audit_item" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  user_id         = data.vb365_user.ceo.id
}

# A group is audited the same way. Teams cannot be audited: audit the
# team's Microsoft 365 group instead.
data "vb365_group" "hr" {
  organization_id = data.vb365_organization.contoso.id
  name            = "HR@contoso.onmicrosoft.com"
}

resource "vb365_audit_item" "hr" {
  organization_id = data.vb365_organization.contoso.id
  group_id        = data.vb365_group.hr.id
}

output "ceo_audit_item" {
  value = {
    item_id      = vb365_audit_item.ceo.item_id
    display_name = vb365_audit_item.ceo.display_name
  }
}

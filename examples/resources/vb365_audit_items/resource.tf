data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

data "vb365_user" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  name            = "ceo@contoso.onmicrosoft.com"
}

data "vb365_user" "adele" {
  organization_id = data.vb365_organization.contoso.id
  name            = "AdeleV@contoso.onmicrosoft.com"
}

data "vb365_group" "executives" {
  organization_id = data.vb365_organization.contoso.id
  name            = "Executives@contoso.onmicrosoft.com"
}

# Contoso's complete audit list: exactly these principals are audited.
# Anything added outside this configuration is removed on the next apply.
resource "vb365_audit_items" "contoso" {
  organization_id = data.vb365_organization.contoso.id
  user_ids        = [data.vb365_user.ceo.id, data.vb365_user.adele.id]
  group_ids       = [data.vb365_group.executives.id]
}

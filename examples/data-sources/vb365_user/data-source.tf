data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# Look a user up by mail address (matched ignoring case): one request,
# whatever the size of the organization.
data "vb365_user" "adele" {
  organization_id = data.vb365_organization.contoso.id
  name            = "AdeleV@contoso.onmicrosoft.com"
}

# By display name: exactly one user must match. Wildcards (* and ?) are
# allowed; without them the display name must match in full.
data "vb365_user" "patti" {
  organization_id = data.vb365_organization.contoso.id
  display_name    = "Patti Fernandez"
}

output "adele_id" {
  value = data.vb365_user.adele.id
}

output "patti_on_premises_sid" {
  value = data.vb365_user.patti.on_premises_sid
}

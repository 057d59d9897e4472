data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# By mail address (matched ignoring case) ...
data "vb365_group" "hr" {
  organization_id = data.vb365_organization.contoso.id
  name            = "HR@contoso.onmicrosoft.com"
}

# ... or by display name: exactly one group must match.
data "vb365_group" "executives" {
  organization_id = data.vb365_organization.contoso.id
  display_name    = "Executives"
}

output "hr_group_id" {
  value = data.vb365_group.hr.id
}

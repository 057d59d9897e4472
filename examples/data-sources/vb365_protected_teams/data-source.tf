data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# The teams whose data is in a backup (API v8).
data "vb365_protected_teams" "contoso" {
  organization_id = data.vb365_organization.contoso.id
}

output "backed_up_teams" {
  value = [for t in data.vb365_protected_teams.contoso.teams : t.display_name]
}

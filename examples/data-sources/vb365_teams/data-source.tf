data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# Every team whose display name starts with "Sales".
data "vb365_teams" "sales" {
  organization_id = data.vb365_organization.contoso.id
  display_name    = "Sales*"
}

output "sales_teams" {
  value = { for t in data.vb365_teams.sales.teams : t.display_name => t.id }
}

data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# Every group of the organization.
data "vb365_groups" "all" {
  organization_id = data.vb365_organization.contoso.id
}

# Groups whose display name starts with "Fin", filtered by the server.
data "vb365_groups" "finance" {
  organization_id = data.vb365_organization.contoso.id
  display_name    = "Fin*"
}

output "group_sites" {
  value = { for g in data.vb365_groups.all.groups : g.display_name => g.site if g.site != "" }
}

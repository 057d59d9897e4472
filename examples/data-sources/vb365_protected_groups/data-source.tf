data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# The groups whose mailbox or site is in a backup (API v8).
data "vb365_protected_groups" "contoso" {
  organization_id = data.vb365_organization.contoso.id
}

output "protected_group_sites" {
  value = { for g in data.vb365_protected_groups.contoso.groups : g.display_name => g.site_urls }
}

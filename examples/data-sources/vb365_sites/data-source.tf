data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# Every SharePoint site, OneDrive (personal) sites included.
data "vb365_sites" "all" {
  organization_id        = data.vb365_organization.contoso.id
  include_personal_sites = true
}

output "site_ids_by_url" {
  value = { for s in data.vb365_sites.all.sites : s.url => s.id }
}

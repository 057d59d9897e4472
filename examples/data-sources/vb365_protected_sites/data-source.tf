# The SharePoint sites in one repository (API v8).
data "vb365_protected_sites" "sites_repository" {
  repository_id = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"
}

output "backed_up_sites" {
  value = [for s in data.vb365_protected_sites.sites_repository.sites : s.url]
}

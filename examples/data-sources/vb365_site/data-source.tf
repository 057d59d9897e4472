data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# By URL (case and a trailing slash do not matter).
data "vb365_site" "hr" {
  organization_id = data.vb365_organization.contoso.id
  url             = "https://contoso.sharepoint.com/sites/HR"
}

# A site ID is two GUIDs written together.
output "hr_site_id" {
  value = data.vb365_site.hr.id
}

data "vb365_organizations" "all" {}

output "organization_names" {
  value = data.vb365_organizations.all.organizations[*].name
}

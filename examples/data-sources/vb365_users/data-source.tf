data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# Every user of the organization (all pages are read).
data "vb365_users" "all" {
  organization_id = data.vb365_organization.contoso.id
}

# Filtered by the server: display names starting with "Adele", accounts
# synchronized from the on-premises Active Directory only.
data "vb365_users" "hybrid_adeles" {
  organization_id = data.vb365_organization.contoso.id
  display_name    = "Adele*"
  location_filter = "Hybrid"
}

output "user_count" {
  value = length(data.vb365_users.all.users)
}

output "shared_mailboxes" {
  value = [for u in data.vb365_users.all.users : u.name if u.type == "Shared"]
}

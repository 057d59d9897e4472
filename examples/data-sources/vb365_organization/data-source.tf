# By name (matched ignoring case) ...
data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# ... or by VB365 ID.
data "vb365_organization" "by_id" {
  id = "6f144e6f-7f59-475f-8e1d-1bfa0b6bb020"
}

output "contoso_id" {
  value = data.vb365_organization.contoso.id
}

# Every restore operator role on the server, e.g. to find the ones that are
# not managed by Terraform yet.
data "vb365_restore_operator_roles" "all" {}

output "roles" {
  value = { for r in data.vb365_restore_operator_roles.all.roles : r.name => r.id }
}

data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

data "vb365_user" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  name            = "ceo@contoso.onmicrosoft.com"
}

# Who may restore the chief executive's data, and why: every restore
# operator role that covers the user (entire organization, selected directly
# or through a group, nested groups followed, minus exclusions), the
# operators those roles make (their groups expanded), whether an audit item
# covers the user, and whether the data is backed up.
data "vb365_restore_access" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  user_id         = data.vb365_user.ceo.id
}

locals {
  ceo_restorers = ["securityofficer@contoso.onmicrosoft.com"]
  unexpected = [
    for o in data.vb365_restore_access.ceo.operators : o
    if !contains(local.ceo_restorers, lower(o.name))
  ]
}

check "only_named_operators_restore_the_ceo" {
  assert {
    condition = length(local.unexpected) == 0
    error_message = join("; ", [
      for o in local.unexpected :
      "${o.name} may restore the chief executive's data (roles: ${join(", ", o.roles)}${length(o.via_groups) > 0 ? "; operator through ${join(", ", o.via_groups)}" : ""})"
    ])
  }
}

output "ceo_roles" {
  value = { for r in data.vb365_restore_access.ceo.roles : r.name => r.reason == "selected_through_group" ? "${r.reason}: ${join(" > ", r.via)}" : r.reason }
}

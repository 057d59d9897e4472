data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

# By the mail address of the team's Microsoft 365 group (or by id, or by
# display_name).
data "vb365_team" "helpdesk" {
  organization_id = data.vb365_organization.contoso.id
  mail            = "Helpdesk@contoso.onmicrosoft.com"
}

output "helpdesk_team_id" {
  value = data.vb365_team.helpdesk.id
}

data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

data "vb365_user" "helpdesk_lead" {
  organization_id = data.vb365_organization.contoso.id
  name            = "NestorW@contoso.onmicrosoft.com"
}

data "vb365_group" "helpdesk" {
  organization_id = data.vb365_organization.contoso.id
  name            = "Executives@contoso.onmicrosoft.com"
}

data "vb365_user" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  name            = "ceo@contoso.onmicrosoft.com"
}

# The helpdesk may restore everyone's data except the chief executive's.
resource "vb365_restore_operator_role" "helpdesk" {
  organization_id = data.vb365_organization.contoso.id
  name            = "Helpdesk"
  description     = "First-line restores for all staff"
  role_type       = "EntireOrganization"

  operators = {
    user_ids  = [data.vb365_user.helpdesk_lead.id]
    group_ids = [data.vb365_group.helpdesk.id]
  }

  excluded_items = {
    user_ids = [data.vb365_user.ceo.id]
  }
}

data "vb365_site" "hr" {
  organization_id = data.vb365_organization.contoso.id
  url             = "https://contoso.sharepoint.com/sites/HR"
}

data "vb365_group" "hr" {
  organization_id = data.vb365_organization.contoso.id
  name            = "HR@contoso.onmicrosoft.com"
}

# HR's own restore operator may restore HR's mailboxes and HR's site only.
resource "vb365_restore_operator_role" "hr" {
  organization_id = data.vb365_organization.contoso.id
  name            = "HR restores"

  operators = {
    user_ids = [data.vb365_user.helpdesk_lead.id]
  }

  selected_items = {
    group_ids = [data.vb365_group.hr.id]
    site_ids  = [data.vb365_site.hr.id]
  }
}

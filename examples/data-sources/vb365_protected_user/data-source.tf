data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

data "vb365_user" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  name            = "ceo@contoso.onmicrosoft.com"
}

# Is the chief executive's data in a backup? By the /Users ID: joined to the
# protected data by msid (the Microsoft Entra object ID) on API v8, by mail
# address to /LicensedUsers on v6 and v7. A user who is not protected is
# is_backed_up = false, not an error.
data "vb365_protected_user" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  user_id         = data.vb365_user.ceo.id
}

# By mail address (a protected mailbox's address), or by msid (API v8).
data "vb365_protected_user" "adele" {
  organization_id = data.vb365_organization.contoso.id
  email           = "AdeleV@contoso.onmicrosoft.com"
}

check "ceo_is_backed_up" {
  assert {
    condition     = data.vb365_protected_user.ceo.is_backed_up && coalesce(data.vb365_protected_user.ceo.archive, true)
    error_message = "The chief executive's mailbox and archive are not both in a backup."
  }
}

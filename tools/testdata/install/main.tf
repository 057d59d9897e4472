# The configuration a user starts from, as the README's install section
# writes it: make test-install (filesystem mirror) and make test-release
# (the registry protocol) run init, validate and providers schema on it.
terraform {
  required_providers {
    vb365 = {
      source  = "terraform-vb365/vb365"
      version = "~> 0.1"
    }
  }
}

provider "vb365" {
  url      = "https://vb365.contoso.local:4443"
  username = "CONTOSO\\svc-terraform"
  password = "not-used-by-validate"
}

resource "vb365_restore_operator_role" "helpdesk" {
  organization_id = "6f144e6f-7f59-475f-8e1d-1bfa0b6bb020"
  name            = "Helpdesk"
  role_type       = "EntireOrganization"
  operators = {
    user_ids = ["a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000"]
  }
}

# The configuration `make demo` applies against the fake VB365 server.
# The provider settings come from VB365_URL, VB365_USERNAME, VB365_PASSWORD
# and VB365_CA_CERT_PEM.
terraform {
  required_providers {
    vb365 = {
      source = "terraform-vb365/vb365"
    }
  }
}

provider "vb365" {}

data "vb365_organizations" "all" {}

data "vb365_organization" "contoso" {
  name = "contoso.onmicrosoft.com"
}

output "organizations" {
  value = { for o in data.vb365_organizations.all.organizations : o.name => o.id }
}

output "contoso" {
  value = {
    id          = data.vb365_organization.contoso.id
    type        = data.vb365_organization.contoso.type
    description = data.vb365_organization.contoso.description
  }
}

terraform {
  required_providers {
    vb365 = {
      source = "terraform-vb365/vb365"
    }
  }
}

# The password comes from VB365_PASSWORD, so it stays out of the configuration.
provider "vb365" {
  url      = "https://vb365.contoso.local:4443"
  username = "CONTOSO\\svc-terraform"

  # VB365 ships a self-signed certificate: trust it explicitly rather than
  # turning verification off.
  ca_cert_pem = file("${path.module}/vb365-ca.pem")
}

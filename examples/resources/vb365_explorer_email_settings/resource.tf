# Each Veeam Explorer has one mail account, through which a restore operator
# can send backed-up items to any address. Declare each explorer at most once
# per VB365 server.

# --- The OneDrive, SharePoint and Teams Explorers may not send at all ---
resource "vb365_explorer_email_settings" "onedrive" {
  explorer = "onedrive"
  enabled  = false
}

resource "vb365_explorer_email_settings" "sharepoint" {
  explorer = "sharepoint"
  enabled  = false
}

resource "vb365_explorer_email_settings" "teams" {
  explorer = "teams"
  enabled  = false
}

# --- The Exchange Explorer sends through the corporate relay only ---
#
# The password is write-only (Terraform 1.11 and later): it is sent to VB365
# but never stored in the plan or the state. Pass it as an ephemeral variable,
# e.g. TF_VAR_relay_password from your secret store.
variable "relay_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "vb365_explorer_email_settings" "exchange" {
  explorer           = "exchange"
  enabled            = true
  server             = "relay.contoso.com"
  port               = 587
  use_ssl            = true
  use_authentication = true
  username           = "vb365-restores@contoso.com"
  password_wo        = var.relay_password
  # Terraform cannot compare a write-only value: change the version to send
  # a new password.
  password_wo_version = 1
  from                = "vb365-restores@contoso.com"
}

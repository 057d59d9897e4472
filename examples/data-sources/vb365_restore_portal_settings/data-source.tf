# The Restore Portal, where restore operators and users restore backed-up
# data in a browser. The route is anonymous: reading it signs in to nothing.
# It cannot be changed through the REST API (PowerShell:
# Set-VBORestorePortalSettings), so pin it with a check.
data "vb365_restore_portal_settings" "this" {}

check "restore_portal_as_approved" {
  assert {
    condition = !data.vb365_restore_portal_settings.this.enabled || (
      data.vb365_restore_portal_settings.this.application_id == "5b1f3c2a-9d8e-4f7a-b6c5-d4e3f2a1b0c9" &&
      data.vb365_restore_portal_settings.this.portal_url == "https://vb365.contoso.local:4443"
    )
    error_message = "The Restore Portal is on with application ${data.vb365_restore_portal_settings.this.application_id} at ${coalesce(data.vb365_restore_portal_settings.this.portal_url, "(no address)")}, not the approved one."
  }
}

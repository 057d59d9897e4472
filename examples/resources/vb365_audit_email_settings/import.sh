# A VB365 server has one audit e-mail settings object; its ID is always
# audit_email_settings. The password and request_id are never returned by the
# server, so they are set from the configuration on the next apply.
terraform import vb365_audit_email_settings.smtp audit_email_settings

# A VB365 server has one job notification settings object; its ID is always
# email_notification_settings. The password and request_id are never returned
# by the server, so they are set from the configuration on the next apply.
terraform import vb365_email_notification_settings.this email_notification_settings

# Each Explorer has one mail account; the import ID is the Explorer's name:
# exchange, onedrive, sharepoint or teams. The password and request_id are
# never returned by the server, so they are set from the configuration on
# the next apply.
terraform import vb365_explorer_email_settings.exchange exchange

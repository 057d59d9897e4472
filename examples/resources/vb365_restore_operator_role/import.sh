# Import a role by its VB365 ID (the vb365_restore_operator_roles data source
# lists them). Its members are read from the server.
terraform import vb365_restore_operator_role.helpdesk 1f0c7b2a-3d4e-4f5a-8b6c-7d8e9f0a1b2c

# Sourced by tools/demo.sh: changes made behind Terraform's back, which the
# next `terraform plan` must show.
org="$("$tf" output -raw contoso_id)"
role="$("$tf" output -raw helpdesk_role_id)"
ceo="$("$tf" output -raw ceo_user_id)"
job="$("$tf" output -raw backup_job_id)"

echo "- someone removes the CEO from the audited users"
fake_admin POST "/_fake/audit-items/remove?organizationId=$org&principalId=$ceo"

echo "- someone removes the CEO from the backup job"
fake_admin POST "/_fake/job-items/remove?jobId=$job&list=SelectedItems&principal=$ceo"

echo "- someone redirects the audit e-mails and turns them off"
fake_admin PATCH /_fake/audit-email-settings '{"to": "someone-else@contoso.onmicrosoft.com", "enableNotification": false}'

echo "- someone opens the Exchange Explorer's mail channel, through their own relay"
fake_admin PATCH "/_fake/explorer-email-settings?explorer=exchange" '{"enableNotification": true, "server": "smtp.fabrikam.com", "from": "restores@fabrikam.com"}'

echo "- someone asks for an e-mail about every successful job"
fake_admin PATCH /_fake/job-email-settings '{"notifyOnSuccess": true}'

echo "- Simon Service restores the CEO's mailbox"
fake_admin POST /_fake/restore-sessions '{"initiatedBy": "CONTOSO\\simon.service", "type": "Vex", "scopeName": "Chief Executive", "events": [{"type": "Restore", "itemName": "Inbox"}]}'
echo

echo "- someone makes Alex Wilber a restore operator of the helpdesk role"
fake_admin POST "/_fake/role-members?roleId=$role&list=operators&userName=AlexW@contoso.onmicrosoft.com"

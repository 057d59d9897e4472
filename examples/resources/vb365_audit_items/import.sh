# The audit list of an organization: <organization_id>
terraform import vb365_audit_items.contoso 6f144e6f-7f59-475f-8e1d-1bfa0b6bb020

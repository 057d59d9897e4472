# By name (matched in full, ignoring case) ...
data "vb365_backup_repository" "contoso" {
  name = "Contoso Immutable"
}

# ... or by VB365 ID.
data "vb365_backup_repository" "by_id" {
  id = "a1b2c3d4-e5f6-4a7b-8c9d-e0f1a2b3c4d5"
}

# The posture of the repository the audited data lives in: every plan and
# apply warns when it is no longer encrypted or no longer immutable.
# immutability_enabled is null on REST API v6, which does not say; the check
# fails then too.
check "contoso_repository_posture" {
  assert {
    condition     = data.vb365_backup_repository.contoso.encryption_enabled
    error_message = "Backup repository ${data.vb365_backup_repository.contoso.name} is not encrypted."
  }
  assert {
    condition     = data.vb365_backup_repository.contoso.immutability_enabled == true
    error_message = "Backup repository ${data.vb365_backup_repository.contoso.name} is not immutable (or the API version does not say)."
  }
}

output "contoso_repository" {
  value = {
    id               = data.vb365_backup_repository.contoso.id
    retention_years  = data.vb365_backup_repository.contoso.retention_years
    storage          = data.vb365_backup_repository.contoso.object_storage_type
    immutable_days   = data.vb365_backup_repository.contoso.immutability_period_days
    encryption_key   = data.vb365_backup_repository.contoso.encryption_key_id
    used_space_bytes = data.vb365_backup_repository.contoso.used_space_bytes
  }
}

data "vb365_backup_repositories" "all" {}

# Only the long-term (archive tier) repositories.
data "vb365_backup_repositories" "archive" {
  long_term = true
}

# The repositories that keep backups neither encrypted nor immutable.
output "unprotected_repositories" {
  value = [
    for r in data.vb365_backup_repositories.all.repositories : r.name
    if !r.encryption_enabled && r.immutability_enabled != true
  ]
}

output "archive_repository_ids" {
  value = data.vb365_backup_repositories.archive.repositories[*].id
}

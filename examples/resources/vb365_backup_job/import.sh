# Import a backup job by its VB365 ID (the vb365_backup_jobs data source
# lists them). Its items and schedule are read from the server.
terraform import vb365_backup_job.staff 5b1e0c3a-2f4d-4e6a-9b8c-1d2e3f4a5b6c

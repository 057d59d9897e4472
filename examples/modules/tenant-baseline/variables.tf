variable "organization" {
  description = "Name of the tenant's organization in VB365, e.g. \"contoso.onmicrosoft.com\"."
  type        = string
}

variable "repository" {
  description = "Name of the backup repository the tenant's job writes to, as the console shows it (e.g. \"Default Backup Repository\"); it must name exactly one."
  type        = string
}

variable "job_name" {
  description = "Name of the tenant's backup job."
  type        = string
  default     = "Tenant baseline"
}

variable "backup_groups" {
  description = "Groups (by name) whose members' mailboxes and OneDrives are backed up."
  type        = set(string)
  default     = []
}

variable "backup_sites" {
  description = "SharePoint sites (by URL) that are backed up."
  type        = set(string)
  default     = []
}

variable "backup_users" {
  description = "Users (by name) whose mailbox and archive are backed up on their own, e.g. executives."
  type        = set(string)
  default     = []
}

variable "audited_users" {
  description = "Users (by name) whose backed-up data is audited: every view, export or restore of it raises an alert. They are also excluded from the helpdesk role."
  type        = set(string)
  default     = []
}

variable "helpdesk_operators" {
  description = "Users (by name) who may restore everyone's data except the audited users'. No role is made when empty."
  type        = set(string)
  default     = []
}

variable "organization" {
  type        = string
  description = "Name of the VB365 organization, e.g. contoso.onmicrosoft.com."
}

variable "audited_users" {
  type        = set(string)
  description = "Mail addresses (UPNs) of the users whose backed-up data is audited."
  default     = []

  validation {
    condition     = alltrue([for u in var.audited_users : can(regex("^[^@\\s]+@[^@\\s]+$", u))])
    error_message = "Each audited user is a mail address (user principal name), e.g. ceo@contoso.onmicrosoft.com."
  }
}

variable "audited_groups" {
  type        = set(string)
  description = "Mail addresses of the groups whose members' backed-up data is audited."
  default     = []
}

variable "authoritative" {
  type        = bool
  description = "true: these are all the audited principals of the organization, and any other audit item is removed (vb365_audit_items). false: add these and leave the others alone (one vb365_audit_item each)."
  default     = true
}

variable "alert_recipients" {
  type        = list(string)
  description = "Who receives the audit e-mails."

  validation {
    condition     = length(var.alert_recipients) > 0
    error_message = "Name at least one recipient of the audit e-mails."
  }
}

variable "smtp" {
  type = object({
    server   = string
    port     = optional(number, 587)
    use_ssl  = optional(bool, true)
    username = optional(string)
    from     = string
  })
  description = "SMTP server the audit e-mails go through; username is optional (no SMTP authentication without it)."
}

variable "smtp_password" {
  type        = string
  description = "Password of smtp.username. Sent to VB365 write-only: never in the plan or the state."
  default     = null
  sensitive   = true
}

variable "smtp_password_version" {
  type        = number
  description = "Change it to send smtp_password again (Terraform cannot compare a write-only value)."
  default     = 1
}

variable "subject" {
  type        = string
  description = "Subject of the audit e-mails; VB365 fills in %OrganizationName%, %DisplayName%, %Action%, %InitiatedByUserName% and %StartTime%."
  default     = "[Audit] %OrganizationName% - %DisplayName% - %Action% initiated by %InitiatedByUserName% at %StartTime%"
}

variable "explorer_mail" {
  type = object({
    explorers = optional(set(string), ["exchange", "onedrive", "sharepoint", "teams"])
    relay = optional(object({
      server  = string
      port    = optional(number, 25)
      use_ssl = optional(bool, true)
      from    = string
    }))
  })
  description = "The Explorers' mail channel, through which a restore operator can mail backed-up items to any address. null (default): not managed by this module. Set: the named Explorers' accounts are pinned off, or, with relay, may send through that relay only (without SMTP authentication)."
  default     = null

  validation {
    condition     = var.explorer_mail == null || alltrue([for e in try(var.explorer_mail.explorers, []) : contains(["exchange", "onedrive", "sharepoint", "teams"], e)])
    error_message = "explorer_mail.explorers names Explorers: exchange, onedrive, sharepoint or teams."
  }
}

variable "check_protection" {
  type        = bool
  description = "Warn in every plan (a check block) when an audited user's data is not in a backup: an alert on a user who is not backed up protects nothing. Costs one vb365_protected_users list (one request per 10,000 users; with API v6 and v7, the licensed users)."
  default     = true
}

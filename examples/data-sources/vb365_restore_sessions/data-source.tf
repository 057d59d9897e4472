# Who restored, exported, sent or saved backed-up data in the last 24 hours
# (the default window), with what they did.
data "vb365_restore_sessions" "last_day" {
  event_types = ["Restore", "Export", "Send", "Save"]
}

# A given week, Exchange only, one operator.
data "vb365_restore_sessions" "anna_exchange" {
  started_after  = "2026-11-23T00:00:00Z"
  started_before = "2026-11-30T00:00:00Z"
  type           = "Exchange"
  initiated_by   = "CONTOSO\\helpdesk-anna"
  include_events = true
}

output "restores_last_day" {
  value = [
    for s in data.vb365_restore_sessions.last_day.sessions :
    "${s.created} ${s.initiated_by} ${s.type} ${s.scope_name}: ${join(", ", [for e in s.events : "${e.type} ${e.item_name}"])}"
  ]
}

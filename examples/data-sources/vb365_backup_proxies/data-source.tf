data "vb365_backup_proxies" "all" {}

output "offline_proxies" {
  value = [for p in data.vb365_backup_proxies.all.proxies : p.host_name if p.status != "Online"]
}

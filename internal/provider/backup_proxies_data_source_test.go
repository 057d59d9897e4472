package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func TestAccBackupProxiesDataSource(t *testing.T) {
	for _, version := range []string{"v8", "v7", "v6"} {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			provider := providerBlock(fake, `api_version = "`+version+`"`)
			v8 := func(s string) knownvalue.Check {
				return v8Only(version, knownvalue.StringExact(s), knownvalue.StringExact(""))
			}
			fqdn := func(s string) knownvalue.Check {
				if version == "v6" {
					return knownvalue.StringExact("")
				}
				return knownvalue.StringExact(s)
			}
			proxies := func(second string) knownvalue.Check {
				return knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":                     knownvalue.StringExact(vb365test.DefaultProxyID),
						"host_name":              knownvalue.StringExact(vb365test.DefaultProxyHost),
						"fqdn":                   fqdn(vb365test.DefaultProxyHost),
						"description":            knownvalue.StringExact("Created by Veeam Backup for Microsoft 365"),
						"port":                   knownvalue.Int64Exact(9193),
						"type":                   knownvalue.StringExact("Local"),
						"status":                 knownvalue.StringExact("Online"),
						"maintenance_mode_state": v8("Disabled"),
						"proxy_pool_id":          knownvalue.StringExact(""),
						"operating_system":       v8("Windows"),
						"version":                v8("8.1.2.180"),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":                     knownvalue.StringExact(vb365test.DemoProxyID),
						"host_name":              knownvalue.StringExact("vb365-proxy02.contoso.local"),
						"fqdn":                   fqdn("vb365-proxy02.contoso.local"),
						"description":            knownvalue.StringExact("Linux proxy for object storage"),
						"port":                   knownvalue.Int64Exact(9193),
						"type":                   knownvalue.StringExact("Domain"),
						"status":                 knownvalue.StringExact(second),
						"maintenance_mode_state": v8("Disabled"),
						"proxy_pool_id":          v8(vb365test.DemoProxyPoolID),
						"operating_system":       v8("Linux"),
						"version":                v8("8.1.2.180"),
					}),
				})
			}
			cfg := provider + `data "vb365_backup_proxies" "all" {}`
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.vb365_backup_proxies.all", tfjsonpath.New("proxies"), proxies("Online")),
						},
					},
					{
						// A proxy goes offline out of band: the next read shows it.
						PreConfig: func() {
							fake.UpdateProxy(vb365test.DemoProxyID, func(p *vb365test.Proxy) { p.Status = "Offline" })
						},
						Config: cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.vb365_backup_proxies.all", tfjsonpath.New("proxies"), proxies("Offline")),
						},
					},
				},
			})
		})
	}
}

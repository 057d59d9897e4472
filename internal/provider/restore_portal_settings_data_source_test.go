package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// TestAccRestorePortalSettingsDataSource reads the seeded portal on v8, v7
// and v6 (no portal address there), sees a change made with PowerShell
// (the fake's SetRestorePortal) in the next plan, and never signs in: every
// walk of the test reads only this anonymous route.
func TestAccRestorePortalSettingsDataSource(t *testing.T) {
	for _, version := range []string{"v8", "v7", "v6"} {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			cfg := providerBlock(fake, `api_version = "`+version+`"`) + `
data "vb365_restore_portal_settings" "this" {}
`
			var portalURL knownvalue.Check = knownvalue.StringExact("https://vb365.contoso.local:4443")
			if version == "v6" {
				portalURL = knownvalue.Null()
			}
			noSignIn := func(*terraform.State) error {
				if n := fake.Count("POST /token"); n != 0 {
					return fmt.Errorf("the token endpoint was asked %d times; the route is anonymous", n)
				}
				if n := fake.Count("GET /RestorePortalSettings"); n == 0 {
					return fmt.Errorf("the settings were not read")
				}
				return nil
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.vb365_restore_portal_settings.this", tfjsonpath.Path{}, knownvalue.ObjectExact(map[string]knownvalue.Check{
								"enabled":        knownvalue.Bool(true),
								"application_id": knownvalue.StringExact("5b1f3c2a-9d8e-4f7a-b6c5-d4e3f2a1b0c9"),
								"authority_url":  knownvalue.StringExact("https://login.microsoftonline.com/contoso.onmicrosoft.com"),
								"portal_url":     portalURL,
							})),
						},
						Check: noSignIn,
					},
					{
						// Someone turns the portal off with PowerShell.
						PreConfig: func() { fake.SetRestorePortal(vb365test.RestorePortal{}) },
						Config:    cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.vb365_restore_portal_settings.this", tfjsonpath.Path{}, knownvalue.ObjectExact(map[string]knownvalue.Check{
								"enabled":        knownvalue.Bool(false),
								"application_id": knownvalue.StringExact("00000000-0000-0000-0000-000000000000"),
								"authority_url":  knownvalue.Null(),
								"portal_url":     knownvalue.Null(),
							})),
						},
						Check: noSignIn,
					},
				},
			})
		})
	}
}

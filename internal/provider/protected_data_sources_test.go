package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// TestAccProtectedGroupsSitesTeams reads the v8 lists with each filter:
// none, organization_id, repository_id, both; and an organization that has
// nothing protected, and one that does not exist.
func TestAccProtectedGroupsSitesTeams(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	org, fabrikam := vb365test.DemoOrganizationID, "0d7e2f6a-91c3-4b8e-a5d4-3c2b1a0f9e87"
	repo, sitesRepo := vb365test.DemoRepositoryID, vb365test.DemoSitesRepositoryID
	cfg := providerBlock(fake) + fmt.Sprintf(`
data "vb365_protected_groups" "all" {}
data "vb365_protected_groups" "contoso" {
  organization_id = %[1]q
}
data "vb365_protected_groups" "in_sites_repository" {
  repository_id = %[3]q
}
data "vb365_protected_sites" "contoso_sites_repository" {
  organization_id = %[1]q
  repository_id   = %[3]q
}
data "vb365_protected_sites" "in_users_repository" {
  repository_id = %[4]q
}
data "vb365_protected_teams" "contoso" {
  organization_id = %[1]q
}
data "vb365_protected_teams" "fabrikam" {
  organization_id = %[2]q
}
`, org, fabrikam, sitesRepo, repo)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vb365_protected_groups.all", tfjsonpath.New("groups"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.vb365_protected_groups.contoso", tfjsonpath.New("groups").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"display_name": knownvalue.StringExact("HR"), "email": knownvalue.StringExact("HR@contoso.onmicrosoft.com"),
						"organization_id": knownvalue.StringExact(org), "mailbox": knownvalue.Bool(true),
						"site_urls": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("https://contoso.sharepoint.com/sites/HR")}),
						"msid":      knownvalue.NotNull(), "id": knownvalue.NotNull(),
					})),
					statecheck.ExpectKnownValue("data.vb365_protected_groups.in_sites_repository", tfjsonpath.New("groups"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.vb365_protected_sites.contoso_sites_repository", tfjsonpath.New("sites"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"url": knownvalue.StringExact("https://contoso.sharepoint.com/sites/HR"), "id": knownvalue.StringExact(vb365test.DemoSiteID)}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"url": knownvalue.StringExact("https://contoso.sharepoint.com/sites/Finance"), "display_name": knownvalue.StringExact("Finance")}),
					})),
					statecheck.ExpectKnownValue("data.vb365_protected_sites.in_users_repository", tfjsonpath.New("sites"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.vb365_protected_teams.contoso", tfjsonpath.New("teams"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact(vb365test.DemoTeamID), "msid": knownvalue.StringExact(vb365test.DemoTeamID),
							"display_name": knownvalue.StringExact("Sales"), "description": knownvalue.StringExact("Sales team"), "organization_id": knownvalue.StringExact(org)}),
					})),
					statecheck.ExpectKnownValue("data.vb365_protected_teams.fabrikam", tfjsonpath.New("teams"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				Config:      providerBlock(fake) + fmt.Sprintf("data \"vb365_protected_sites\" \"x\" {\n  organization_id = %q\n}\n", unknownOrg),
				ExpectError: textRe("VB365 has no organization with ID \"" + unknownOrg + "\""),
			},
		},
	})
}

// TestAccProtectedDataNeedsV8: with v6 and v7 the group, site and team
// lists fail at plan time naming api_version, without a request (not even
// the sign-in).
func TestAccProtectedDataNeedsV8(t *testing.T) {
	for _, version := range []string{"v7", "v6"} {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			var steps []resource.TestStep
			for _, kind := range []string{"groups", "sites", "teams"} {
				steps = append(steps, resource.TestStep{
					Config:      providerBlock(fake, `api_version = "`+version+`"`) + "data \"vb365_protected_" + kind + "\" \"x\" {}\n",
					ExpectError: regexp.MustCompile(`(?s)Unable to read protected ` + kind + `.*exist from REST API v8.*speaks\s+` + version + `\s+\(api_version\)`),
				})
			}
			// After the refusals: nothing was asked of the server.
			steps = append(steps, resource.TestStep{
				Config: providerBlock(fake, `api_version = "`+version+`"`),
				Check: func(*terraform.State) error {
					if n := fake.Count(""); n != 0 {
						return fmt.Errorf("%d requests were sent: %v", n, fake.CountByRoute())
					}
					return nil
				},
			})
			resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
		})
	}
}

package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// TestAccTeamDataSources: the team list with a wildcard, a team by ID,
// display name and mail, an ambiguous display name listing the candidates,
// and an unknown mail, on v8 and v7.
func TestAccTeamDataSources(t *testing.T) {
	for _, version := range apiVersions {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			org := vb365test.DemoOrganizationID
			cfg := func(body string) string {
				return providerBlock(fake, `api_version = "`+version+`"`) + body
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: cfg(fmt.Sprintf(`
data "vb365_teams" "all" {
  organization_id = %[1]q
}
data "vb365_teams" "sales" {
  organization_id = %[1]q
  display_name    = "sales*"
}
data "vb365_team" "by_id" {
  organization_id = %[1]q
  id              = %[2]q
}
data "vb365_team" "by_name" {
  organization_id = %[1]q
  display_name    = "HELPDESK"
}
data "vb365_team" "by_mail" {
  organization_id = %[1]q
  mail            = "salesemea@contoso.onmicrosoft.com"
}
`, org, vb365test.DemoTeamID)),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.vb365_teams.all", tfjsonpath.New("teams"), knownvalue.ListSizeExact(3)),
							statecheck.ExpectKnownValue("data.vb365_teams.sales", tfjsonpath.New("teams"), knownvalue.ListSizeExact(2)),
							expectAttrs("data.vb365_team.by_id", map[string]string{"display_name": "Sales", "mail": "Sales@contoso.onmicrosoft.com", "description": "Sales team"}),
							expectAttrs("data.vb365_team.by_name", map[string]string{"display_name": "Helpdesk", "mail": "Helpdesk@contoso.onmicrosoft.com"}),
							expectAttrs("data.vb365_team.by_mail", map[string]string{"display_name": "Sales EMEA", "description": ""}),
						},
					},
					{
						Config:      cfg(fmt.Sprintf("data \"vb365_team\" \"x\" {\n  organization_id = %q\n  display_name = \"Sales*\"\n}\n", org)),
						ExpectError: regexp.MustCompile(`(?s)Unable to identify team.*Sales@contoso.onmicrosoft.com.*SalesEMEA@contoso.onmicrosoft.com.*Set\s+mail\s+or\s+id`),
					},
					{
						Config:      cfg(fmt.Sprintf("data \"vb365_team\" \"x\" {\n  organization_id = %q\n  mail = \"nobody@contoso.onmicrosoft.com\"\n}\n", org)),
						ExpectError: regexp.MustCompile(`(?s)Unable to find team.*no\s+team\s+with\s+the\s+mail\s+address`),
					},
				},
			})
		})
	}
}

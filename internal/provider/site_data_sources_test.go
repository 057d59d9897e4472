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

// TestAccSiteDataSources: the site list with and without personal sites, a
// site by its two-GUID ID and by URL (case and trailing slash ignored), and
// the errors, on v8 and v7.
func TestAccSiteDataSources(t *testing.T) {
	for _, version := range apiVersions {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			org := vb365test.DemoOrganizationID
			cfg := func(body string) string {
				return providerBlock(fake, `api_version = "`+version+`"`) + body
			}
			personalURL := "https://contoso-my.sharepoint.com/personal/ceo_contoso_onmicrosoft_com"
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: cfg(fmt.Sprintf(`
data "vb365_sites" "shared" {
  organization_id = %[1]q
}
data "vb365_sites" "all" {
  organization_id        = %[1]q
  include_personal_sites = true
}
data "vb365_site" "by_id" {
  organization_id = %[1]q
  id              = %[2]q
}
data "vb365_site" "by_url" {
  organization_id = %[1]q
  url             = "HTTPS://contoso.sharepoint.com/sites/finance/audit/"
}
data "vb365_site" "personal" {
  organization_id = %[1]q
  url             = %[3]q
}
`, org, vb365test.DemoSiteID, personalURL)),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.vb365_sites.shared", tfjsonpath.New("sites"), knownvalue.ListSizeExact(3)),
							statecheck.ExpectKnownValue("data.vb365_sites.all", tfjsonpath.New("sites"), knownvalue.ListSizeExact(4)),
							statecheck.ExpectKnownValue("data.vb365_sites.all", tfjsonpath.New("sites").AtSliceIndex(3), knownvalue.ObjectPartial(map[string]knownvalue.Check{
								"url": knownvalue.StringExact(personalURL), "is_personal": knownvalue.Bool(true), "parent_url": knownvalue.Null(),
							})),
							expectAttrs("data.vb365_site.by_id", map[string]string{"id": vb365test.DemoSiteID, "title": "HR", "url": "https://contoso.sharepoint.com/sites/HR"}),
							expectAttrs("data.vb365_site.by_url", map[string]string{"title": "Finance Audit", "parent_url": "https://contoso.sharepoint.com/sites/Finance"}),
							statecheck.ExpectKnownValue("data.vb365_site.personal", tfjsonpath.New("is_personal"), knownvalue.Bool(true)),
						},
					},
					{
						Config:      cfg(fmt.Sprintf("data \"vb365_site\" \"x\" {\n  organization_id = %q\n  url = \"https://contoso.sharepoint.com/sites/Nope\"\n}\n", org)),
						ExpectError: regexp.MustCompile(`(?s)Unable to find site.*no\s+site\s+with\s+the\s+URL`),
					},
					{
						Config:      cfg(fmt.Sprintf("data \"vb365_site\" \"x\" {\n  organization_id = %q\n  id = %q\n  url = \"https://x\"\n}\n", org, vb365test.DemoSiteID)),
						ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination`),
					},
					{
						Config:      cfg(fmt.Sprintf("data \"vb365_sites\" \"x\" {\n  organization_id = %q\n}\n", unknownOrg)),
						ExpectError: textRe("Unable to read sites of organization " + unknownOrg + ": not found"),
					},
				},
			})
		})
	}
}

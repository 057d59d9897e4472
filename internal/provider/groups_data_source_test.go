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

const groupsRoute = "GET /Organizations/{organizationId}/Groups"

// salesGroupID is a hybrid group with a composite ID (a SID appended).
var salesGroupID = vb365test.HybridPrincipalID("0b1c2d3e-7f00-4a11-9b22-3c4d5e6f7a80", "AQUAAAAAAAUVAAAAervaJPfu-8CbZ-GQjggBBB")

// startGroupsFake is the demo fake plus a hybrid group.
func startGroupsFake(t *testing.T) *vb365test.Server {
	t.Helper()
	fake := startFake(t, vb365test.Options{})
	fake.AddGroup(vb365test.DemoOrganizationID, vb365test.Group{
		ID: salesGroupID, Name: "Sales@contoso.onmicrosoft.com", DisplayName: "Sales", Type: "Security", LocationType: "Hybrid",
		ManagedBy: "PattiF", OnPremisesSID: "S-1-5-21-620408442-2499537385-1871349438-3101", MSID: "0b1c2d3e-7f00-4a11-9b22-3c4d5e6f7a80",
	})
	return fake
}

func groupObject(id, name, displayName, typ, location, managedBy, site string) knownvalue.Check {
	m := map[string]knownvalue.Check{
		"name":          knownvalue.StringExact(name),
		"display_name":  knownvalue.StringExact(displayName),
		"type":          knownvalue.StringExact(typ),
		"location_type": knownvalue.StringExact(location),
		"managed_by":    knownvalue.StringExact(managedBy),
		"site":          knownvalue.StringExact(site),
	}
	if id != "" {
		m["id"] = knownvalue.StringExact(id)
		return knownvalue.ObjectExact(m)
	}
	return knownvalue.ObjectPartial(m)
}

var (
	hrGroup    = groupObject("", "HR@contoso.onmicrosoft.com", "HR", "Office365", "Cloud", "MeganB", "https://contoso.sharepoint.com/sites/HR")
	salesGroup = groupObject(salesGroupID, "Sales@contoso.onmicrosoft.com", "Sales", "Security", "Hybrid", "PattiF", "")
)

func TestAccGroupsDataSource(t *testing.T) {
	for _, version := range apiVersions {
		t.Run(version, func(t *testing.T) {
			fake := startGroupsFake(t)
			provider := providerBlock(fake, `api_version = "`+version+`"`)
			org := vb365test.DemoOrganizationID
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: provider + fmt.Sprintf(`data "vb365_groups" "x" {
  organization_id = %q
  location_filter = "Everywhere"
}`, org),
						ExpectError: regexp.MustCompile(`(?s)location_filter.*value must be one of.*got: "Everywhere"`),
					},
					{
						PreConfig: func() {
							if n := fake.Count(groupsRoute); n != 0 {
								t.Fatalf("an invalid location_filter sent %d requests", n)
							}
						},
						Config:      provider + fmt.Sprintf(`data "vb365_groups" "x" { organization_id = %q }`, unknownOrg),
						ExpectError: textRe("Unable to read groups of organization " + unknownOrg + ": not found"),
					},
					{
						Config: provider + fmt.Sprintf(`
locals { org = %q }
data "vb365_groups" "all" { organization_id = local.org }
data "vb365_groups" "by_mail" {
  organization_id = local.org
  group_name      = "hr@CONTOSO.onmicrosoft.com"
}
data "vb365_groups" "wildcard" {
  organization_id = local.org
  display_name    = "*e*"
}
data "vb365_groups" "hybrid" {
  organization_id = local.org
  location_filter = "OnPremisesOrHybrid"
}
data "vb365_groups" "cloud_s" {
  organization_id = local.org
  display_name    = "S*"
  location_filter = "Cloud"
}
`, org),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.vb365_groups.all", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
								hrGroup,
								groupObject("", "Finance@contoso.onmicrosoft.com", "Finance", "Office365", "Cloud", "AlexW", "https://contoso.sharepoint.com/sites/Finance"),
								groupObject("", "Executives@contoso.onmicrosoft.com", "Executives", "Security", "Cloud", "", ""),
								salesGroup,
							})),
							statecheck.ExpectKnownValue("data.vb365_groups.by_mail", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{hrGroup})),
							statecheck.ExpectKnownValue("data.vb365_groups.wildcard", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
								knownvalue.ObjectPartial(map[string]knownvalue.Check{"display_name": knownvalue.StringExact("Finance")}),
								knownvalue.ObjectPartial(map[string]knownvalue.Check{"display_name": knownvalue.StringExact("Executives")}),
								salesGroup,
							})),
							statecheck.ExpectKnownValue("data.vb365_groups.hybrid", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{salesGroup})),
							statecheck.ExpectKnownValue("data.vb365_groups.cloud_s", tfjsonpath.New("groups"), knownvalue.ListSizeExact(0)),
						},
					},
				},
			})
			sawFilter := map[string]bool{}
			for _, q := range queriesOfRoute(fake, groupsRoute) {
				for _, k := range []string{"groupName", "displayName", "locationFilter"} {
					if q.Has(k) {
						sawFilter[k+"="+q.Get(k)] = true
					}
				}
				if q.Get("limit") != "10000" {
					t.Errorf("list request %v", q)
				}
			}
			for _, want := range []string{"groupName=hr@CONTOSO.onmicrosoft.com", "displayName=*e*", "locationFilter=OnPremisesOrHybrid", "displayName=S*", "locationFilter=Cloud"} {
				if !sawFilter[want] {
					t.Errorf("no request with %s; saw %v", want, sawFilter)
				}
			}
		})
	}
}

// TestAccGroupsDataSource_v5: groups on REST API v5 by mail address and
// display name; location_filter refused at plan time naming api_version.
func TestAccGroupsDataSource_v5(t *testing.T) {
	needsFake(t)
	fake := vb365test.Start(t, vb365test.Options{})
	org := fake.SeedVBridge()
	provider := providerBlock(fake, `api_version = "v5"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider + fmt.Sprintf(`data "vb365_groups" "x" {
  organization_id = %q
  location_filter = "Cloud"
}`, org.ID),
				ExpectError: diagRe("Location filters need REST API v6", `and the provider speaks v5 (api_version = "v5"`),
			},
			{
				PreConfig: func() {
					if n := fake.Count(""); n != 0 {
						t.Fatalf("a refused location_filter sent %d requests", n)
					}
				},
				Config: provider + fmt.Sprintf(`
data "vb365_groups" "execs" {
  organization_id = %q
  group_name      = "executives@VBRIDGE.onmicrosoft.com"
}
data "vb365_group" "execs" {
  organization_id = %[1]q
  display_name    = "Executives"
}
`, org.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vb365_groups.execs", tfjsonpath.New("groups"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.vb365_group.execs", tfjsonpath.New("id"), knownvalue.StringExact(org.Groups[0].ID)),
				},
			},
		},
	})
}

package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func TestAccOrganizationsDataSource(t *testing.T) {
	for _, version := range []string{"v8", "v7", "v6", "v5"} {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			description := knownvalue.StringExact("Contoso production tenant")
			if version == "v6" || version == "v5" {
				description = knownvalue.StringExact("") // v6 and v5 have no description
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: providerBlock(fake, `api_version = "`+version+`"`) + `data "vb365_organizations" "all" {}`,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.vb365_organizations.all", tfjsonpath.New("organizations"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectExact(map[string]knownvalue.Check{
								"id":          knownvalue.StringExact(vb365test.DemoOrganizationID),
								"name":        knownvalue.StringExact("contoso.onmicrosoft.com"),
								"office_name": knownvalue.StringExact("contoso.onmicrosoft.com"),
								"type":        knownvalue.StringExact("Office365"),
								"region":      knownvalue.StringExact("Worldwide"),
								"description": description,
							}),
							knownvalue.ObjectPartial(map[string]knownvalue.Check{
								"name": knownvalue.StringExact("fabrikam.onmicrosoft.com"),
								"type": knownvalue.StringExact("Hybrid"),
							}),
						})),
					},
				}},
			})
		})
	}
}

func TestAccOrganizationsDataSource_nullsAndUnknownEnums(t *testing.T) {
	fake := startFake(t, vb365test.Options{Quirks: vb365test.Quirks{NullsInNonNullable: true, UnknownEnumValues: true}})
	fake.UpdateOrganization(vb365test.DemoOrganizationID, func(o *vb365test.Organization) { o.OfficeName = "" })
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(fake) + `data "vb365_organizations" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.vb365_organizations.all", tfjsonpath.New("organizations").AtSliceIndex(0).AtMapKey("office_name"), knownvalue.StringExact("")),
				statecheck.ExpectKnownValue("data.vb365_organizations.all", tfjsonpath.New("organizations").AtSliceIndex(0).AtMapKey("region"), knownvalue.StringExact("Unknown")),
			},
		}},
	})
}

func TestAccOrganizationDataSource(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(fake) + `data "vb365_organization" "x" { name = "nope.onmicrosoft.com" }`,
				ExpectError: regexp.MustCompile(`(?s)Unable to find organization.*no organization named "nope.onmicrosoft.com"`),
			},
			{
				Config:      providerBlock(fake) + `data "vb365_organization" "x" { id = "11111111-2222-3333-4444-555555555555" }`,
				ExpectError: regexp.MustCompile(`(?s)Unable to find organization.*no organization with ID "11111111-2222-3333-4444-555555555555"`),
			},
			{
				Config:      providerBlock(fake) + `data "vb365_organization" "x" {}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*\[id,name\]|(?s)Exactly one of these attributes must be configured`),
			},
			{
				Config: providerBlock(fake) + `data "vb365_organization" "x" {
  id   = "0d7e2f6a-91c3-4b8e-a5d4-3c2b1a0f9e87"
  name = "fabrikam.onmicrosoft.com"
}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination`),
			},
			{
				Config: providerBlock(fake) + `
data "vb365_organization" "by_name" {
  name = "CONTOSO.onmicrosoft.com"
}
data "vb365_organization" "by_id" {
  id = "0d7e2f6a-91c3-4b8e-a5d4-3c2b1a0f9e87"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.vb365_organization.by_name", tfjsonpath.New("id"), knownvalue.StringExact(vb365test.DemoOrganizationID)),
					statecheck.ExpectKnownValue("data.vb365_organization.by_name", tfjsonpath.New("name"), knownvalue.StringExact("contoso.onmicrosoft.com")),
					statecheck.ExpectKnownValue("data.vb365_organization.by_name", tfjsonpath.New("msid"), knownvalue.StringExact("1c2d3e4f-0000-4000-8000-000000000001")),
					statecheck.ExpectKnownValue("data.vb365_organization.by_name", tfjsonpath.New("description"), knownvalue.StringExact("Contoso production tenant")),
					statecheck.ExpectKnownValue("data.vb365_organization.by_id", tfjsonpath.New("name"), knownvalue.StringExact("fabrikam.onmicrosoft.com")),
					statecheck.ExpectKnownValue("data.vb365_organization.by_id", tfjsonpath.New("type"), knownvalue.StringExact("Hybrid")),
				},
			},
		},
	})
}

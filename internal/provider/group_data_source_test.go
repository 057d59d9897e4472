package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func groupConfig(label string, attrs map[string]string) string {
	return `data "vb365_group"` + userConfig(label, attrs)[len(`data "vb365_user"`):]
}

func TestAccGroupDataSource(t *testing.T) {
	for _, version := range apiVersions {
		t.Run(version, func(t *testing.T) {
			fake := startGroupsFake(t)
			org := vb365test.DemoOrganizationID
			// A second group displayed as "hr" makes "HR" ambiguous.
			fake.AddGroup(org, vb365test.Group{ID: "hr-emea-0001", Name: "HR-EMEA@contoso.onmicrosoft.com", DisplayName: "hr"})
			hrID := fake.Organization(org).Groups[0].ID
			provider := providerBlock(fake, `api_version = "`+version+`"`)
			msid := "0b1c2d3e-7f00-4a11-9b22-3c4d5e6f7a80"
			if version == "v7" {
				msid = ""
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:      provider + groupConfig("x", map[string]string{"organization_id": org}),
						ExpectError: regexp.MustCompile(`(?s)Missing Attribute Configuration.*\[id,name,display_name\]`),
					},
					{
						Config:      provider + groupConfig("x", map[string]string{"organization_id": org, "name": "HR@contoso.onmicrosoft.com", "display_name": "HR"}),
						ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*\[id,name,display_name\]`),
					},
					{
						Config:      provider + groupConfig("x", map[string]string{"organization_id": org, "name": "nobody@contoso.onmicrosoft.com"}),
						ExpectError: diagRe(`Unable to find group`, `VB365 has no group named "nobody@contoso.onmicrosoft.com" in organization `+org),
					},
					{
						Config:      provider + groupConfig("x", map[string]string{"organization_id": org, "id": "missing-group-id"}),
						ExpectError: diagRe(`Unable to find group`, `VB365 has no group with ID "missing-group-id" in organization `+org),
					},
					{
						Config:      provider + groupConfig("x", map[string]string{"organization_id": org, "display_name": "Nobody?"}),
						ExpectError: diagRe(`Unable to find group`, `VB365 has no group with a display name matching "Nobody?" in organization `+org),
					},
					{
						// Exact display name, ignoring case: both HR groups, by name and id.
						Config: provider + groupConfig("x", map[string]string{"organization_id": org, "display_name": "HR"}),
						ExpectError: diagRe(`Unable to identify group`, `2 groups of organization `+org+` have the display name "HR"; display_name must identify exactly one: `+
							`- HR@contoso.onmicrosoft.com, "HR" (id `+hrID+`) `+
							`- HR-EMEA@contoso.onmicrosoft.com, "hr" (id hr-emea-0001) `+
							`Set name or id instead of display_name`),
					},
					{
						Config:      provider + groupConfig("x", map[string]string{"organization_id": unknownOrg, "display_name": "HR"}),
						ExpectError: textRe("Unable to read groups of organization " + unknownOrg + ": not found"),
					},
					{
						Config:      provider + groupConfig("x", map[string]string{"organization_id": unknownOrg, "id": salesGroupID}),
						ExpectError: textRe("Unable to read groups of organization " + unknownOrg + ": not found"),
					},
					{
						Config: provider +
							groupConfig("by_id", map[string]string{"organization_id": org, "id": salesGroupID}) +
							groupConfig("by_name", map[string]string{"organization_id": org, "name": "SALES@contoso.onmicrosoft.com"}) +
							groupConfig("by_display_name", map[string]string{"organization_id": org, "display_name": "finance"}) +
							groupConfig("by_wildcard", map[string]string{"organization_id": org, "display_name": "Exec*"}),
						ConfigStateChecks: []statecheck.StateCheck{
							expectAttrs("data.vb365_group.by_id", map[string]string{
								"organization_id": org, "id": salesGroupID, "name": "Sales@contoso.onmicrosoft.com", "display_name": "Sales",
								"type": "Security", "location_type": "Hybrid", "managed_by": "PattiF", "site": "", "msid": msid,
								"on_premises_sid": "S-1-5-21-620408442-2499537385-1871349438-3101",
							}),
							expectAttrs("data.vb365_group.by_name", map[string]string{"id": salesGroupID, "name": "Sales@contoso.onmicrosoft.com"}),
							expectAttrs("data.vb365_group.by_display_name", map[string]string{
								"name": "Finance@contoso.onmicrosoft.com", "display_name": "Finance", "managed_by": "AlexW",
								"site": "https://contoso.sharepoint.com/sites/Finance", "on_premises_sid": "",
							}),
							expectAttrs("data.vb365_group.by_wildcard", map[string]string{"name": "Executives@contoso.onmicrosoft.com", "type": "Security", "managed_by": ""}),
						},
					},
				},
			})
			// Lookups by name and display name went to the server's filters.
			for _, q := range queriesOfRoute(fake, groupsRoute) {
				if !q.Has("groupName") && !q.Has("displayName") {
					t.Fatalf("unfiltered group list %v", q)
				}
			}
		})
	}
}

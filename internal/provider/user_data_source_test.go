package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func userConfig(label string, attrs map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "data \"vb365_user\" %q {\n", label)
	for _, k := range []string{"organization_id", "id", "name", "display_name"} {
		if v, ok := attrs[k]; ok {
			fmt.Fprintf(&b, "  %s = %q\n", k, v)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

func TestAccUserDataSource(t *testing.T) {
	for _, version := range apiVersions {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			org := vb365test.DemoOrganizationID
			// A second "Adele Vance" makes that display name ambiguous.
			fake.AddUser(org, vb365test.User{ID: "adele-two-0001", Name: "AdeleV2@contoso.onmicrosoft.com", DisplayName: "Adele Vance"})
			provider := providerBlock(fake, `api_version = "`+version+`"`)
			msid := "fafba54d-7ec0-4066-b96d-13be036200f8"
			if version == "v7" {
				msid = "" // msid is v8
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:      provider + userConfig("x", map[string]string{"organization_id": org}),
						ExpectError: regexp.MustCompile(`(?s)Missing Attribute Configuration.*Exactly one of these attributes must be configured:\s+\[id,name,display_name\]`),
					},
					{
						Config:      provider + userConfig("x", map[string]string{"organization_id": org, "id": pattiID, "name": "PattiF@contoso.onmicrosoft.com"}),
						ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*Exactly one of these attributes must be configured:\s+\[id,name,display_name\]`),
					},
					{
						PreConfig: func() {
							if n := fake.Count(usersRoute) + fake.Count(userRoute); n != 0 {
								t.Fatalf("invalid configurations sent %d requests", n)
							}
						},
						Config:      provider + userConfig("x", map[string]string{"organization_id": org, "name": "nobody@contoso.onmicrosoft.com"}),
						ExpectError: diagRe(`Unable to find user`, `VB365 has no user named "nobody@contoso.onmicrosoft.com" in organization `+org+`. The name is the mail address`),
					},
					{
						Config:      provider + userConfig("x", map[string]string{"organization_id": org, "id": "0e9c4a4e-0000-4000-8000-00000000009900000000-0000-0000-0000-000000000000"}),
						ExpectError: diagRe(`Unable to find user`, `VB365 has no user with ID "0e9c4a4e-0000-4000-8000-00000000009900000000-0000-0000-0000-000000000000" in organization `+org),
					},
					{
						Config:      provider + userConfig("x", map[string]string{"organization_id": org, "display_name": "Nobody*"}),
						ExpectError: diagRe(`Unable to find user`, `VB365 has no user with a display name matching "Nobody*" in organization `+org),
					},
					{
						Config:      provider + userConfig("x", map[string]string{"organization_id": org, "display_name": "Alex"}),
						ExpectError: diagRe(`Unable to find user`, `VB365 has no user with the display name "Alex" in organization `+org+`. A display name without * or ? must match in full`),
					},
					{
						// Exact display name, ignoring case: both Adeles, by name and id.
						Config: provider + userConfig("x", map[string]string{"organization_id": org, "display_name": "adele vance"}),
						ExpectError: diagRe(`Unable to identify user`, `2 users of organization `+org+` have the display name "adele vance"; display_name must identify exactly one: `+
							`- AdeleV@contoso.onmicrosoft.com, "Adele Vance" (id `+adeleID+`) `+
							`- AdeleV2@contoso.onmicrosoft.com, "Adele Vance" (id adele-two-0001) `+
							`Set name or id instead of display_name`),
					},
					{
						Config: provider + userConfig("x", map[string]string{"organization_id": org, "display_name": "A*"}),
						ExpectError: textRe(`3 users of organization ` + org + ` have a display name matching "A*"; display_name must identify exactly one: ` +
							`- AdeleV@contoso.onmicrosoft.com, "Adele Vance" (id ` + adeleID + `) ` +
							`- AlexW@contoso.onmicrosoft.com, "Alex Wilber"`),
					},
					{
						Config:      provider + userConfig("x", map[string]string{"organization_id": unknownOrg, "name": "PattiF@contoso.onmicrosoft.com"}),
						ExpectError: textRe("Unable to read users of organization " + unknownOrg + ": not found"),
					},
					{
						Config:      provider + userConfig("x", map[string]string{"organization_id": unknownOrg, "id": pattiID}),
						ExpectError: textRe("Unable to read users of organization " + unknownOrg + ": not found"),
					},
					{
						Config: provider +
							userConfig("by_id", map[string]string{"organization_id": org, "id": pattiID}) +
							userConfig("by_name", map[string]string{"organization_id": org, "name": "pattif@CONTOSO.onmicrosoft.com"}) +
							userConfig("by_display_name", map[string]string{"organization_id": org, "display_name": "MEGAN bowen"}) +
							userConfig("by_wildcard", map[string]string{"organization_id": org, "display_name": "?estor*"}),
						ConfigStateChecks: []statecheck.StateCheck{
							expectAttrs("data.vb365_user.by_id", map[string]string{
								"organization_id": org, "id": pattiID, "name": "PattiF@contoso.onmicrosoft.com", "display_name": "Patti Fernandez",
								"type": "User", "location_type": "Hybrid", "office": "", "msid": msid,
								"on_premises_sid": "S-1-5-21-620408442-2499537385-1871349438-2190",
							}),
							expectAttrs("data.vb365_user.by_name", map[string]string{
								"organization_id": org, "id": pattiID, "name": "PattiF@contoso.onmicrosoft.com", "display_name": "Patti Fernandez",
								"type": "User", "location_type": "Hybrid", "office": "", "msid": msid,
								"on_premises_sid": "S-1-5-21-620408442-2499537385-1871349438-2190",
							}),
							expectAttrs("data.vb365_user.by_display_name", map[string]string{
								"name": "MeganB@contoso.onmicrosoft.com", "display_name": "Megan Bowen", "office": "12/1110", "location_type": "Cloud", "on_premises_sid": "",
							}),
							expectAttrs("data.vb365_user.by_wildcard", map[string]string{
								"name": "NestorW@contoso.onmicrosoft.com", "display_name": "Nestor Wilke", "office": "36/2121",
							}),
						},
					},
				},
			})
		})
	}
}

// expectAttrs checks string attributes of a data source.
func expectAttrs(addr string, attrs map[string]string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.Path{}, knownvalue.ObjectPartial(func() map[string]knownvalue.Check {
		m := map[string]knownvalue.Check{}
		for k, v := range attrs {
			m[k] = knownvalue.StringExact(v)
		}
		return m
	}()))
}

// TestAccUserDataSource_requestCount: in an organization of 25,000 users a
// lookup by name, display name or ID costs one request to the users routes
// (at most two), and each provider configuration logs in once.
func TestAccUserDataSource_requestCount(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	org := vb365test.DemoOrganizationID
	fake.AddUsers(org, 25000)
	counter := &rpcCounter{}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: counter.factories(),
		Steps: []resource.TestStep{{
			Config: providerBlock(fake) +
				userConfig("by_name", map[string]string{"organization_id": org, "name": "user24999@contoso.onmicrosoft.com"}) +
				userConfig("hybrid_by_name", map[string]string{"organization_id": org, "name": "PattiF@contoso.onmicrosoft.com"}) +
				userConfig("by_display_name", map[string]string{"organization_id": org, "display_name": "Generated User 12345"}) +
				userConfig("by_id", map[string]string{"organization_id": org, "id": pattiID}),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttrs("data.vb365_user.by_name", map[string]string{"display_name": "Generated User 24999", "office": "Floor 39"}),
				expectAttrs("data.vb365_user.hybrid_by_name", map[string]string{"id": pattiID}),
				expectAttrs("data.vb365_user.by_display_name", map[string]string{"name": "user12345@contoso.onmicrosoft.com"}),
				expectAttrs("data.vb365_user.by_id", map[string]string{"name": "PattiF@contoso.onmicrosoft.com"}),
			},
		}},
	})
	configures, reads := counter.counts()
	requests := fake.Count(usersRoute) + fake.Count(userRoute)
	if reads["vb365_user"] == 0 || requests > 2*reads["vb365_user"] {
		t.Fatalf("%d requests to the users routes for %d reads of vb365_user, want at most 2 per read", requests, reads["vb365_user"])
	}
	// In fact exactly one each: a filtered list or a GET by ID.
	if requests != reads["vb365_user"] {
		t.Fatalf("%d requests to the users routes for %d reads of vb365_user, want 1 per read", requests, reads["vb365_user"])
	}
	for _, q := range queriesOfRoute(fake, usersRoute) {
		if !q.Has("userName") && !q.Has("displayName") || q.Get("limit") != "10000" {
			t.Fatalf("unfiltered list request %v", q)
		}
	}
	// A configuration signs in on its first API call: at most once.
	if logins := fake.Count("POST /token"); configures == 0 || logins == 0 || logins > configures {
		t.Fatalf("%d logins for %d provider configurations, want 1 to %d", logins, configures, configures)
	}
	t.Logf("%d reads of vb365_user, %d requests to the users routes, %d configurations, %d logins", reads["vb365_user"], requests, configures, fake.Count("POST /token"))
}

// TestLookupDiagnostics checks the exact text of the lookup errors.
func TestLookupDiagnostics(t *testing.T) {
	org := vb365test.DemoOrganizationID
	for _, tc := range []struct {
		name            string
		orgID           string
		by              lookupKey
		err             error
		attr            string
		summary, detail string
	}{
		{
			"unknown organization", unknownOrg, lookupKey{"name", "a@b"}, &vb365.NotFoundError{Kind: "organization", Key: "id", Value: unknownOrg},
			"organization_id", "Unable to read users", "Unable to read users of organization " + unknownOrg + ": not found.\n\n",
		},
		{
			"no match by name", org, lookupKey{"name", "a@b"}, &vb365.NotFoundError{Kind: "user", Key: "name", Value: "a@b"},
			"name", "Unable to find user", `VB365 has no user named "a@b" in organization ` + org + ".\n\nThe name is the mail address",
		},
		{
			"ambiguous", org, lookupKey{"display_name", "HR*"},
			&vb365.AmbiguousError{Kind: "user", Key: "display_name", Value: "HR*", OrganizationID: org, Truncated: true, Matches: []vb365.Match{{ID: "i1", Name: "n1", DisplayName: "HR 1"}, {ID: "i2", DisplayName: "HR 2"}}},
			"display_name", "Unable to identify user",
			"2 or more users of organization " + org + " have a display name matching \"HR*\"; display_name must identify exactly one:\n  - n1, \"HR 1\" (id i1)\n  - (no name), \"HR 2\" (id i2)\n\nSet name or id",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addLookupError(&diags, "user", tc.orgID, tc.by, tc.err)
			if len(diags) != 1 {
				t.Fatalf("diags = %v", diags)
			}
			d, ok := diags[0].(diag.DiagnosticWithPath)
			if !ok || d.Path().String() != tc.attr || d.Summary() != tc.summary || !strings.HasPrefix(d.Detail(), tc.detail) {
				t.Fatalf("diag = %s %q: %q\nwant      %s %q: %q...", d.Path(), d.Summary(), d.Detail(), tc.attr, tc.summary, tc.detail)
			}
		})
	}
	// At most maxListedMatches candidates are listed.
	amb := &vb365.AmbiguousError{Kind: "group", Key: "display_name", Value: "T*", OrganizationID: org}
	for i := 0; i < 25; i++ {
		amb.Matches = append(amb.Matches, vb365.Match{ID: fmt.Sprint("id", i), Name: fmt.Sprint("team", i)})
	}
	detail := ambiguousDetail(amb, "display_name")
	if !strings.Contains(detail, "team19, ") || strings.Contains(detail, "team20, ") || !strings.Contains(detail, "... and 5 more") || !strings.HasPrefix(detail, "25 groups of organization") {
		t.Fatalf("detail = %s", detail)
	}
}

package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// accessFake is the demo organization with the seeded restore operator
// roles: "Everyone" (entire organization, excludes the group Executives),
// "Finance data" (selects Finance, which holds Executives, which holds
// Finance: a cycle; operators the group HR), "Adele only".
func accessFake(t *testing.T) (fake *vb365test.Server, userID, groupID func(string) string, roleID func(string) string) {
	t.Helper()
	fake = startFake(t, vb365test.Options{})
	fake.SeedRestoreAccessRoles()
	org := fake.Organization(vb365test.DemoOrganizationID)
	userID = func(local string) string {
		for _, u := range org.Users {
			if strings.EqualFold(u.Name, local+"@contoso.onmicrosoft.com") {
				return u.ID
			}
		}
		t.Fatalf("no demo user %s", local)
		return ""
	}
	groupID = func(local string) string {
		for _, g := range org.Groups {
			if strings.EqualFold(g.Name, local+"@contoso.onmicrosoft.com") {
				return g.ID
			}
		}
		t.Fatalf("no demo group %s", local)
		return ""
	}
	roleID = func(name string) string {
		for _, r := range fake.Roles() {
			if r.Name == name {
				return r.ID
			}
		}
		t.Fatalf("no role %s", name)
		return ""
	}
	return fake, userID, groupID, roleID
}

func roleAccess(id, name, reason string, via ...string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact(id), "name": knownvalue.StringExact(name),
		"reason": knownvalue.StringExact(reason), "via": stringList(via...)})
}

// TestAccRestoreAccessDataSource answers for the seeded organization, on
// each API version, exactly: the chief executive is selected by "Finance
// data" through a group nested in a group (Finance > Executives) and
// excluded from the entire-organization role "Everyone" through the group
// Executives; her operators come through the group HR. Alex Wilber is
// reached through the cycle (Executives holds Finance, which holds him);
// Megan Bowen only by the entire-organization role, and audited through
// HR. Then the chief executive leaves Executives out of band: the next
// plan sees "Everyone" cover her and Nestor Wilke may restore her.
func TestAccRestoreAccessDataSource(t *testing.T) {
	for _, version := range []string{"v8", "v7", "v6"} {
		t.Run(version, func(t *testing.T) {
			fake, userID, groupID, roleID := accessFake(t)
			org := vb365test.DemoOrganizationID
			ceo, alex, megan := userID("ceo"), userID("AlexW"), userID("MeganB")
			execs := groupID("Executives")
			provider := providerBlock(fake, `api_version = "`+version+`"`)
			cfg := provider + fmt.Sprintf(`
data "vb365_restore_access" "ceo" {
  organization_id = %[1]q
  user_id         = %[2]q
}
data "vb365_restore_access" "alex" {
  organization_id = %[1]q
  user_id         = %[3]q
}
data "vb365_restore_access" "megan" {
  organization_id = %[1]q
  user_id         = %[4]q
}
data "vb365_restore_access" "executives" {
  organization_id = %[1]q
  group_id        = %[5]q
}
data "vb365_restore_access" "site" {
  organization_id = %[1]q
  site_id         = %[6]q
}
`, org, ceo, alex, megan, execs, vb365test.DemoSiteID)
			fin, ex, hr := "Finance@contoso.onmicrosoft.com", "Executives@contoso.onmicrosoft.com", "HR@contoso.onmicrosoft.com"
			financeData, everyone := roleID("Finance data"), roleID("Everyone")
			hrOperator := func(local, display string) knownvalue.Check {
				return knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id": knownvalue.StringExact(userID(local)), "name": knownvalue.StringExact(local + "@contoso.onmicrosoft.com"),
					"display_name": knownvalue.StringExact(display), "roles": stringList("Finance data"), "role_ids": stringList(financeData),
					"via_groups": stringList(hr),
				})
			}
			nestor := knownvalue.ObjectExact(map[string]knownvalue.Check{
				"id": knownvalue.StringExact(userID("NestorW")), "name": knownvalue.StringExact("NestorW@contoso.onmicrosoft.com"),
				"display_name": knownvalue.StringExact("Nestor Wilke"), "roles": stringList("Everyone"), "role_ids": stringList(everyone),
				"via_groups": stringList(),
			})
			hrOperators := knownvalue.ListExact([]knownvalue.Check{hrOperator("MeganB", "Megan Bowen"), hrOperator("PattiF", "Patti Fernandez")})
			protected := map[bool]knownvalue.Check{true: knownvalue.Bool(true), false: knownvalue.Null()}[version == "v8"]
			ds := func(name string) string { return "data.vb365_restore_access." + name }
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(ds("ceo"), tfjsonpath.Path{}, knownvalue.ObjectExact(map[string]knownvalue.Check{
								"organization_id": knownvalue.StringExact(org), "user_id": knownvalue.StringExact(ceo),
								"group_id": knownvalue.Null(), "site_id": knownvalue.Null(), "team_id": knownvalue.Null(),
								"name": knownvalue.StringExact("ceo@contoso.onmicrosoft.com"), "display_name": knownvalue.StringExact("Chief Executive"),
								"roles":          knownvalue.ListExact([]knownvalue.Check{roleAccess(financeData, "Finance data", "selected_through_group", fin, ex)}),
								"excluded_roles": knownvalue.ListExact([]knownvalue.Check{roleAccess(everyone, "Everyone", "excluded_through_group", ex)}),
								"operators":      hrOperators,
								"audited":        knownvalue.Bool(false), "audited_reason": knownvalue.Null(), "audited_via": stringList(),
								"protected": knownvalue.Bool(true), "incomplete": stringList(), "complete": knownvalue.Bool(true),
							})),
							// Through the cycle: Executives holds Finance, which holds Alex.
							statecheck.ExpectKnownValue(ds("alex"), tfjsonpath.New("roles"), knownvalue.ListExact([]knownvalue.Check{roleAccess(financeData, "Finance data", "selected_through_group", fin)})),
							statecheck.ExpectKnownValue(ds("alex"), tfjsonpath.New("excluded_roles"), knownvalue.ListExact([]knownvalue.Check{roleAccess(everyone, "Everyone", "excluded_through_group", ex, fin)})),
							statecheck.ExpectKnownValue(ds("megan"), tfjsonpath.New("roles"), knownvalue.ListExact([]knownvalue.Check{roleAccess(everyone, "Everyone", "entire_organization")})),
							statecheck.ExpectKnownValue(ds("megan"), tfjsonpath.New("operators"), knownvalue.ListExact([]knownvalue.Check{nestor})),
							statecheck.ExpectKnownValue(ds("megan"), tfjsonpath.New("audited"), knownvalue.Bool(true)),
							statecheck.ExpectKnownValue(ds("megan"), tfjsonpath.New("audited_reason"), knownvalue.StringExact("audited_through_group")),
							statecheck.ExpectKnownValue(ds("megan"), tfjsonpath.New("audited_via"), stringList(hr)),
							statecheck.ExpectKnownValue(ds("executives"), tfjsonpath.New("roles"), knownvalue.ListExact([]knownvalue.Check{roleAccess(financeData, "Finance data", "selected_through_group", fin)})),
							statecheck.ExpectKnownValue(ds("executives"), tfjsonpath.New("excluded_roles"), knownvalue.ListExact([]knownvalue.Check{roleAccess(everyone, "Everyone", "excluded")})),
							statecheck.ExpectKnownValue(ds("executives"), tfjsonpath.New("protected"), map[bool]knownvalue.Check{true: knownvalue.Bool(false), false: knownvalue.Null()}[version == "v8"]),
							statecheck.ExpectKnownValue(ds("site"), tfjsonpath.New("audited"), knownvalue.Null()),
							statecheck.ExpectKnownValue(ds("site"), tfjsonpath.New("protected"), protected),
							statecheck.ExpectKnownValue(ds("site"), tfjsonpath.New("operators"), knownvalue.ListExact([]knownvalue.Check{nestor})),
						},
					},
					{
						// The chief executive leaves Executives behind Terraform's back.
						PreConfig: func() { fake.RemoveGroupMember(org, execs, ceo) },
						Config:    cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(ds("ceo"), tfjsonpath.New("roles"), knownvalue.ListExact([]knownvalue.Check{roleAccess(everyone, "Everyone", "entire_organization")})),
							statecheck.ExpectKnownValue(ds("ceo"), tfjsonpath.New("excluded_roles"), knownvalue.ListExact(nil)),
							statecheck.ExpectKnownValue(ds("ceo"), tfjsonpath.New("operators"), knownvalue.ListExact([]knownvalue.Check{nestor})),
						},
					},
					{
						Config:      provider + fmt.Sprintf("data \"vb365_restore_access\" \"x\" {\n  organization_id = %q\n  user_id = \"nobody\"\n}\n", org),
						ExpectError: regexp.MustCompile(`(?s)Unable to read restore access.*has no user with ID\s+"nobody"`),
					},
					{
						Config:      provider + fmt.Sprintf("data \"vb365_restore_access\" \"x\" {\n  organization_id = %q\n  user_id = %q\n  group_id = %q\n}\n", org, ceo, execs),
						ExpectError: regexp.MustCompile(`Invalid Attribute Combination`),
					},
					{
						Config:      provider + fmt.Sprintf("data \"vb365_restore_access\" \"x\" {\n  organization_id = %q\n  user_id = %q\n}\n", unknownOrg, ceo),
						ExpectError: textRe("VB365 has no organization with ID \"" + unknownOrg + "\""),
					},
					// End on a valid configuration: the post-test destroy plans
					// the last one.
					{Config: provider},
				},
			})
		})
	}
}

// TestRestoreAccessRequests pins what one answer costs in one provider
// run, counted on the fake: for the chief executive, with R = 3 roles and
// G = 3 groups reached (Executives and Finance, each nested in the other,
// and HR). The bound of issue 22 is the sign-in, 1 role list, 3R role
// member lists, G Members lists, the audit list and one protected-data
// lookup; the answer also reads the principal itself (its mail address and
// Entra object ID are what groups and protected data are matched by). A
// second answer in the same run reads no role, audit or Members list again.
// The provider retries nothing here (max_retries = 0), so no count depends
// on how long a request took.
func TestRestoreAccessRequests(t *testing.T) {
	fake, userID, _, _ := accessFake(t)
	p := newProtoProvider(t)
	p.configure(fake, "v8")
	typ := p.schema.DataSourceSchemas["vb365_restore_access"].ValueType()
	read := func(user string) {
		t.Helper()
		resp, err := p.srv.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "vb365_restore_access",
			Config: dynamicValue(t, typ, map[string]tftypes.Value{"organization_id": str(vb365test.DemoOrganizationID), "user_id": str(userID(user))})})
		if err != nil {
			t.Fatal(err)
		}
		requireNoErrorDiags(t, "ReadDataSource", resp.Diagnostics)
	}
	fake.ResetRequests()
	read("ceo")
	const members = "GET /Organizations/{organizationId}/Groups/{groupId}/Members"
	want := map[string]int{
		"POST /token": 1,
		"GET /Organizations/{organizationId}/Users/{userId}": 1,
		"GET /Organizations/{organizationId}/RbacRoles":      1,
		"GET /RbacRoles/{roleId}/excludedItems":              3,
		"GET /RbacRoles/{roleId}/selectedItems":              2,
		"GET /RbacRoles/{roleId}/operators":                  1,
		members:                                              3,
		"GET /Organizations/{organizationId}/AuditItems":     1,
		"GET /ProtectedUsers":                                1,
	}
	got := fake.CountByRoute()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("requests:\n got %v\nwant %v", got, want)
	}
	const R, G = 3, 3
	roleLists := got["GET /RbacRoles/{roleId}/excludedItems"] + got["GET /RbacRoles/{roleId}/selectedItems"] + got["GET /RbacRoles/{roleId}/operators"]
	if roleLists > 3*R || got[members] > G {
		t.Errorf("role member lists %d > 3R = %d, or Members lists %d > G = %d", roleLists, 3*R, got[members], G)
	}

	fake.ResetRequests()
	read("AlexW")
	for _, route := range []string{"POST /token", "GET /Organizations/{organizationId}/RbacRoles", members, "GET /Organizations/{organizationId}/AuditItems"} {
		if n := fake.Count(route); n != 0 {
			t.Errorf("second answer of the run: %s sent %d times", route, n)
		}
	}
}

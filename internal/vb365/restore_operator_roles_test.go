package vb365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

// TestRestoreOperatorRolesContract walks a role through its life on every
// version and both member-ID behaviours, through the OpenAPI validator:
// create with members, list, get, members, add, remove, update, delete.
func TestRestoreOperatorRolesContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		for _, distinct := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/distinct-member-ids=%v", v, distinct), func(t *testing.T) {
				val, err := contract.Load(string(v))
				if err != nil {
					t.Fatal(err)
				}
				fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{RoleMemberIDsDistinct: distinct}})
				fake.SeedDemo()
				org := vb365test.DemoOrganizationID
				c := newTestClient(t, fake.URL, withVersion(v), func(cfg *Config) {
					cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport)}
				})
				ctx := context.Background()
				user := func(name string) RoleEntry {
					u, err := c.FindUserByName(ctx, org, name)
					if err != nil {
						t.Fatal(err)
					}
					return RoleEntry{User: u}
				}
				hr, err := c.FindGroupByName(ctx, org, "HR@contoso.onmicrosoft.com")
				if err != nil {
					t.Fatal(err)
				}
				site, err := c.GetSite(ctx, org, vb365test.DemoSiteID)
				if err != nil {
					t.Fatal(err)
				}
				selected := []RoleEntry{user("AdeleV@contoso.onmicrosoft.com"), {Group: hr}, {Site: site}, user("shared-finance@contoso.onmicrosoft.com")}
				if v.SupportsRoleTeams() {
					team, err := c.GetTeam(ctx, org, vb365test.DemoTeamID)
					if err != nil {
						t.Fatal(err)
					}
					selected = append(selected, RoleEntry{Team: team})
				}
				role, err := c.CreateRestoreOperatorRole(ctx, org, RoleCreate{
					Name: "Helpdesk", Description: "First-line restores", RoleType: RoleSpecificObjects,
					Operators: []RoleEntry{user("NestorW@contoso.onmicrosoft.com")},
					Selected:  selected,
					Excluded:  []RoleEntry{user("ceo@contoso.onmicrosoft.com")},
				})
				if err != nil {
					t.Fatal(err)
				}
				if role.ID == "" || role.OrganizationID != org || role.RoleType != RoleSpecificObjects {
					t.Fatalf("created: %+v", role)
				}
				if roles, err := c.ListRestoreOperatorRoles(ctx, org); err != nil || len(roles) != 1 {
					t.Fatalf("org roles: %+v, %v", roles, err)
				}
				if roles, err := c.ListRestoreOperatorRoles(ctx, ""); err != nil || len(roles) != 1 {
					t.Fatalf("all roles: %+v, %v", roles, err)
				}
				sel, err := c.ListRoleMembers(ctx, role.ID, RoleSelectedItems)
				if err != nil || len(sel) != len(selected) || sel[2].Kind != MemberSite || sel[2].PrincipalID != vb365test.DemoSiteID {
					t.Fatalf("selected: %+v, %v", sel, err)
				}
				if (sel[0].ID != sel[0].PrincipalID) != distinct {
					t.Fatalf("member id %q, principal id %q, distinct %v", sel[0].ID, sel[0].PrincipalID, distinct)
				}
				// Add an operator group, remove the first operator by member ID.
				if err := c.AddRoleMembers(ctx, role.ID, RoleOperators, []RoleEntry{{Group: hr}}); err != nil {
					t.Fatal(err)
				}
				ops, err := c.ListRoleMembers(ctx, role.ID, RoleOperators)
				if err != nil || len(ops) != 2 {
					t.Fatalf("operators: %+v, %v", ops, err)
				}
				if err := c.RemoveRoleMembers(ctx, role.ID, RoleOperators, []string{ops[0].ID}); err != nil {
					t.Fatal(err)
				}
				if ops, _ = c.ListRoleMembers(ctx, role.ID, RoleOperators); len(ops) != 1 || ops[0].Kind != MemberGroup {
					t.Fatalf("after remove: %+v", ops)
				}
				if ex, err := c.ListRoleMembers(ctx, role.ID, RoleExcludedItems); err != nil || len(ex) != 1 || ex[0].Name != "ceo@contoso.onmicrosoft.com" {
					t.Fatalf("excluded: %+v, %v", ex, err)
				}
				// The item lists: add and remove on each.
				megan := user("MeganB@contoso.onmicrosoft.com")
				if err := c.AddRoleMembers(ctx, role.ID, RoleSelectedItems, []RoleEntry{megan}); err != nil {
					t.Fatal(err)
				}
				if err := c.RemoveRoleMembers(ctx, role.ID, RoleSelectedItems, []string{sel[0].ID}); err != nil {
					t.Fatal(err)
				}
				ex, _ := c.ListRoleMembers(ctx, role.ID, RoleExcludedItems)
				if err := c.RemoveRoleMembers(ctx, role.ID, RoleExcludedItems, []string{ex[0].ID}); err != nil {
					t.Fatal(err)
				}
				if err := c.AddRoleMembers(ctx, role.ID, RoleExcludedItems, []RoleEntry{sel[0].entryFor(selected)}); err != nil {
					t.Fatal(err)
				}
				if err := c.UpdateRestoreOperatorRole(ctx, org, role.ID, "Helpdesk L1", "", RoleEntireOrganization); err != nil {
					t.Fatal(err)
				}
				if got, err := c.GetRestoreOperatorRole(ctx, role.ID); err != nil || got.Name != "Helpdesk L1" || got.RoleType != RoleEntireOrganization {
					t.Fatalf("after update: %+v, %v", got, err)
				}
				// Refused: an excluded item that is also selected.
				if err := c.AddRoleMembers(ctx, role.ID, RoleExcludedItems, []RoleEntry{{Site: site}}); !errors.Is(err, ErrBadRequest) {
					t.Fatalf("selected and excluded: %v", err)
				}
				if err := c.DeleteRestoreOperatorRole(ctx, org, role.ID); err != nil {
					t.Fatal(err)
				}
				var nf *NotFoundError
				if _, err := c.GetRestoreOperatorRole(ctx, role.ID); !errors.As(err, &nf) || nf.Kind != KindRole {
					t.Fatalf("deleted role: %v", err)
				}
				if vs := val.Violations(); len(vs) > 0 {
					t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
				}
				seen := val.Routes()
				p := "/" + string(v)
				for _, r := range []string{"POST " + p + "/Organizations/{organizationId}/RbacRoles", "GET " + p + "/RbacRoles", "GET " + p + "/RbacRoles/{roleId}",
					"PUT " + p + "/RbacRoles/{roleId}", "DELETE " + p + "/RbacRoles/{roleId}", "GET " + p + "/RbacRoles/{roleId}/operators",
					"POST " + p + "/RbacRoles/{roleId}/operators", "DELETE " + p + "/RbacRoles/{roleId}/operators",
					"GET " + p + "/RbacRoles/{roleId}/selectedItems", "POST " + p + "/RbacRoles/{roleId}/selectedItems", "DELETE " + p + "/RbacRoles/{roleId}/selectedItems",
					"GET " + p + "/RbacRoles/{roleId}/excludedItems", "POST " + p + "/RbacRoles/{roleId}/excludedItems", "DELETE " + p + "/RbacRoles/{roleId}/excludedItems",
					"GET " + p + "/Organizations/{organizationId}/RbacRoles"} {
					if seen[r] == 0 {
						t.Errorf("route %s was not validated (validated: %v)", r, seen)
					}
				}
			})
		}
	}
}

// TestRoleTeamsRefusedOnV6: a team item is refused before anything is sent.
func TestRoleTeamsRefusedOnV6(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL, withVersion(V6))
	err := c.AddRoleMembers(context.Background(), "r", RoleSelectedItems, []RoleEntry{{Team: &Team{ID: vb365test.DemoTeamID}}})
	if !errors.Is(err, ErrUnsupported) || fake.Count("POST /RbacRoles/{roleId}/selectedItems") != 0 {
		t.Fatalf("%v", err)
	}
}

// TestCreateRoleSafeToRepeat: a create whose answer is lost (the server
// made the role) returns that role instead of failing or making a second.
func TestCreateRoleSafeToRepeat(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	org := vb365test.DemoOrganizationID
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	nestor, err := c.FindUserByName(ctx, org, "NestorW@contoso.onmicrosoft.com")
	if err != nil {
		t.Fatal(err)
	}
	fake.InjectFault(vb365test.Fault{Route: "POST /Organizations/{organizationId}/RbacRoles", Times: 1, DropAfterServing: true})
	role, err := c.CreateRestoreOperatorRole(ctx, org, RoleCreate{Name: "Helpdesk", RoleType: RoleEntireOrganization, Operators: []RoleEntry{{User: nestor}}})
	if err != nil || role.Name != "Helpdesk" {
		t.Fatalf("%+v, %v", role, err)
	}
	if roles := fake.Roles(); len(roles) != 1 || roles[0].ID != role.ID {
		t.Fatalf("roles on the server: %+v", roles)
	}
}

// entryFor finds, among entries, the one this member was made from.
func (m RoleMember) entryFor(entries []RoleEntry) RoleEntry {
	for _, e := range entries {
		if kind, id := e.Kind(); kind == m.Kind && strings.EqualFold(id, m.PrincipalID) {
			return e
		}
	}
	return RoleEntry{}
}

package vb365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

// accessFake is the demo organization with SeedRestoreAccessRoles.
func accessFake(t *testing.T, q vb365test.Quirks) *vb365test.Server {
	t.Helper()
	fake := vb365test.Start(t, vb365test.Options{Quirks: q})
	fake.SeedDemo()
	fake.SeedRestoreAccessRoles()
	return fake
}

func demoUserID(t *testing.T, fake *vb365test.Server, local string) string {
	t.Helper()
	return demoUser(t, fake, local+"@contoso.onmicrosoft.com").ID
}

// TestRestoreAccessOf answers for the seeded organization, exactly, on
// every version: the chief executive is selected through a group nested in
// a group (Finance > Executives) and excluded from the entire-organization
// role through a group; Alex Wilber is reached through the cycle
// (Executives holds Finance); the operators of HR come through the group.
func TestRestoreAccessOf(t *testing.T) {
	type want struct {
		roles, excluded, ops []string
		audit                string
		protected            map[APIVersion]string
	}
	fin, execs, hr := "Finance@contoso.onmicrosoft.com", "Executives@contoso.onmicrosoft.com", "HR@contoso.onmicrosoft.com"
	hrOps := []string{"MeganB@contoso.onmicrosoft.com(Finance data|" + hr + ")", "PattiF@contoso.onmicrosoft.com(Finance data|" + hr + ")"}
	everyone := []string{"NestorW@contoso.onmicrosoft.com(Everyone|)"}
	all := func(s string) map[APIVersion]string { return map[APIVersion]string{V6: s, V7: s, V8: s} }
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			val, err := contract.Load(string(v))
			if err != nil {
				t.Fatal(err)
			}
			fake := accessFake(t, vb365test.Quirks{})
			c := newTestClient(t, fake.URL, withVersion(v), func(cfg *Config) {
				cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport), Timeout: testTimeout}
			})
			org := vb365test.DemoOrganizationID
			for _, tc := range []struct {
				ref  ObjectRef
				want want
			}{
				{ObjectRef{KindUser, demoUserID(t, fake, "ceo")}, want{
					roles: []string{"Finance data:selected_through_group[" + fin + ">" + execs + "]"}, excluded: []string{"Everyone:excluded_through_group[" + execs + "]"},
					ops: hrOps, audit: "false", protected: all("true")}},
				{ObjectRef{KindUser, demoUserID(t, fake, "AlexW")}, want{
					roles: []string{"Finance data:selected_through_group[" + fin + "]"}, excluded: []string{"Everyone:excluded_through_group[" + execs + ">" + fin + "]"},
					ops: hrOps, audit: "false", protected: all("true")}},
				{ObjectRef{KindUser, demoUserID(t, fake, "MeganB")}, want{
					roles: []string{"Everyone:entire_organization"}, ops: everyone, audit: "true:audited_through_group[" + hr + "]", protected: all("true")}},
				{ObjectRef{KindUser, demoUserID(t, fake, "AdeleV")}, want{
					roles:    []string{"Adele only:selected", "Finance data:selected_through_group[" + fin + ">" + execs + "]"},
					excluded: []string{"Everyone:excluded_through_group[" + execs + "]"},
					ops:      append([]string{"AlexW@contoso.onmicrosoft.com(Adele only|)"}, hrOps...), audit: "true:audited", protected: all("true")}},
				{ObjectRef{KindUser, demoUserID(t, fake, "shared-finance")}, want{
					roles: []string{"Finance data:selected_through_group[" + fin + "]"}, excluded: []string{"Everyone:excluded_through_group[" + execs + ">" + fin + "]"},
					ops: hrOps, audit: "false", protected: all("false")}},
				{ObjectRef{KindGroup, demoGroupID(t, fake, "Executives")}, want{
					roles: []string{"Finance data:selected_through_group[" + fin + "]"}, excluded: []string{"Everyone:excluded"},
					ops: hrOps, audit: "false", protected: map[APIVersion]string{V6: "null", V7: "null", V8: "false"}}},
				{ObjectRef{KindGroup, demoGroupID(t, fake, "HR")}, want{
					roles: []string{"Everyone:entire_organization"}, ops: everyone, audit: "true:audited", protected: map[APIVersion]string{V6: "null", V7: "null", V8: "true"}}},
				{ObjectRef{KindSite, vb365test.DemoSiteID}, want{
					roles: []string{"Everyone:entire_organization"}, ops: everyone, audit: "null", protected: map[APIVersion]string{V6: "null", V7: "null", V8: "true"}}},
				{ObjectRef{KindTeam, vb365test.DemoTeamID}, want{
					roles: []string{"Everyone:entire_organization"}, ops: everyone, audit: "null", protected: map[APIVersion]string{V6: "null", V7: "null", V8: "true"}}},
			} {
				got, err := c.RestoreAccessOf(context.Background(), org, tc.ref)
				if err != nil {
					t.Fatalf("%v: %v", tc.ref, err)
				}
				roles, excluded, ops, audit := render(*got)
				prot := "null"
				if got.Protected != nil {
					prot = fmt.Sprint(*got.Protected)
				}
				if !slices.Equal(roles, tc.want.roles) || !slices.Equal(excluded, tc.want.excluded) || !slices.Equal(ops, tc.want.ops) ||
					audit != tc.want.audit || prot != tc.want.protected[v] || len(got.Incomplete) != 0 {
					t.Errorf("%s %s:\n got roles %q excluded %q\n     operators %q\n     audit %s protected %s incomplete %q\nwant roles %q excluded %q\n     operators %q\n     audit %s protected %s",
						tc.ref.Kind, got.Principal.Name, roles, excluded, ops, audit, prot, got.Incomplete, tc.want.roles, tc.want.excluded, tc.want.ops, tc.want.audit, tc.want.protected[v])
				}
				// The server's own answer agrees (memberships are as they
				// were when the roles were made).
				kind := map[Kind]string{KindUser: "User", KindGroup: "Group", KindSite: "Site", KindTeam: "Team"}[tc.ref.Kind]
				var names []string
				for _, r := range got.Roles {
					names = append(names, r.Role.Name)
				}
				if server := fake.RolesCovering(org, kind, tc.ref.ID); !slices.Equal(names, server) {
					t.Errorf("%s: the client says %q, the server %q", got.Principal.Name, names, server)
				}
			}
			if vs := val.Violations(); len(vs) > 0 {
				t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
			}
		})
	}
}

// TestRestoreAccessRequests pins what one answer costs, counted on the
// fake: for the chief executive, with R = 3 roles and G = 3 groups reached
// (Executives and Finance, each nested in the other, and HR), the sign-in,
// the principal, 1 role list, 5 item lists and the operators of the one
// covering role (6 <= 3R), 3 Members lists (= G), the audit list and one
// protected-data page. A second principal in the same walk reads no list
// again but its own item lists' operators, and no Members list.
func TestRestoreAccessRequests(t *testing.T) {
	for _, tc := range []struct {
		name   string
		quirks vb365test.Quirks
		// lookups: the nested groups looked up by login (none when the
		// members are linked to their objects).
		lookups int
	}{
		{"members linked", vb365test.Quirks{}, 0},
		{"members not linked", vb365test.Quirks{GroupMembersWithoutLinks: true}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := accessFake(t, tc.quirks)
			c := newTestClient(t, fake.URL)
			ctx := context.Background()
			org := vb365test.DemoOrganizationID
			fake.ResetRequests()
			got, err := c.RestoreAccessOf(ctx, org, ObjectRef{KindUser, demoUserID(t, fake, "ceo")})
			if err != nil || len(got.Roles) != 1 || len(got.Operators) != 2 {
				t.Fatalf("%+v, %v", got, err)
			}
			want := map[string]int{
				"POST /token": 1,
				"GET /Organizations/{organizationId}/Users/{userId}": 1,
				"GET /Organizations/{organizationId}/RbacRoles":      1,
				"GET /RbacRoles/{roleId}/excludedItems":              3,
				"GET /RbacRoles/{roleId}/selectedItems":              2,
				"GET /RbacRoles/{roleId}/operators":                  1,
				membersRoute:                                         3,
				"GET /Organizations/{organizationId}/AuditItems":     1,
				"GET /ProtectedUsers":                                1,
			}
			if tc.lookups > 0 {
				want["GET /Organizations/{organizationId}/Groups"] = tc.lookups
			}
			if got := fake.CountByRoute(); !mapsEqual(got, want) {
				t.Errorf("requests:\n got %v\nwant %v", got, want)
			}
			const R, G = 3, 3
			roleLists := fake.Count("GET /RbacRoles/{roleId}/excludedItems") + fake.Count("GET /RbacRoles/{roleId}/selectedItems") + fake.Count("GET /RbacRoles/{roleId}/operators")
			if roleLists > 3*R || fake.Count(membersRoute) > G {
				t.Errorf("role member lists %d > 3R = %d, or Members lists %d > G = %d", roleLists, 3*R, fake.Count(membersRoute), G)
			}

			// A second principal of the walk: its own principal GET, the
			// item lists again (not cached: a role's lists are read per
			// answer), no Members list, no role or audit list.
			fake.ResetRequests()
			if _, err := c.RestoreAccessOf(ctx, org, ObjectRef{KindUser, demoUserID(t, fake, "AlexW")}); err != nil {
				t.Fatal(err)
			}
			for _, route := range []string{membersRoute, "GET /Organizations/{organizationId}/RbacRoles", "GET /Organizations/{organizationId}/AuditItems", "POST /token", "GET /Organizations/{organizationId}/Groups"} {
				if n := fake.Count(route); n != 0 {
					t.Errorf("second principal: %s sent %d times", route, n)
				}
			}
		})
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestRestoreAccessFrozenGroupSelection: a member added to a group after
// the group went into roles. The answer reads the group as it is now; a
// server that kept the group's members from when it was added
// (Quirks.RoleGroupSelectionFrozen) would grant otherwise, in both
// directions: the docs say so, and this pins which way each goes.
func TestRestoreAccessFrozenGroupSelection(t *testing.T) {
	for _, frozen := range []bool{false, true} {
		t.Run(fmt.Sprintf("frozen=%v", frozen), func(t *testing.T) {
			fake := accessFake(t, vb365test.Quirks{RoleGroupSelectionFrozen: frozen})
			org := vb365test.DemoOrganizationID
			nestor := demoUserID(t, fake, "NestorW")
			fake.AddGroupMember(org, demoGroupID(t, fake, "Finance"), "User", nestor)
			c := newTestClient(t, fake.URL)
			got, err := c.RestoreAccessOf(context.Background(), org, ObjectRef{KindUser, nestor})
			if err != nil {
				t.Fatal(err)
			}
			roles, excluded, _, _ := render(*got)
			if !slices.Equal(roles, []string{"Finance data:selected_through_group[Finance@contoso.onmicrosoft.com]"}) ||
				!slices.Equal(excluded, []string{"Everyone:excluded_through_group[Executives@contoso.onmicrosoft.com>Finance@contoso.onmicrosoft.com]"}) {
				t.Fatalf("client: roles %q excluded %q", roles, excluded)
			}
			want := []string{"Finance data"}
			if frozen {
				// Finance's selection does not hold him, and Executives'
				// exclusion does not either: the entire organization does.
				want = []string{"Everyone"}
			}
			if server := fake.RolesCovering(org, "User", nestor); !slices.Equal(server, want) {
				t.Fatalf("server: %q, want %q", server, want)
			}
		})
	}
}

// TestRestoreAccessUnknownPrincipal: an unknown ID is an error, never "no
// role covers it".
func TestRestoreAccessUnknownPrincipal(t *testing.T) {
	fake := accessFake(t, vb365test.Quirks{})
	c := newTestClient(t, fake.URL)
	var nf *NotFoundError
	if _, err := c.RestoreAccessOf(context.Background(), vb365test.DemoOrganizationID, ObjectRef{KindUser, "nobody"}); !errors.As(err, &nf) || nf.Kind != KindUser {
		t.Fatalf("err = %v", err)
	}
	if _, err := c.RestoreAccessOf(context.Background(), "11111111-2222-3333-4444-555555555555", ObjectRef{KindGroup, "x"}); !IsOrganizationNotFound(err) {
		t.Fatalf("err = %v", err)
	}
}

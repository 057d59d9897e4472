package vb365

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// TestRoleTeamsRefusedOnV6: a team item is refused before anything is sent.
func TestRoleTeamsRefusedOnV6(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL, withVersion(V6))
	err := c.AddRoleMembers(context.Background(), "r", RoleSelectedItems, []Object{{Team: &Team{ID: vb365test.DemoTeamID}}})
	if !errors.Is(err, ErrUnsupported) || fake.Count("POST /RbacRoles/{roleId}/selectedItems") != 0 {
		t.Fatalf("%v", err)
	}
}

// TestRoleMembersCompositePrincipalIDs (issue 20, defect 2): member lists
// that answer the nested principal's ID as "<orgId>:1:user:<id>" give the
// ID /Users returns, as audit items do.
func TestRoleMembersCompositePrincipalIDs(t *testing.T) {
	fake, c, user := roleFixture(t, vb365test.Quirks{RoleMemberCompositePrincipalIDs: true})
	ctx := context.Background()
	org := vb365test.DemoOrganizationID
	nestor := user("NestorW@contoso.onmicrosoft.com")
	hr, err := c.FindGroupByName(ctx, org, "HR@contoso.onmicrosoft.com")
	if err != nil {
		t.Fatal(err)
	}
	role, err := c.CreateRestoreOperatorRole(ctx, org, RoleCreate{Name: "Helpdesk", RoleType: RoleEntireOrganization,
		Operators: []Object{nestor, {Group: hr}}})
	if err != nil {
		t.Fatal(err)
	}
	ops, err := c.ListRoleMembers(ctx, role.ID, RoleOperators)
	if err != nil || len(ops) != 2 {
		t.Fatalf("%+v, %v", ops, err)
	}
	if ops[0].PrincipalID != nestor.User.ID || ops[1].PrincipalID != hr.ID {
		t.Fatalf("principal IDs %q, %q; want %q, %q", ops[0].PrincipalID, ops[1].PrincipalID, nestor.User.ID, hr.ID)
	}
	// The quirk is real: the wire has the composite form.
	if id := fake.Roles()[0].Operators[0].PrincipalID; id != nestor.User.ID {
		t.Fatalf("fake stores %q", id)
	}
	for _, tc := range []struct {
		listed, id string
		same       bool
	}{
		{org + ":1:user:" + nestor.User.ID, nestor.User.ID, true},
		{org + ":1:user:" + strings.ToUpper(nestor.User.ID), nestor.User.ID, true},
		{org + ":user:3:" + nestor.User.ID, nestor.User.ID, true},
		{nestor.User.ID, nestor.User.ID, true},
		{org + ":1:user:" + nestor.User.ID, hr.ID, false},
		{"", nestor.User.ID, false},
	} {
		if got := SamePrincipalID(tc.listed, tc.id); got != tc.same {
			t.Errorf("SamePrincipalID(%q, %q) = %v", tc.listed, tc.id, got)
		}
	}
	for listed, want := range map[string]string{
		org + ":1:user:abc": "abc", org + ":group:7:g-1": "g-1", "plain": "plain", "a:b:c:d:e": "d:e",
	} {
		if got := PrincipalIDOf(listed); got != want {
			t.Errorf("PrincipalIDOf(%q) = %q, want %q", listed, got, want)
		}
	}
}

// TestAddRoleMembersSafeToRepeat (issue 20, defect 4): adding members
// survives 503s, answers lost after the server added them and connections
// dropped before it did, on every list, whether the server refuses or
// ignores a member that is already there and whatever form its lists give
// the IDs in: every member once, no error.
func TestAddRoleMembersSafeToRepeat(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault vb365test.Fault
	}{
		{"503", vb365test.Fault{Status: http.StatusServiceUnavailable, Times: 2}},
		{"answer lost", vb365test.Fault{DropAfterServing: true, Times: 2}},
		{"dropped before", vb365test.Fault{Drop: true, Times: 2}},
	} {
		for _, q := range []struct {
			name   string
			quirks vb365test.Quirks
		}{
			{"duplicates refused", vb365test.Quirks{}},
			{"duplicates ignored", vb365test.Quirks{RoleDuplicateMemberIgnored: true}},
			{"composite and distinct member ids", vb365test.Quirks{RoleMemberCompositePrincipalIDs: true, RoleMemberIDsDistinct: true}},
		} {
			t.Run(tc.name+"/"+q.name, func(t *testing.T) {
				fake, c, user := roleFixture(t, q.quirks)
				ctx := context.Background()
				role, err := c.CreateRestoreOperatorRole(ctx, vb365test.DemoOrganizationID, RoleCreate{Name: "Helpdesk", RoleType: RoleSpecificObjects,
					Operators: []Object{user("NestorW@contoso.onmicrosoft.com")}, Selected: []Object{user("AdeleV@contoso.onmicrosoft.com")}})
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range []struct {
					list    RoleList
					route   string
					entries []Object
				}{
					{RoleOperators, "operators", []Object{user("AlexW@contoso.onmicrosoft.com"), user("MeganB@contoso.onmicrosoft.com")}},
					{RoleSelectedItems, "selectedItems", []Object{user("ceo@contoso.onmicrosoft.com"), user("shared-finance@contoso.onmicrosoft.com")}},
					{RoleExcludedItems, "excludedItems", []Object{user("PattiF@contoso.onmicrosoft.com")}},
				} {
					f := tc.fault
					f.Route = "POST /RbacRoles/{roleId}/" + l.route
					fake.InjectFault(f)
					if err := c.AddRoleMembers(ctx, role.ID, l.list, l.entries); err != nil {
						t.Fatalf("%s: %v", l.list, err)
					}
					have, err := c.ListRoleMembers(ctx, role.ID, l.list)
					if err != nil {
						t.Fatal(err)
					}
					for _, e := range l.entries {
						kind, id := e.Kind()
						n := 0
						for _, m := range have {
							if m.Kind == kind && m.PrincipalID == id {
								n++
							}
						}
						if n != 1 {
							t.Errorf("%s holds %s %d times, want once (%+v)", l.list, id, n, have)
						}
					}
				}
			})
		}
	}
}

// TestAddRoleMembersRetryRaw: after a 502 the client lists the members and
// sends only the one the server does not have, matching the composite form.
func TestAddRoleMembersRetryRaw(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch r.Method + " " + r.URL.Path {
		case "POST /v8/token":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"t","refresh_token":"r","expires_in":3600,"token_type":"bearer"}`)
		case "POST /v8/RbacRoles/r1/operators":
			b, _ := io.ReadAll(r.Body)
			bodies = append(bodies, string(b))
			if len(bodies) == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		case "GET /v8/RbacRoles/r1/operators":
			// The server did add u1 before the 502.
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `[{"id":"m1","type":"User","user":{"id":"org:1:user:U1","displayName":"S","name":"s@x","type":"User"}}]`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, patient)
	err := c.AddRoleMembers(context.Background(), "r1", RoleOperators, []Object{
		{User: &User{ID: "u1", Name: "s@x", Type: "User"}}, {User: &User{ID: "u2", Name: "t@x", Type: "User"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 2 || !strings.Contains(bodies[0], `"u1"`) || strings.Contains(bodies[1], `"u1"`) || !strings.Contains(bodies[1], `"u2"`) {
		t.Fatalf("bodies sent: %q", bodies)
	}
}

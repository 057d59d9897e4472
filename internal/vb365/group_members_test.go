package vb365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

const membersRoute = "GET /Organizations/{organizationId}/Groups/{groupId}/Members"

// demoGroupID returns the ID of a demo group by display name.
func demoGroupID(t *testing.T, fake *vb365test.Server, name string) string {
	t.Helper()
	return demoGroup(t, fake, name+"@contoso.onmicrosoft.com").ID
}

// TestGroupMembersContract lists a group's members in every version
// through the OpenAPI validator: users and a nested group, their IDs
// taken from the members' links (the group's own link is not a member).
func TestGroupMembersContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			val, err := contract.Load(string(v))
			if err != nil {
				t.Fatal(err)
			}
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			org := vb365test.DemoOrganizationID
			c := newTestClient(t, fake.URL, withVersion(v), func(cfg *Config) {
				cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport), Timeout: testTimeout}
			})
			ctx := context.Background()
			execs, finance := demoGroupID(t, fake, "Executives"), demoGroupID(t, fake, "Finance")
			ceo := fake.Organization(org).Users[4]

			got, err := c.ListGroupMembers(ctx, org, execs)
			if err != nil {
				t.Fatal(err)
			}
			want := []GroupMember{
				{Kind: MemberUser, ID: ceo.ID, Name: "Chief Executive", Login: "ceo@contoso.onmicrosoft.com", IsCloud: true},
				{Kind: MemberUser, ID: fake.Organization(org).Users[0].ID, Name: "Adele Vance", Login: "AdeleV@contoso.onmicrosoft.com", IsCloud: true},
				{Kind: MemberGroup, ID: finance, Name: "Finance", Login: "Finance@contoso.onmicrosoft.com", IsCloud: true},
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("members:\n got %+v\nwant %+v", got, want)
			}
			var nf *NotFoundError
			if _, err := c.ListGroupMembers(ctx, org, "nope"); !errors.As(err, &nf) || nf.Kind != KindGroup {
				t.Fatalf("unknown group: %v", err)
			}
			if _, err := c.ListGroupMembers(ctx, "11111111-2222-3333-4444-555555555555", execs); !IsOrganizationNotFound(err) {
				t.Fatalf("unknown organization: %v", err)
			}
			if vs := val.Violations(); len(vs) > 0 {
				t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
			}
			if val.Routes()["GET /"+string(v)+"/Organizations/{organizationId}/Groups/{groupId}/Members"] == 0 {
				t.Errorf("not validated: %v", val.Routes())
			}
		})
	}
}

// TestLinkedMemberID reads a member's ID from its links only where an href
// names its /Users or /Groups object.
func TestLinkedMemberID(t *testing.T) {
	l := func(hrefs ...string) map[string]*Link {
		m := map[string]*Link{}
		for i, h := range hrefs {
			k := []string{"self", "group", "other"}[i]
			m[k] = &Link{Href: h}
		}
		return m
	}
	for _, tc := range []struct {
		name   string
		links  map[string]*Link
		kind   string
		parent string
		want   string
	}{
		{"user self", l("/v8/Organizations/o/Users/u1"), MemberUser, "g", "u1"},
		{"absolute href (v5 style)", l("https://vb365:4443/v5/organizations/o/users/u1"), MemberUser, "g", "u1"},
		{"escaped id", l("/v8/Organizations/o/Users/a%2Fb"), MemberUser, "g", "a/b"},
		{"group member", l("/v8/Organizations/o/Groups/g2", "/v8/Organizations/o/Groups/g"), MemberGroup, "g", "g2"},
		{"only the parent", l("", "/v8/Organizations/o/Groups/G"), MemberGroup, "g", ""},
		{"a user is not a group link", l("/v8/Organizations/o/Groups/g2"), MemberUser, "g", ""},
		{"the members collection", l("/v8/Organizations/o/Groups/g/Members"), MemberUser, "g", ""},
		{"none", nil, MemberUser, "g", ""},
	} {
		if got := linkedMemberID(tc.links, tc.kind, tc.parent); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestExpandGroupsCycle expands the demo's cycle (Finance holds Executives
// holds Finance): each group listed once, however many expansions of one
// walk ask, concurrently or not.
func TestExpandGroupsCycle(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	org := vb365test.DemoOrganizationID
	c := newTestClient(t, fake.URL)
	execs, finance := demoGroupID(t, fake, "Executives"), demoGroupID(t, fake, "Finance")
	var wg sync.WaitGroup
	graphs := make([]GroupGraph, 8)
	errs := make([]error, 8)
	for i := range graphs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			root := []string{finance, execs}[i%2]
			errs[i] = c.ExpandGroups(context.Background(), org, []string{root}, 2, &graphs[i])
		}()
	}
	wg.Wait()
	for i, g := range graphs {
		if errs[i] != nil || len(g.Members) != 2 || !g.Has(execs) || !g.Has(strings.ToUpper(finance)) || len(g.TooDeep)+len(g.Unresolved)+len(g.Missing) != 0 {
			t.Fatalf("graph %d: %+v, %v", i, g, errs[i])
		}
	}
	if n := fake.Count(membersRoute); n != 2 {
		t.Errorf("Members lists = %d, want 2 (one per group per walk)", n)
	}
}

// TestExpandGroupsDepthBound: a chain of 12 nested groups is listed down
// to MaxGroupDepth; the group below is reported, not listed.
func TestExpandGroupsDepthBound(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	org := fake.AddOrganization(vb365test.Organization{Name: "deep.onmicrosoft.com"}).ID
	var ids []string
	for i := 1; i <= 12; i++ {
		ids = append(ids, fake.AddGroup(org, vb365test.Group{Name: fmt.Sprintf("level%02d@deep.onmicrosoft.com", i)}).ID)
	}
	for i := 0; i+1 < len(ids); i++ {
		fake.AddGroupMember(org, ids[i], "Group", ids[i+1])
	}
	c := newTestClient(t, fake.URL)
	var g GroupGraph
	if err := c.ExpandGroups(context.Background(), org, ids[:1], 0, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Members) != MaxGroupDepth || len(g.TooDeep) != 1 || g.TooDeep[0].Login != "level11@deep.onmicrosoft.com" {
		t.Fatalf("listed %d groups, too deep %+v", len(g.Members), g.TooDeep)
	}
	if n := fake.Count(membersRoute); n != MaxGroupDepth {
		t.Errorf("Members lists = %d, want %d", n, MaxGroupDepth)
	}
}

// TestExpandGroupsWithoutLinks: a server that links no member to its
// object (Quirks.GroupMembersWithoutLinks) costs one group lookup by mail
// address per nested group, once per walk; a nested group no lookup finds
// is reported as unresolved.
func TestExpandGroupsWithoutLinks(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{GroupMembersWithoutLinks: true}})
	fake.SeedDemo()
	org := vb365test.DemoOrganizationID
	execs, finance := demoGroupID(t, fake, "Executives"), demoGroupID(t, fake, "Finance")
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	var g GroupGraph
	if err := c.ExpandGroups(ctx, org, []string{execs}, 0, &g); err != nil {
		t.Fatal(err)
	}
	if !g.Has(finance) || len(g.Unresolved) != 0 {
		t.Fatalf("graph: %+v", g)
	}
	for _, m := range g.Members[strings.ToLower(execs)] {
		if (m.Kind == MemberUser) != (m.ID == "") {
			t.Errorf("member %+v: a user has no ID without links, a nested group gets its own", m)
		}
	}
	var again GroupGraph
	if err := c.ExpandGroups(ctx, org, []string{finance}, 0, &again); err != nil {
		t.Fatal(err)
	}
	if n, l := fake.Count("GET /Organizations/{organizationId}/Groups"), fake.Count(membersRoute); n != 2 || l != 2 {
		t.Errorf("group lookups = %d, Members lists = %d; want 2 and 2", n, l)
	}

	// Another group with the same address: the login names no single
	// group, so the nested group's members stay unknown, and say so.
	fake.AddGroup(org, vb365test.Group{Name: "Finance@contoso.onmicrosoft.com", DisplayName: "Finance (old)"})
	fresh := newTestClient(t, fake.URL)
	var h GroupGraph
	if err := fresh.ExpandGroups(ctx, org, []string{execs}, 0, &h); err != nil {
		t.Fatal(err)
	}
	if len(h.Unresolved) != 1 || h.Unresolved[0].Login != "Finance@contoso.onmicrosoft.com" || h.Has(finance) {
		t.Fatalf("ambiguous login: %+v", h)
	}
}

// TestExpandGroupsMissing: a group that answers 404 (deleted since a role
// named it) is reported, and costs the organization check once.
func TestExpandGroupsMissing(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	var g GroupGraph
	if err := c.ExpandGroups(context.Background(), vb365test.DemoOrganizationID, []string{"gone"}, 0, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Missing) != 1 || len(g.Members) != 0 {
		t.Fatalf("%+v", g)
	}
}

// TestGroupMembersFailureNotRemembered: a failed Members list is not kept:
// the next expansion of the walk asks again.
func TestGroupMembersFailureNotRemembered(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = NoRetries })
	hr := demoGroupID(t, fake, "HR")
	fake.InjectFault(vb365test.Fault{Route: membersRoute, Times: 1, Status: http.StatusServiceUnavailable})
	var g GroupGraph
	if err := c.ExpandGroups(context.Background(), vb365test.DemoOrganizationID, []string{hr}, 0, &g); !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v, want ErrServer", err)
	}
	if err := c.ExpandGroups(context.Background(), vb365test.DemoOrganizationID, []string{hr}, 0, &g); err != nil || len(g.Members[strings.ToLower(hr)]) != 2 {
		t.Fatalf("second try: %+v, %v", g, err)
	}
}

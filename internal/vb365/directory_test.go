package vb365

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// GetPrincipal, as N parallel creates of vb365_audit_item call it: the
// first ListThreshold lookups of a kind in an organization are GETs, the
// next reads the first page of the organization's users (groups) once, and
// every later one is answered from it, whatever order the calls run in. A
// principal not on that page, and every lookup after a failed listing, is
// a GET with GetUser's error.
func TestGetPrincipalFromDirectory(t *testing.T) {
	const (
		usersRoute, userRoute   = "GET /Organizations/{organizationId}/Users", "GET /Organizations/{organizationId}/Users/{userId}"
		groupsRoute, groupRoute = "GET /Organizations/{organizationId}/Groups", "GET /Organizations/{organizationId}/Groups/{groupId}"
	)
	org := vb365test.DemoOrganizationID
	lookupAll := func(t *testing.T, c *Client, kind Kind, ids []string) []error {
		t.Helper()
		errs := make([]error, len(ids))
		var wg sync.WaitGroup
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e, err := c.GetPrincipal(context.Background(), org, kind, id)
				if err == nil {
					if p := e.Principal(); !strings.EqualFold(p.ID, id) || p.Name == "" {
						err = fmt.Errorf("looked up %s, got %+v", id, p)
					}
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		return errs
	}
	userIDs := func(users []*vb365test.User) []string {
		var ids []string
		for _, u := range users {
			ids = append(ids, u.ID)
		}
		return ids
	}

	for _, n := range []int{ListThreshold, ListThreshold + 1, 100} {
		t.Run(fmt.Sprintf("%d users", n), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			fake.AddUsers(org, n)
			c := newTestClient(t, fake.URL)
			ids := userIDs(fake.Organization(org).Users[:n])
			for i, err := range lookupAll(t, c, KindUser, ids) {
				if err != nil {
					t.Fatalf("lookup %d: %v", i, err)
				}
			}
			wantList := 0
			if n > ListThreshold {
				wantList = 1
			}
			if got := fake.CountByRoute(); got[userRoute] != ListThreshold || got[usersRoute] != wantList {
				t.Fatalf("requests %v, want %d GETs and %d listing", got, ListThreshold, wantList)
			}
		})
	}
	t.Run("groups", func(t *testing.T) {
		fake := vb365test.Start(t, vb365test.Options{})
		fake.SeedDemo()
		c := newTestClient(t, fake.URL)
		c.listThreshold = 1
		groups := fake.Organization(org).Groups
		if err := lookupAll(t, c, KindGroup, []string{groups[0].ID})[0]; err != nil { // the one GET before the listing
			t.Fatal(err)
		}
		var ids []string
		for _, g := range groups[1:] {
			ids = append(ids, strings.ToUpper(g.ID)) // found ignoring case
		}
		for i, err := range lookupAll(t, c, KindGroup, ids) {
			if err != nil {
				t.Fatalf("lookup %d: %v", i, err)
			}
		}
		if got := fake.CountByRoute(); len(ids) < 2 || got[groupRoute] != 1 || got[groupsRoute] != 1 {
			t.Fatalf("%d groups: requests %v, want 1 GET and 1 listing", len(ids), got)
		}
	})
	t.Run("not on the first page", func(t *testing.T) {
		fake := fakeWithUsers(t, 10_050)
		c := newTestClient(t, fake.URL)
		c.listThreshold = 1
		all := fake.Organization(org).Users
		if err := lookupAll(t, c, KindUser, userIDs(all[:1]))[0]; err != nil { // the one GET before the listing
			t.Fatal(err)
		}
		ids := append(userIDs(all[1:4]), userIDs(all[len(all)-5:])...)
		for i, err := range lookupAll(t, c, KindUser, append(ids, "nobody")) {
			switch {
			case i == len(ids) && !errors.Is(err, ErrNotFound):
				t.Fatalf("unknown user: %v", err)
			case i < len(ids) && err != nil:
				t.Fatalf("lookup %d: %v", i, err)
			}
		}
		// After the listing: the 5 users of page 2 and "nobody".
		if got := fake.CountByRoute(); got[usersRoute] != 1 || got[userRoute] != 1+6 {
			t.Fatalf("requests %v, want 1 listing and 7 GETs", got)
		}
	})
	t.Run("listing fails", func(t *testing.T) {
		fake := fakeWithUsers(t, 30)
		fake.InjectFault(vb365test.Fault{Route: usersRoute, Times: 1 << 30, Status: 403})
		c := newTestClient(t, fake.URL)
		for i, err := range lookupAll(t, c, KindUser, userIDs(fake.Organization(org).Users[:30])) {
			if err != nil {
				t.Fatalf("lookup %d: %v", i, err)
			}
		}
		if got := fake.CountByRoute(); got[userRoute] != 30 || got[usersRoute] != 1 {
			t.Fatalf("requests %v, want 1 failed listing and 30 GETs", got)
		}
	})
}

// From ListThreshold users on, GetObjects reads the first page of the
// organization's users instead of one GET each; what is not on it (a user
// of a later page, an unknown ID) is looked up, and a failed listing falls
// back to the lookups.
func TestGetObjectsFromFirstPage(t *testing.T) {
	const usersRoute, userRoute = "GET /Organizations/{organizationId}/Users", "GET /Organizations/{organizationId}/Users/{userId}"
	org := vb365test.DemoOrganizationID
	refsOf := func(users []*vb365test.User, spell func(string) string) []ObjectRef {
		var refs []ObjectRef
		for _, u := range users {
			refs = append(refs, ObjectRef{Kind: KindUser, ID: spell(u.ID)})
		}
		return refs
	}
	same := func(s string) string { return s }
	check := func(t *testing.T, res []ObjectResult, refs []ObjectRef) {
		t.Helper()
		for i, r := range res {
			if r.Err != nil || r.Object.User == nil || !strings.EqualFold(r.Object.User.ID, refs[i].ID) || r.Object.User.Name == "" {
				t.Fatalf("result %d for %s: %+v", i, refs[i].ID, r)
			}
		}
	}

	t.Run("one page", func(t *testing.T) {
		fake := fakeWithUsers(t, 100)
		c := newTestClient(t, fake.URL)
		refs := refsOf(fake.Organization(org).Users[:100], strings.ToUpper) // found ignoring case
		res := c.GetObjects(context.Background(), org, append(refs, ObjectRef{Kind: KindUser, ID: "nobody"}), 0)
		check(t, res[:100], refs)
		if !errors.Is(res[100].Err, ErrNotFound) {
			t.Fatalf("unknown user: %v", res[100].Err)
		}
		if got := fake.CountByRoute(); got[usersRoute] != 1 || got[userRoute] != 1 {
			t.Fatalf("requests %v, want 1 listing and 1 GET (the unknown ID)", got)
		}
	})
	t.Run("beyond the first page", func(t *testing.T) {
		fake := fakeWithUsers(t, 10_050)
		c := newTestClient(t, fake.URL)
		all := fake.Organization(org).Users
		refs := refsOf(append(append([]*vb365test.User{}, all[:20]...), all[len(all)-20:]...), same)
		check(t, c.GetObjects(context.Background(), org, refs, 0), refs)
		if got := fake.CountByRoute(); got[usersRoute] != 1 || got[userRoute] != 20 {
			t.Fatalf("requests %v, want 1 listing (first page only) and 20 GETs (the users of page 2)", got)
		}
	})
	t.Run("listing fails", func(t *testing.T) {
		fake := fakeWithUsers(t, 30)
		fake.InjectFault(vb365test.Fault{Route: usersRoute, Times: 1 << 30, Status: 403})
		c := newTestClient(t, fake.URL)
		refs := refsOf(fake.Organization(org).Users[:30], same)
		check(t, c.GetObjects(context.Background(), org, refs, 0), refs)
		if got := fake.CountByRoute(); got[userRoute] != 30 {
			t.Fatalf("requests %v, want 30 GETs after the failed listing", got)
		}
	})
}

// GetObjects and GetPrincipal share one directory: one count of lookups per
// organization and kind, and one read of the first page per client. A page
// that GetObjects read answers the later GetPrincipal calls; lookups that
// GetObjects sent as GETs count towards GetPrincipal's threshold; a failed
// read is not tried again.
func TestDirectorySharedByGetObjectsAndGetPrincipal(t *testing.T) {
	const usersRoute, userRoute = "GET /Organizations/{organizationId}/Users", "GET /Organizations/{organizationId}/Users/{userId}"
	org := vb365test.DemoOrganizationID
	refsOf := func(users []*vb365test.User) []ObjectRef {
		var refs []ObjectRef
		for _, u := range users {
			refs = append(refs, ObjectRef{Kind: KindUser, ID: u.ID})
		}
		return refs
	}
	getObjects := func(t *testing.T, c *Client, refs []ObjectRef) {
		t.Helper()
		for i, r := range c.GetObjects(context.Background(), org, refs, 0) {
			if r.Err != nil || r.Object.User == nil || !strings.EqualFold(r.Object.User.ID, refs[i].ID) {
				t.Fatalf("GetObjects %d: %+v", i, r)
			}
		}
	}
	getPrincipals := func(t *testing.T, c *Client, users []*vb365test.User) {
		t.Helper()
		for _, u := range users {
			o, err := c.GetPrincipal(context.Background(), org, KindUser, u.ID)
			if err != nil || o.User == nil || !strings.EqualFold(o.User.ID, u.ID) {
				t.Fatalf("GetPrincipal %s: %+v, %v", u.ID, o, err)
			}
		}
	}

	t.Run("the page GetObjects read answers GetPrincipal", func(t *testing.T) {
		fake := fakeWithUsers(t, 40)
		c := newTestClient(t, fake.URL)
		users := fake.Organization(org).Users[:40]
		getObjects(t, c, refsOf(users[:20]))
		getPrincipals(t, c, users[20:])
		if got := fake.CountByRoute(); got[usersRoute] != 1 || got[userRoute] != 0 {
			t.Fatalf("requests %v, want 1 page and no GET", got)
		}
	})
	t.Run("GetObjects' GETs count towards the threshold", func(t *testing.T) {
		fake := fakeWithUsers(t, 40)
		c := newTestClient(t, fake.URL)
		users := fake.Organization(org).Users[:40]
		getObjects(t, c, refsOf(users[:10])) // under the threshold: 10 GETs
		getPrincipals(t, c, users[10:])      // 6 GETs, then the page
		if got := fake.CountByRoute(); got[usersRoute] != 1 || got[userRoute] != ListThreshold {
			t.Fatalf("requests %v, want %d GETs and 1 page", got, ListThreshold)
		}
	})
	t.Run("a failed read is not tried again", func(t *testing.T) {
		fake := fakeWithUsers(t, 40)
		fake.InjectFault(vb365test.Fault{Route: usersRoute, Times: 1 << 30, Status: 403})
		c := newTestClient(t, fake.URL)
		users := fake.Organization(org).Users[:40]
		getObjects(t, c, refsOf(users[:20]))
		getObjects(t, c, refsOf(users[20:]))
		getPrincipals(t, c, users[:5])
		if got := fake.CountByRoute(); got[usersRoute] != 1 || got[userRoute] != 45 {
			t.Fatalf("requests %v, want 1 failed page and 45 GETs", got)
		}
	})
}

// fakeWithUsers starts a fake with the demo organization and n more users
// in it.
func fakeWithUsers(t *testing.T, n int) *vb365test.Server {
	t.Helper()
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	fake.AddUsers(vb365test.DemoOrganizationID, n)
	return fake
}

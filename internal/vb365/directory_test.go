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
		fake := vb365test.Start(t, vb365test.Options{})
		fake.SeedDemo()
		fake.AddUsers(org, 10_050)
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
		fake := vb365test.Start(t, vb365test.Options{})
		fake.SeedDemo()
		fake.AddUsers(org, 30)
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

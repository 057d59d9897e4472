package vb365

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// TestGetObjectsBounded: results in the order asked, each with its own
// error, and never more GETs in flight than the bound.
func TestGetObjectsBounded(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	org := vb365test.DemoOrganizationID
	fake.AddUsers(org, 30)
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations/{organizationId}/Users/{userId}", Times: 1000, Latency: 5 * time.Millisecond})
	var inFlight, peak atomic.Int32
	c := newTestClient(t, fake.URL, func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			return http.DefaultTransport.RoundTrip(r)
		})}
	})
	c.listThreshold = 1 << 30 // one GET each: this tests their bound
	ctx := context.Background()
	if err := c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	var refs []ObjectRef
	for _, u := range fake.Organization(org).Users {
		refs = append(refs, ObjectRef{Kind: KindUser, ID: u.ID})
	}
	refs = append(refs, ObjectRef{Kind: KindUser, ID: "nobody"}, ObjectRef{Kind: KindSite, ID: vb365test.DemoSiteID})
	res := c.GetObjects(ctx, org, refs, 4)
	if len(res) != len(refs) {
		t.Fatalf("%d results for %d refs", len(res), len(refs))
	}
	for i, r := range res[:len(refs)-2] {
		if r.Err != nil || r.Entry.User == nil || r.Entry.User.ID != refs[i].ID {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	if r := res[len(refs)-2]; !errors.Is(r.Err, ErrNotFound) {
		t.Fatalf("unknown user: %v", r.Err)
	}
	if r := res[len(refs)-1]; r.Err != nil || r.Entry.Site == nil {
		t.Fatalf("site: %+v", r)
	}
	if p := peak.Load(); p > 4 {
		t.Fatalf("%d GETs in flight, want at most 4", p)
	}
}

// BenchmarkGetObjects: 100 users 20 ms away, looked up one at a time (what
// the provider did first), 8 at a time, and from the first page of the
// organization's users (the default from ListThreshold refs on).
func BenchmarkGetObjects(b *testing.B) {
	fake := vb365test.Start(b, vb365test.Options{})
	fake.SeedDemo()
	org := vb365test.DemoOrganizationID
	fake.AddUsers(org, 100)
	var refs []ObjectRef
	for _, u := range fake.Organization(org).Users[:100] {
		refs = append(refs, ObjectRef{Kind: KindUser, ID: u.ID})
	}
	for _, mode := range []struct {
		name          string
		parallel      int
		listThreshold int
	}{{"lookups/parallel=1", 1, 1 << 30}, {"lookups/parallel=8", DefaultLookupParallelism, 1 << 30}, {"first-page", DefaultLookupParallelism, 0}} {
		parallel := mode.parallel
		b.Run(mode.name, func(b *testing.B) {
			c := newTestClient(b, fake.URL)
			c.listThreshold = mode.listThreshold
			ctx := context.Background()
			if err := c.Login(ctx); err != nil {
				b.Fatal(err)
			}
			fake.ResetRequests()
			fake.InjectFault(vb365test.Fault{Route: "GET /Organizations/{organizationId}/Users/{userId}", Times: 1 << 30, Latency: 20 * time.Millisecond})
			fake.InjectFault(vb365test.Fault{Route: "GET /Organizations/{organizationId}/Users", Times: 1 << 30, Latency: 20 * time.Millisecond})
			defer fake.ClearFaults()
			b.ResetTimer()
			for range b.N {
				for _, r := range c.GetObjects(ctx, org, refs, parallel) {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				}
			}
			b.ReportMetric(float64(fake.Count("GET /Organizations/{organizationId}/Users/{userId}")+fake.Count("GET /Organizations/{organizationId}/Users"))/float64(b.N), "requests/op")
		})
	}
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
			if r.Err != nil || r.Entry.User == nil || !strings.EqualFold(r.Entry.User.ID, refs[i].ID) || r.Entry.User.Name == "" {
				t.Fatalf("result %d for %s: %+v", i, refs[i].ID, r)
			}
		}
	}

	t.Run("one page", func(t *testing.T) {
		fake := vb365test.Start(t, vb365test.Options{})
		fake.SeedDemo()
		fake.AddUsers(org, 100)
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
		fake := vb365test.Start(t, vb365test.Options{})
		fake.SeedDemo()
		fake.AddUsers(org, 10_050)
		c := newTestClient(t, fake.URL)
		all := fake.Organization(org).Users
		refs := refsOf(append(append([]*vb365test.User{}, all[:20]...), all[len(all)-20:]...), same)
		check(t, c.GetObjects(context.Background(), org, refs, 0), refs)
		if got := fake.CountByRoute(); got[usersRoute] != 1 || got[userRoute] != 20 {
			t.Fatalf("requests %v, want 1 listing (first page only) and 20 GETs (the users of page 2)", got)
		}
	})
	t.Run("listing fails", func(t *testing.T) {
		fake := vb365test.Start(t, vb365test.Options{})
		fake.SeedDemo()
		fake.AddUsers(org, 30)
		fake.InjectFault(vb365test.Fault{Route: usersRoute, Times: 1 << 30, Status: 403})
		c := newTestClient(t, fake.URL)
		refs := refsOf(fake.Organization(org).Users[:30], same)
		check(t, c.GetObjects(context.Background(), org, refs, 0), refs)
		if got := fake.CountByRoute(); got[userRoute] != 30 {
			t.Fatalf("requests %v, want 30 GETs after the failed listing", got)
		}
	})
}

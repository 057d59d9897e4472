package vb365

import (
	"context"
	"errors"
	"net/http"
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
		if r.Err != nil || r.Object.User == nil || r.Object.User.ID != refs[i].ID {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	if r := res[len(refs)-2]; !errors.Is(r.Err, ErrNotFound) {
		t.Fatalf("unknown user: %v", r.Err)
	}
	if r := res[len(refs)-1]; r.Err != nil || r.Object.Site == nil {
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

package vb365

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

// newContractClient returns a client whose traffic with a seeded fake is
// validated against Veeam's OpenAPI document of the version.
func newContractClient(t *testing.T, version APIVersion, opts vb365test.Options) (*Client, *vb365test.Server, *contract.Validator) {
	t.Helper()
	v, err := contract.Load(string(version))
	if err != nil {
		t.Fatal(err)
	}
	fake := vb365test.Start(t, opts)
	fake.SeedDemo()
	c, err := New(Config{
		URL: fake.URL, Username: fake.Username(), Password: fake.Password(), APIVersion: version,
		HTTPClient:   &http.Client{Transport: v.Transport(http.DefaultTransport), Timeout: testTimeout},
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, fake, v
}

func assertNoViolations(t *testing.T, v *contract.Validator, wantRoutes ...string) {
	t.Helper()
	if vs := v.Violations(); len(vs) > 0 {
		t.Errorf("contract violations:\n%s", strings.Join(vs, "\n"))
	}
	routes := v.Routes()
	for _, r := range wantRoutes {
		if routes[r] == 0 {
			t.Errorf("route %q was not exercised; validated: %v", r, routes)
		}
	}
}

// TestContract_authAndOrganizations runs the token grants and the
// organization routes of every version through the OpenAPI validator:
// requests the client sends and answers the fake gives, errors included.
func TestContract_authAndOrganizations(t *testing.T) {
	for _, version := range []APIVersion{V8, V7, V6} {
		t.Run(string(version), func(t *testing.T) {
			ctx := context.Background()
			c, fake, v := newContractClient(t, version, vb365test.Options{})
			orgs, err := c.ListOrganizations(ctx)
			if err != nil || len(orgs) != 2 {
				t.Fatalf("ListOrganizations = %d, %v", len(orgs), err)
			}
			if _, err := c.GetOrganization(ctx, orgs[0].ID); err != nil {
				t.Fatal(err)
			}
			// An error answer is validated against the "default" response.
			if _, err := c.GetOrganization(ctx, "11111111-2222-3333-4444-555555555555"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("unknown organization: %v", err)
			}
			// 401, then the refresh_token grant.
			fake.ExpireTokens()
			if _, err := c.ListOrganizations(ctx); err != nil {
				t.Fatal(err)
			}
			if s := c.authStats(); s.Logins != 1 || s.Refreshes != 1 {
				t.Fatalf("authStats = %+v, want one login and one refresh", s)
			}
			p := "/" + string(version)
			assertNoViolations(t, v,
				"POST "+p+"/token",
				"GET "+p+"/Organizations",
				"GET "+p+"/Organizations/{organizationId}",
			)
		})
	}
}

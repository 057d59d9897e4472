package vb365

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

// TestSitesContract runs the site routes of every version through the
// OpenAPI validator: lists, personal sites, a site ID of two GUIDs, lookups
// by URL, and the not-found errors.
func TestSitesContract(t *testing.T) {
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
				cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport)}
			})
			ctx := context.Background()

			sites, err := c.ListSites(ctx, org, SiteFilter{})
			if err != nil || len(sites) != 3 {
				t.Fatalf("sites: %d, %v", len(sites), err)
			}
			all, err := c.ListSites(ctx, org, SiteFilter{IncludePersonalSites: true})
			if err != nil || len(all) != 4 || !all[3].IsPersonal {
				t.Fatalf("with personal sites: %+v, %v", all, err)
			}
			hr, err := c.GetSite(ctx, org, vb365test.DemoSiteID)
			if err != nil || hr.Title != "HR" || len(hr.ID) != 72 {
				t.Fatalf("GetSite: %+v, %v", hr, err)
			}
			byURL, err := c.FindSiteByURL(ctx, org, "HTTPS://contoso.sharepoint.com/sites/finance/")
			if err != nil || byURL.Title != "Finance" {
				t.Fatalf("FindSiteByURL: %+v, %v", byURL, err)
			}
			if _, err := c.FindSiteByURL(ctx, org, "https://contoso.sharepoint.com/sites/Nope"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("unknown URL: %v", err)
			}
			var nf *NotFoundError
			if _, err := c.GetSite(ctx, org, "nope"); !errors.As(err, &nf) || nf.Kind != KindSite {
				t.Fatalf("unknown site: %v", err)
			}

			if vs := val.Violations(); len(vs) > 0 {
				t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
			}
			seen := val.Routes()
			p := "/" + string(v) + "/Organizations/{organizationId}"
			for _, r := range []string{"GET " + p + "/Sites", "GET " + p + "/Sites/{siteId}"} {
				if seen[r] == 0 {
					t.Errorf("route %s was not validated (validated: %v)", r, seen)
				}
			}
		})
	}
}

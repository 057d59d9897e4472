package vb365

import (
	"context"
	"errors"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// TestSitesContract runs the site routes of every version through the
// OpenAPI validator: lists, personal sites, a site ID of two GUIDs, lookups
// by URL, and the not-found errors.
func TestSitesContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			c, _, val := newContractClient(t, v, vb365test.Options{})
			org := vb365test.DemoOrganizationID
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

			p := "/" + string(v) + "/Organizations/{organizationId}"
			assertNoViolations(t, val, "GET "+p+"/Sites", "GET "+p+"/Sites/{siteId}")
		})
	}
}

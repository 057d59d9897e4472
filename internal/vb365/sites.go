package vb365

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// Site is RESTSite. A site ID is two GUIDs written together: an opaque
// string, never a UUID.
type Site struct {
	ID         string `json:"id"`
	URL        string `json:"url"`
	ParentURL  string `json:"parentUrl"`
	Name       string `json:"name"`
	Title      string `json:"title"`
	IsCloud    bool   `json:"isCloud"`
	IsPersonal bool   `json:"isPersonal"`
}

// SiteFilter narrows ListSites on the server.
type SiteFilter struct {
	// IncludePersonalSites also lists OneDrive (personal) sites; the server
	// leaves them out by default.
	IncludePersonalSites bool
}

func sitesPath(orgID string) string { return "Organizations/" + escape(orgID) + "/Sites" }

// ListSites returns the sites of an organization, following every page at
// the largest page size.
func (c *Client) ListSites(ctx context.Context, orgID string, f SiteFilter) ([]Site, error) {
	q := url.Values{}
	if f.IncludePersonalSites {
		q.Set("includePersonalSites", "true")
	}
	sites, err := allPages(listPages[Site](ctx, c, sitesPath(orgID), q, 0))
	if err != nil {
		return nil, listError(err, orgID)
	}
	return sites, nil
}

// GetSite returns one site by its ID.
func (c *Client) GetSite(ctx context.Context, orgID, siteID string) (*Site, error) {
	var s Site
	p := sitesPath(orgID) + "/" + escape(siteID)
	if err := c.do(ctx, request{method: http.MethodGet, path: p, wantStatus: http.StatusOK, idempotent: true}, &s); err != nil {
		return nil, c.getError(ctx, err, orgID, KindSite, siteID)
	}
	if err := c.checkID(p, "site", siteID, s.ID); err != nil {
		return nil, err
	}
	return &s, nil
}

// SameSiteURL compares site URLs ignoring case and a trailing slash.
func SameSiteURL(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
}

// FindSiteByURL returns the site with this URL (ignoring case and a
// trailing slash), personal sites included. The server has no URL filter,
// so this lists the sites, stopping once two match.
func (c *Client) FindSiteByURL(ctx context.Context, orgID, siteURL string) (*Site, error) {
	q := url.Values{"includePersonalSites": {"true"}}
	return findOne(ctx, c, sitesPath(orgID), q, orgID, lookup[Site]{
		kind: KindSite, key: "url", value: siteURL,
		keep:  func(s *Site) bool { return SameSiteURL(s.URL, siteURL) },
		match: func(s *Site) Match { return Match{ID: s.ID, Name: s.URL, DisplayName: s.Title} },
	})
}

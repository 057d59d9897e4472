package vb365test

import (
	"net/http"
	"strings"
)

// Site is a fake SharePoint site (RESTSite). Its ID is two GUIDs written
// together, as on the real server.
type Site struct {
	ID, URL, ParentURL, Name, Title string
	IsCloud, IsPersonal             bool
}

func siteRoutes(r *router) {
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/Sites", (*call).listSites)
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/Sites/{siteId}", (*call).getSite)
}

// AddSite adds a site to an organization; an empty ID gets two GUIDs.
func (s *Server) AddSite(orgID string, site Site) *Site {
	s.mu.Lock()
	defer s.mu.Unlock()
	org := s.org(orgID)
	if org == nil {
		panic("vb365test: AddSite: unknown organization " + orgID)
	}
	if site.ID == "" {
		site.ID = GUID("site", s.nextID()) + GUID("web", s.nextID())
	}
	if site.Name == "" {
		site.Name = site.Title
	}
	site.IsCloud = true
	ss := site
	org.Sites = append(org.Sites, &ss)
	return &ss
}

func (c *call) siteJSON(org *Organization, st *Site) map[string]any {
	m := map[string]any{
		"id": st.ID, "url": st.URL, "parentUrl": nullable(st.ParentURL), "name": c.text(st.Name), "title": st.Title,
		"isCloud": st.IsCloud, "isPersonal": st.IsPersonal, "isAvailable": true,
		"_links": map[string]any{"self": c.link("/Organizations/" + org.ID + "/Sites/" + st.ID)},
	}
	if c.version == "v8" {
		m["eTag"] = 1
		m["msid"] = nil
		m["dataLocation"] = nil
	}
	return m
}

// GET .../Sites: paged; personal sites only with includePersonalSites=true.
func (c *call) listSites(org *Organization) {
	personal := strings.EqualFold(c.query("includePersonalSites"), "true")
	r := c.renderer()
	c.paginate("/Organizations/"+org.ID+"/Sites", func() []any {
		out := []any{}
		for _, st := range org.Sites {
			if personal || !st.IsPersonal {
				out = append(out, r.siteJSON(org, st))
			}
		}
		return out
	})
}

func (c *call) getSite(org *Organization) {
	for _, st := range org.Sites {
		if strings.EqualFold(st.ID, c.params[1]) {
			c.writeJSON(http.StatusOK, c.siteJSON(org, st))
			return
		}
	}
	c.errorf(http.StatusNotFound, "ResourceNotFound", "Site with ID %s was not found.", c.params[1])
}

package vb365test

import (
	"net/http"
)

// organizationRoutes adds the organizations routes.
func organizationRoutes(r *router) {
	r.handle(http.MethodGet, "/Organizations", (*call).listOrganizations)
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}", (*call).getOrganization)
}

func (c *call) organizationJSON(o *Organization) map[string]any {
	region := o.Region
	if c.s.opts.Quirks.UnknownEnumValues {
		region = "Unknown"
	}
	base := "/Organizations/" + o.ID
	m := map[string]any{
		"id":                 o.ID,
		"name":               o.Name,
		"officeName":         c.text(o.OfficeName),
		"type":               o.Type,
		"region":             region,
		"isExchangeOnline":   o.Type != "OnPremises",
		"isSharePointOnline": o.Type != "OnPremises",
		"isTeamsOnline":      o.Type == "Office365",
		"isTeamsChatsOnline": false,
		"isBackedup":         nil,
		"firstBackuptime":    nil,
		"lastBackuptime":     nil,
		"_links": map[string]any{
			"self":             c.link(base),
			"users":            c.link(base + "/Users"),
			"groups":           c.link(base + "/Groups"),
			"sites":            c.link(base + "/Sites"),
			"teams":            c.link(base + "/Teams"),
			"jobs":             c.link("/Jobs?organizationId=" + o.ID),
			"usedRepositories": c.link(base + "/UsedRepositories"),
		},
		"_actions": map[string]any{},
	}
	if c.version != "v6" {
		m["description"] = nullable(o.Description)
	}
	if c.version == "v8" {
		m["msid"] = nullable(o.MSID)
		m["backedUpOrganizationId"] = nil
	}
	return m
}

// GET /Organizations: a page object in v8, a bare array in v6 and v7.
func (c *call) listOrganizations() {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	all := func() []any {
		out := make([]any, 0, len(s.orgs))
		for _, o := range s.orgs {
			out = append(out, c.organizationJSON(o))
		}
		return out
	}
	c.list("/Organizations", all)
}

func (c *call) getOrganization(o *Organization) {
	c.writeJSON(http.StatusOK, c.organizationJSON(o))
}

// organization resolves the {organizationId} path parameter; it answers 404
// and returns nil when there is no such organization. Callers hold s.mu.
func (c *call) organization() *Organization {
	o := c.s.org(c.params[0])
	if o == nil {
		c.errorf(http.StatusNotFound, "ResourceNotFound", "Organization with ID %s was not found.", c.params[0])
	}
	return o
}

package vb365test

import (
	"net/http"
	"strings"
)

// Team is a fake Microsoft Teams team (RESTTeam); its ID is a GUID.
type Team struct {
	ID, DisplayName, Description, Mail string
}

func teamRoutes(r *router) {
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/Teams", (*call).listTeams)
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/Teams/{teamId}", (*call).getTeam)
}

// AddTeam adds a team to an organization.
func (s *Server) AddTeam(orgID string, t Team) *Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	org := s.org(orgID)
	if org == nil {
		panic("vb365test: AddTeam: unknown organization " + orgID)
	}
	if t.ID == "" {
		t.ID = GUID("team", s.nextID())
	}
	tt := t
	org.Teams = append(org.Teams, &tt)
	return &tt
}

func (c *call) teamJSON(org *Organization, t *Team) map[string]any {
	m := map[string]any{
		"id": t.ID, "displayName": t.DisplayName, "description": c.text(t.Description), "mail": t.Mail,
		"_links": map[string]any{"self": c.link("/Organizations/" + org.ID + "/Teams/" + t.ID)},
	}
	if c.version == "v8" {
		m["eTag"] = 1
		m["msid"] = nil
		m["dataLocation"] = nil
	}
	return m
}

// GET .../Teams with displayName (wildcards * and ?).
func (c *call) listTeams(org *Organization) {
	name := c.query("displayName")
	r := c.renderer()
	c.paginate("/Organizations/"+org.ID+"/Teams", func() []any {
		out := []any{}
		for _, t := range org.Teams {
			if name == "" || wildcard(name, t.DisplayName) {
				out = append(out, r.teamJSON(org, t))
			}
		}
		return out
	})
}

func (c *call) getTeam(org *Organization) {
	for _, t := range org.Teams {
		if strings.EqualFold(t.ID, c.params[1]) {
			c.writeJSON(http.StatusOK, c.teamJSON(org, t))
			return
		}
	}
	c.errorf(http.StatusNotFound, "ResourceNotFound", "Team with ID %s was not found.", c.params[1])
}

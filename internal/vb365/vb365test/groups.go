package vb365test

import (
	"encoding/json"
	"net/http"
)

// groupRoutes adds the group routes.
func groupRoutes(r *router) {
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/Groups", (*call).listGroups, onV5(http.StatusOK))
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/Groups/{groupId}", (*call).getGroup, onV5(http.StatusOK))
}

// groupJSON renders RESTGroup in the call's version.
func (c *call) groupJSON(org *Organization, g *Group, id string) map[string]any {
	m := map[string]any{
		"id":           id,
		"displayName":  g.DisplayName,
		"name":         nullable(g.Name),
		"managedBy":    nullable(g.ManagedBy),
		"site":         nullable(g.Site),
		"type":         nullable(g.Type),
		"locationType": g.LocationType,
		"_links": map[string]any{
			"self":         c.link("/Organizations/" + org.ID + "/Groups/" + id),
			"organization": c.link("/Organizations/" + org.ID),
		},
	}
	if c.fromV7() {
		m["onPremisesSid"] = nullable(g.OnPremisesSID)
	}
	if c.version == "v8" {
		m["eTag"] = 1
		m["msid"] = nullable(g.MSID)
		m["dataLocation"] = nil
	}
	return m
}

// groupItem is a group in a setId snapshot (see userItem).
type groupItem struct {
	r   *call
	org *Organization
	g   *Group
}

func (i groupItem) MarshalJSON() ([]byte, error) {
	return json.Marshal(i.r.groupJSON(i.org, i.g, i.g.ID))
}

// GET /Organizations/{id}/Groups with groupName, displayName and locationFilter.
func (c *call) listGroups(org *Organization) {
	f, ok := c.principalFilter("groupName")
	if !ok {
		return
	}
	r := c.renderer()
	c.paginate("/Organizations/"+org.ID+"/Groups", func() []any {
		out := []any{}
		for _, g := range org.Groups {
			if f.matches(g.Name, g.DisplayName, g.LocationType) {
				out = append(out, groupItem{r: r, org: org, g: g})
			}
		}
		return out
	})
}

func (c *call) getGroup(org *Organization) {
	g := org.group(c.params[1])
	if g == nil {
		c.errorf(http.StatusNotFound, "ResourceNotFound", "Group with ID %s was not found.", c.params[1])
		return
	}
	c.writeJSON(http.StatusOK, c.groupJSON(org, g, g.ID))
}

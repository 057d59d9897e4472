package vb365test

import (
	"encoding/json"
	"net/http"
	"strings"
)

// userRoutes adds the user routes.
func userRoutes(r *router) {
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/Users", (*call).listUsers, onV5(http.StatusOK))
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/Users/{userId}", (*call).getUser, onV5(http.StatusOK))
}

// userJSON renders RESTUser in the call's version: onPremisesSid and office
// from v7, eTag, assignedLicenses, msid and dataLocation from v8.
func (c *call) userJSON(org *Organization, u *User, id string) map[string]any {
	base := "/Organizations/" + org.ID + "/Users/" + id
	m := map[string]any{
		"id":           id,
		"displayName":  u.DisplayName,
		"name":         u.Name,
		"type":         nullable(u.Type),
		"locationType": u.LocationType,
		"_links": map[string]any{
			"self":         c.link(base),
			"organization": c.link("/Organizations/" + org.ID),
			"onedrives":    c.link(base + "/onedrives"),
		},
	}
	if c.fromV7() {
		m["onPremisesSid"] = c.text(u.OnPremisesSID)
		m["office"] = c.text(u.Office)
	}
	if c.version == "v8" {
		m["eTag"] = 1
		m["assignedLicenses"] = []any{}
		m["msid"] = nullable(u.MSID)
		m["dataLocation"] = nil
	}
	c.v5User(m)
	return m
}

// userItem and groupItem are what a setId snapshot keeps: a pointer, not
// a rendered object, so an organization of 25,000 users costs the fake
// kilobytes per snapshot instead of megabytes. They render when their page
// is written (under s.mu, like every other answer).
type userItem struct {
	r   *call
	org *Organization
	u   *User
}

func (i userItem) MarshalJSON() ([]byte, error) {
	return json.Marshal(i.r.userJSON(i.org, i.u, i.u.ID))
}

// renderer is a detached copy of the call that only renders (version and
// quirks), so a snapshot does not keep the request alive.
func (c *call) renderer() *call { return &call{s: c.s, version: c.version, origin: c.origin} }

// locationMatches applies locationFilter (Cloud, OnPremises, Hybrid,
// CloudOrHybrid, OnPremisesOrHybrid, Any), case-insensitively.
func locationMatches(filter, location string) bool {
	switch strings.ToLower(filter) {
	case "", "any":
		return true
	case "cloudorhybrid":
		return location == "Cloud" || location == "Hybrid"
	case "onpremisesorhybrid":
		return location == "OnPremises" || location == "Hybrid"
	default:
		return strings.EqualFold(filter, location)
	}
}

var locationFilters = map[string]bool{"": true, "cloud": true, "onpremises": true, "hybrid": true, "cloudorhybrid": true, "onpremisesorhybrid": true, "any": true}

// principalFilter is the query of a user or group list: the name (userName
// or groupName, exact, ignoring case), displayName (wildcards * and ?) and
// locationFilter.
type principalFilter struct {
	name, displayName, location string
}

// principalFilter reads the list query; nameParam is userName or
// groupName. It answers 400 and returns false for an unknown locationFilter.
func (c *call) principalFilter(nameParam string) (principalFilter, bool) {
	f := c.v5Filter(principalFilter{name: c.query(nameParam), displayName: c.query("displayName"), location: c.query("locationFilter")})
	if !locationFilters[strings.ToLower(f.location)] {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The locationFilter value '%s' is not valid.", f.location)
		return f, false
	}
	return f, true
}

func (f principalFilter) matches(name, displayName, location string) bool {
	return (f.name == "" || strings.EqualFold(name, f.name)) &&
		(f.displayName == "" || wildcard(f.displayName, displayName)) &&
		locationMatches(f.location, location)
}

// GET /Organizations/{id}/Users with userName, displayName and locationFilter.
func (c *call) listUsers(org *Organization) {
	f, ok := c.principalFilter("userName")
	if !ok {
		return
	}
	r := c.renderer()
	c.paginate("/Organizations/"+org.ID+"/Users", func() []any {
		out := []any{}
		for _, u := range org.Users {
			if f.matches(u.Name, u.DisplayName, u.LocationType) {
				out = append(out, userItem{r: r, org: org, u: u})
			}
		}
		return out
	})
}

func (c *call) getUser(org *Organization) {
	u := org.user(c.params[1])
	if u == nil {
		c.errorf(http.StatusNotFound, "ResourceNotFound", "User with ID %s was not found.", c.params[1])
		return
	}
	c.writeJSON(http.StatusOK, c.userJSON(org, u, u.ID))
}

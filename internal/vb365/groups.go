package vb365

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// Group is RESTGroup. IDs are opaque strings.
type Group struct {
	ID            string           `json:"id"`
	Name          string           `json:"name"`
	DisplayName   string           `json:"displayName"`
	Type          string           `json:"type"`
	LocationType  string           `json:"locationType"`
	ManagedBy     string           `json:"managedBy"`
	Site          string           `json:"site"`
	OnPremisesSID string           `json:"onPremisesSid"`
	MSID          string           `json:"msid"`
	Links         map[string]*Link `json:"_links,omitempty"`
}

// GroupFilter narrows ListGroups on the server. Empty fields are not sent.
type GroupFilter struct {
	// GroupName is the group's mail address (exact, ignoring case).
	GroupName string
	// DisplayName may hold the wildcards * and ?.
	DisplayName string
	// LocationFilter: one of LocationFilters.
	LocationFilter string
	// PageSize overrides maxPageSize (tests and benchmarks).
	PageSize int
}

func (f GroupFilter) query() url.Values {
	q := url.Values{}
	if f.GroupName != "" {
		q.Set("groupName", f.GroupName)
	}
	if f.DisplayName != "" {
		q.Set("displayName", f.DisplayName)
	}
	if f.LocationFilter != "" {
		q.Set("locationFilter", f.LocationFilter)
	}
	return q
}

func groupsPath(orgID string) string { return "Organizations/" + escape(orgID) + "/Groups" }

// listedGroup is RESTGroup without _links, as listedUser.
type listedGroup struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	DisplayName   string `json:"displayName"`
	Type          string `json:"type"`
	LocationType  string `json:"locationType"`
	ManagedBy     string `json:"managedBy"`
	Site          string `json:"site"`
	OnPremisesSID string `json:"onPremisesSid"`
	MSID          string `json:"msid"`
}

// ListGroups returns every group of an organization matching the filter,
// following every page at the largest page size. Listed groups have no
// Links (GetGroup has them). An unknown organization is a *NotFoundError
// of Kind "organization" (IsOrganizationNotFound).
func (g *listedGroup) group() Group {
	return Group{ID: g.ID, Name: g.Name, DisplayName: g.DisplayName, Type: g.Type, LocationType: g.LocationType,
		ManagedBy: g.ManagedBy, Site: g.Site, OnPremisesSID: g.OnPremisesSID, MSID: g.MSID}
}

func (c *Client) ListGroups(ctx context.Context, orgID string, f GroupFilter) ([]Group, error) {
	var groups []Group
	for p, err := range listPages[listedGroup](ctx, c, groupsPath(orgID), f.query(), f.PageSize) {
		if err != nil {
			return nil, listError(err, orgID)
		}
		for i := range p {
			groups = append(groups, p[i].group())
		}
	}
	return groups, nil
}

// GetGroup returns one group by its ID (GET .../Groups/{groupId}). After a
// 404 it asks once more whether the organization exists, so the
// *NotFoundError says which of the two is missing.
func (c *Client) GetGroup(ctx context.Context, orgID, groupID string) (*Group, error) {
	var g Group
	err := c.do(ctx, request{method: http.MethodGet, path: groupsPath(orgID) + "/" + escape(groupID), wantStatus: http.StatusOK, idempotent: true}, &g)
	if err != nil {
		return nil, c.getError(ctx, err, orgID, KindGroup, groupID)
	}
	if err := c.checkID(groupsPath(orgID)+"/"+escape(groupID), "group", groupID, g.ID); err != nil {
		return nil, err
	}
	return &g, nil
}

// FindGroupByName returns the group whose name (mail address) equals name,
// ignoring case, with the server filtering (groupName): one request.
func (c *Client) FindGroupByName(ctx context.Context, orgID, name string) (*Group, error) {
	return findOne(ctx, c, groupsPath(orgID), GroupFilter{GroupName: name}.query(), orgID, lookup[Group]{
		kind: KindGroup, key: "name", value: name,
		keep:  func(g *Group) bool { return strings.EqualFold(g.Name, name) },
		match: func(g *Group) Match { return Match{ID: g.ID, Name: g.Name, DisplayName: g.DisplayName} },
	})
}

// FindGroupByDisplayName returns the one group whose display name matches,
// as FindUserByDisplayName does for users.
func (c *Client) FindGroupByDisplayName(ctx context.Context, orgID, displayName string) (*Group, error) {
	return findOne(ctx, c, groupsPath(orgID), GroupFilter{DisplayName: displayName}.query(), orgID, lookup[Group]{
		kind: KindGroup, key: "display_name", value: displayName,
		keep:  func(g *Group) bool { return displayNameMatches(displayName, g.DisplayName) },
		match: func(g *Group) Match { return Match{ID: g.ID, Name: g.Name, DisplayName: g.DisplayName} },
	})
}

package vb365

import (
	"context"
	"net/http"
	"net/url"
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
	DisplayName    string
	LocationFilter string
	PageSize       int
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

// ListGroups returns every group of an organization matching the filter.
func (c *Client) ListGroups(ctx context.Context, orgID string, f GroupFilter) ([]Group, error) {
	var groups []Group
	err := listPages(ctx, c, "Organizations/"+escape(orgID)+"/Groups", f.query(), f.PageSize, func(p []Group) error {
		groups = append(groups, p...)
		return nil
	})
	return groups, err
}

// GetGroup returns one group; ErrNotFound when the organization or the
// group does not exist.
func (c *Client) GetGroup(ctx context.Context, orgID, groupID string) (*Group, error) {
	var g Group
	err := c.do(ctx, request{method: http.MethodGet, path: "Organizations/" + escape(orgID) + "/Groups/" + escape(groupID), wantStatus: http.StatusOK, idempotent: true}, &g)
	if err != nil {
		return nil, err
	}
	return &g, nil
}

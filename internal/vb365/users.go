package vb365

import (
	"context"
	"net/http"
	"net/url"
)

// User is RESTUser. IDs are opaque composite strings (an Entra object GUID,
// a zero GUID and, for hybrid users, a base64 SID): never parse them.
type User struct {
	ID            string           `json:"id"`
	Name          string           `json:"name"`
	DisplayName   string           `json:"displayName"`
	Type          string           `json:"type"`
	LocationType  string           `json:"locationType"`
	OnPremisesSID string           `json:"onPremisesSid"`
	Office        string           `json:"office"`
	MSID          string           `json:"msid"`
	Links         map[string]*Link `json:"_links,omitempty"`
}

// UserFilter narrows ListUsers on the server. Empty fields are not sent.
type UserFilter struct {
	// UserName is the e-mail address (exact, ignoring case).
	UserName string
	// DisplayName may hold the wildcards * and ?.
	DisplayName string
	// LocationFilter: Cloud, OnPremises, Hybrid, CloudOrHybrid, OnPremisesOrHybrid or Any.
	LocationFilter string
	// PageSize overrides MaxPageSize (tests and benchmarks).
	PageSize int
}

func (f UserFilter) query() url.Values {
	q := url.Values{}
	if f.UserName != "" {
		q.Set("userName", f.UserName)
	}
	if f.DisplayName != "" {
		q.Set("displayName", f.DisplayName)
	}
	if f.LocationFilter != "" {
		q.Set("locationFilter", f.LocationFilter)
	}
	return q
}

// ListUsers returns every user of an organization matching the filter,
// following every page.
func (c *Client) ListUsers(ctx context.Context, orgID string, f UserFilter) ([]User, error) {
	var users []User
	err := listPages(ctx, c, "Organizations/"+escape(orgID)+"/Users", f.query(), f.PageSize, func(p []User) error {
		users = append(users, p...)
		return nil
	})
	return users, err
}

// GetUser returns one user; ErrNotFound when the organization or the user
// does not exist.
func (c *Client) GetUser(ctx context.Context, orgID, userID string) (*User, error) {
	var u User
	err := c.do(ctx, request{method: http.MethodGet, path: "Organizations/" + escape(orgID) + "/Users/" + escape(userID), wantStatus: http.StatusOK, idempotent: true}, &u)
	if err != nil {
		return nil, err
	}
	return &u, nil
}

package vb365

import (
	"context"
	"net/http"
	"net/url"
	"strings"
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
	// PageSize overrides maxPageSize (tests and benchmarks).
	PageSize int
}

// LocationFilters are the values of the locationFilter parameter of the
// Users and Groups lists.
var LocationFilters = []string{"Cloud", "OnPremises", "Hybrid", "CloudOrHybrid", "OnPremisesOrHybrid", "Any"}

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

func usersPath(orgID string) string { return "Organizations/" + escape(orgID) + "/Users" }

// listedUser is RESTUser without _links: a list of 25,000 users decodes
// about half as many objects without them (BenchmarkListUsers).
type listedUser struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	DisplayName   string `json:"displayName"`
	Type          string `json:"type"`
	LocationType  string `json:"locationType"`
	OnPremisesSID string `json:"onPremisesSid"`
	Office        string `json:"office"`
	MSID          string `json:"msid"`
}

func (u *listedUser) user() User {
	return User{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Type: u.Type, LocationType: u.LocationType,
		OnPremisesSID: u.OnPremisesSID, Office: u.Office, MSID: u.MSID}
}

// ListUsers returns every user of an organization matching the filter,
// following every page at the largest page size. Listed users have no
// Links (GetUser has them). An unknown organization is a *NotFoundError of
// Kind "organization" (IsOrganizationNotFound).
func (c *Client) ListUsers(ctx context.Context, orgID string, f UserFilter) ([]User, error) {
	var users []User
	err := c.EachUserPage(ctx, orgID, f, func(p []User) error {
		if users == nil {
			// A full page usually means more follow: reserve room for two.
			users = make([]User, 0, len(p)*2)
		}
		users = append(users, p...)
		return nil
	})
	return users, err
}

// EachUserPage is ListUsers a page at a time: it hands each page's users
// to each as it arrives, so a caller that encodes them as they come holds
// one page, not the organization (the streamed vb365_users read). An error
// from each ends the listing and is returned as is.
func (c *Client) EachUserPage(ctx context.Context, orgID string, f UserFilter, each func([]User) error) error {
	for p, err := range listPages[listedUser](ctx, c, usersPath(orgID), f.query(), f.PageSize) {
		if err != nil {
			return listError(err, orgID)
		}
		users := make([]User, len(p))
		for i := range p {
			users[i] = p[i].user()
		}
		if err := each(users); err != nil {
			return err
		}
	}
	return nil
}

// GetUser returns one user by its ID (GET .../Users/{userId}). When the
// server answers 404 it asks once more whether the organization exists, so
// the *NotFoundError says which of the two is missing.
func (c *Client) GetUser(ctx context.Context, orgID, userID string) (*User, error) {
	var u User
	err := c.do(ctx, request{method: http.MethodGet, path: usersPath(orgID) + "/" + escape(userID), wantStatus: http.StatusOK, idempotent: true}, &u)
	if err != nil {
		return nil, c.getError(ctx, err, orgID, KindUser, userID)
	}
	if err := c.checkID(usersPath(orgID)+"/"+escape(userID), "user", userID, u.ID); err != nil {
		return nil, err
	}
	return &u, nil
}

// FindUserByName returns the user whose name (mail address / UPN) equals
// name, ignoring case. It asks the server to filter (userName), so it costs
// one request whatever the size of the organization. No match is a
// *NotFoundError, an unknown organization too (IsOrganizationNotFound).
func (c *Client) FindUserByName(ctx context.Context, orgID, name string) (*User, error) {
	return findOne(ctx, c, usersPath(orgID), UserFilter{UserName: name}.query(), orgID, lookup[User]{
		kind: KindUser, key: "name", value: name,
		keep:  func(u *User) bool { return strings.EqualFold(u.Name, name) },
		match: func(u *User) Match { return Match{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName} },
	})
}

// FindUserByDisplayName returns the one user whose display name matches.
// The server filters (displayName, wildcards * and ?); without wildcards
// the answer is narrowed to display names equal to displayName ignoring
// case. Several matches are an *AmbiguousError listing them, none a
// *NotFoundError.
func (c *Client) FindUserByDisplayName(ctx context.Context, orgID, displayName string) (*User, error) {
	return findOne(ctx, c, usersPath(orgID), UserFilter{DisplayName: displayName}.query(), orgID, lookup[User]{
		kind: KindUser, key: "display_name", value: displayName,
		keep:  func(u *User) bool { return displayNameMatches(displayName, u.DisplayName) },
		match: func(u *User) Match { return Match{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName} },
	})
}

// HasWildcard reports whether a display name filter holds * or ?.
func HasWildcard(s string) bool { return strings.ContainsAny(s, "*?") }

// displayNameMatches narrows a server answer: with wildcards the server's
// match stands; without, the display name must be equal ignoring case.
func displayNameMatches(filter, displayName string) bool {
	return HasWildcard(filter) || strings.EqualFold(filter, displayName)
}

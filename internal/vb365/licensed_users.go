package vb365

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strings"
	"time"
)

// LicensedUser is RESTLicensedUser: a user that holds a VB365 licence, and
// whether a backup job has processed it. It is what v6 and v7 can say
// about a user's protection (they have no /ProtectedUsers). ID is the
// licensed user's own ID; whether it equals the /Users ID is not
// documented, so users are matched by Name, their mail address.
type LicensedUser struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	IsBackedUp     bool   `json:"isBackedUp"`
	LicenseState   string `json:"licenseState"`
	OrganizationID string `json:"organizationId"`
	// LastBackupDate is lastBackupDate as sent (date-time text), "" when
	// null; LastBackup parses it.
	LastBackupDate         string `json:"lastBackupDate"`
	BackedUpOrganizationID string `json:"backedUpOrganizationId"`
	OrganizationName       string `json:"organizationName"`
}

// LastBackup parses LastBackupDate; ok is false when it is empty or not a
// date-time (a time without an offset is read as UTC).
func (u *LicensedUser) LastBackup() (t time.Time, ok bool) {
	if u.LastBackupDate == "" {
		return time.Time{}, false
	}
	return parseServerTime(u.LastBackupDate)
}

// parseServerTime reads a date-time as the server writes it (apiTime's
// layouts: RFC 3339, or without an offset, read as UTC).
func parseServerTime(s string) (time.Time, bool) {
	for _, layout := range apiTimeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			return v.UTC(), true
		}
	}
	return time.Time{}, false
}

// LicensedUserFilter narrows ListLicensedUsers on the server.
type LicensedUserFilter struct {
	OrganizationID string
	// Name is sent as the name filter; how the server matches it is not
	// documented, so FindLicensedUser narrows the answer to equal names.
	Name string
	// PageSize overrides maxPageSize (tests).
	PageSize int
}

func (f LicensedUserFilter) query() url.Values {
	q := url.Values{}
	if f.OrganizationID != "" {
		q.Set("organizationId", f.OrganizationID)
	}
	if f.Name != "" {
		q.Set("name", f.Name)
	}
	return q
}

const licensedUsersPath = "LicensedUsers"

// LicensedUserPages yields the licensed users a page at a time; an error
// ends it. v6, v7 and v8 have /LicensedUsers.
func (c *Client) LicensedUserPages(ctx context.Context, f LicensedUserFilter) iter.Seq2[[]LicensedUser, error] {
	return filteredPages[LicensedUser](ctx, c, licensedUsersPath, f.query(), f.OrganizationID, f.PageSize)
}

// ListLicensedUsers returns the licensed users matching the filter. As for
// the protected-data lists, an empty answer for an organization costs one
// GET /Organizations/{id}, so an unknown organization is a *NotFoundError.
func (c *Client) ListLicensedUsers(ctx context.Context, f LicensedUserFilter) ([]LicensedUser, error) {
	out, err := allPages(c.LicensedUserPages(ctx, f))
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []LicensedUser{}
	}
	return out, nil
}

// FindLicensedUser returns the licensed user of an organization whose name
// equals name ignoring case (the server filters by name: one request for
// most organizations). None is a *NotFoundError of KindLicensedUser: the
// user holds no licence, so no backup job has processed it.
func (c *Client) FindLicensedUser(ctx context.Context, orgID, name string) (*LicensedUser, error) {
	return findOne(ctx, c, licensedUsersPath, LicensedUserFilter{OrganizationID: orgID, Name: name}.query(), orgID, lookup[LicensedUser]{
		kind: KindLicensedUser, key: "name", value: name,
		keep:  func(u *LicensedUser) bool { return strings.EqualFold(u.Name, name) },
		match: func(u *LicensedUser) Match { return Match{ID: u.ID, Name: u.Name} },
	})
}

// UserProtection is what the API version can say about one user's backup:
// on v8 its protected-data record, on v6 and v7 its licence.
type UserProtection struct {
	// Protected is the user in /ProtectedUsers (v8); nil when it is not
	// there, and before v8.
	Protected *ProtectedUser
	// Licensed is the user in /LicensedUsers (v6, v7); nil when it holds
	// no licence, and on v8.
	Licensed *LicensedUser
}

// IsBackedUp reports whether the user's data is in a backup: listed in the
// protected data (v8), or processed by a backup job (v6, v7).
func (p *UserProtection) IsBackedUp() bool {
	return p.Protected != nil || p.Licensed != nil && p.Licensed.IsBackedUp
}

// UserProtectionOf looks a user up where the version keeps its backup: on
// v8 in /ProtectedUsers, by the key's MSID or else its e-mail address
// (FindProtectedUser); on v6 and v7 in /LicensedUsers by the e-mail address
// (FindLicensedUser), which knows no MSID: a key with an MSID alone is
// refused there (ErrUnsupported naming api_version). A user found in
// neither is an answer with both nil, not an error; two matches are an
// *AmbiguousError.
func (c *Client) UserProtectionOf(ctx context.Context, orgID string, k ProtectedKey) (*UserProtection, error) {
	var nf *NotFoundError
	if c.spec.protectedData {
		u, err := c.FindProtectedUser(ctx, orgID, ProtectedKey{MSID: k.MSID, Email: k.Email})
		switch {
		case errors.As(err, &nf) && nf.Kind == KindProtectedUser:
			return &UserProtection{}, nil
		case err != nil:
			return nil, err
		}
		return &UserProtection{Protected: u}, nil
	}
	if k.Email == "" {
		return nil, fmt.Errorf("%w: /LicensedUsers, what REST API %s says of a user's backup, has no msid: look the user up by its ID or mail address, or set api_version = \"v8\"", ErrUnsupported, c.version)
	}
	u, err := c.FindLicensedUser(ctx, orgID, k.Email)
	switch {
	case errors.As(err, &nf) && nf.Kind == KindLicensedUser:
		return &UserProtection{}, nil
	case err != nil:
		return nil, err
	}
	return &UserProtection{Licensed: u}, nil
}

package vb365

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strings"
)

// Protected data (v8): the users, groups, sites and teams whose data is in
// a backup. /ProtectedUsers, /ProtectedGroups, /ProtectedSites and
// /ProtectedTeams are read-only, paged without totalCount, and filtered by
// query parameters (organizationId, repositoryId); no path below
// /Organizations/{id} has them. v6 and v7 have none of them: for users,
// /LicensedUsers says whether a user was backed up (licensed_users.go).
//
// How a protected object is joined to the directory (/Users, /Groups,
// /Sites, /Teams): by msid, the Microsoft Entra object ID both carry in v8.
// Whether a protected user's id equals its /Users id is not documented
// (the fake's Quirks.ProtectedIDsAreUserIDs covers both answers), so the
// client never relies on it. Where msid is missing on one side, a user or
// group is matched by a protected mailbox's address equal to the
// principal's name (its mail address), a site by its URL.

// ProtectedMailbox is RESTProtectedMailbox.
type ProtectedMailbox struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Email       string `json:"email"`
	IsArchive   bool   `json:"isArchive"`
}

// ProtectedOneDrive is RESTProtectedOneDrive.
type ProtectedOneDrive struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	URL         string `json:"url"`
}

// ProtectedSite is RESTProtectedSite.
type ProtectedSite struct {
	ID                     string `json:"id"`
	MSID                   string `json:"msid"`
	DisplayName            string `json:"displayName"`
	URL                    string `json:"url"`
	OrganizationID         string `json:"organizationId"`
	BackedUpOrganizationID string `json:"backedUpOrganizationId"`
}

// ProtectedUser is RESTProtectedUser. AccountType is the RBAC enum (User,
// SharedMailbox, PublicMailbox), not the /Users one.
type ProtectedUser struct {
	ID                     string              `json:"id"`
	MSID                   string              `json:"msid"`
	DisplayName            string              `json:"displayName"`
	AccountType            string              `json:"accountType"`
	OrganizationID         string              `json:"organizationId"`
	BackedUpOrganizationID string              `json:"backedUpOrganizationId"`
	Mailboxes              []ProtectedMailbox  `json:"mailboxes"`
	OneDrives              []ProtectedOneDrive `json:"oneDrives"`
	Sites                  []ProtectedSite     `json:"sites"`
}

// ProtectedGroup is RESTProtectedGroup.
type ProtectedGroup struct {
	ID                     string             `json:"id"`
	MSID                   string             `json:"msid"`
	DisplayName            string             `json:"displayName"`
	OrganizationID         string             `json:"organizationId"`
	BackedUpOrganizationID string             `json:"backedUpOrganizationId"`
	Mailboxes              []ProtectedMailbox `json:"mailboxes"`
	Sites                  []ProtectedSite    `json:"sites"`
}

// ProtectedTeam is RESTProtectedTeam.
type ProtectedTeam struct {
	ID                     string `json:"id"`
	MSID                   string `json:"msid"`
	DisplayName            string `json:"displayName"`
	Description            string `json:"description"`
	OrganizationID         string `json:"organizationId"`
	BackedUpOrganizationID string `json:"backedUpOrganizationId"`
}

// HasMailbox and HasArchive say which of a user's or group's mailboxes
// are in the backup.
func (u *ProtectedUser) HasMailbox() bool { return hasMailbox(u.Mailboxes, false) }

// HasArchive reports whether an archive mailbox of the user is protected.
func (u *ProtectedUser) HasArchive() bool { return hasMailbox(u.Mailboxes, true) }

func hasMailbox(ms []ProtectedMailbox, archive bool) bool {
	for _, m := range ms {
		if m.IsArchive == archive {
			return true
		}
	}
	return false
}

// ProtectedFilter narrows a protected-data list on the server. Empty
// fields are not sent.
type ProtectedFilter struct {
	OrganizationID string
	RepositoryID   string
	// PageSize overrides maxPageSize (tests).
	PageSize int
}

func (f ProtectedFilter) query() url.Values {
	q := url.Values{}
	if f.OrganizationID != "" {
		q.Set("organizationId", f.OrganizationID)
	}
	if f.RepositoryID != "" {
		q.Set("repositoryId", f.RepositoryID)
	}
	return q
}

// Paths of the protected-data lists.
const (
	protectedUsersPath  = "ProtectedUsers"
	protectedGroupsPath = "ProtectedGroups"
	protectedSitesPath  = "ProtectedSites"
	protectedTeamsPath  = "ProtectedTeams"
)

// errNoProtectedData refuses a protected-data read on v6 and v7.
func (c *Client) errNoProtectedData(path string) error {
	return fmt.Errorf("%w: /%s exists from REST API v8; the client speaks %s (api_version)", ErrUnsupported, path, c.version)
}

// protectedPages lists one protected-data collection a page at a time
// (filteredPages), on v8 only.
func protectedPages[T any](ctx context.Context, c *Client, path string, f ProtectedFilter) iter.Seq2[[]T, error] {
	if !c.spec.protectedData {
		return func(yield func([]T, error) bool) { yield(nil, c.errNoProtectedData(path)) }
	}
	return filteredPages[T](ctx, c, path, f.query(), f.OrganizationID, f.PageSize)
}

// filteredPages lists a top-level collection that an organizationId query
// parameter filters (protected data, licensed users), as listPages does.
// The server's answer for an unknown organizationId is not documented (an
// empty page, or 404): an empty listing with an organization filter costs
// one GET /Organizations/{id}, so an unknown organization is a
// *NotFoundError of KindOrganization and not "nothing is protected"; a 404
// of the list itself is read the same way.
func filteredPages[T any](ctx context.Context, c *Client, path string, q url.Values, orgID string, pageSize int) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		n := 0
		for p, err := range listPages[T](ctx, c, path, q, pageSize) {
			if err != nil {
				if orgID != "" {
					err = listError(err, orgID)
				}
				yield(nil, err)
				return
			}
			n += len(p)
			if !yield(p, nil) {
				return
			}
		}
		if n == 0 && orgID != "" {
			if _, err := c.GetOrganization(ctx, orgID); err != nil {
				yield(nil, listError(err, orgID))
			}
		}
	}
}

func listProtected[T any](ctx context.Context, c *Client, path string, f ProtectedFilter) ([]T, error) {
	out, err := allPages(protectedPages[T](ctx, c, path, f))
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}

// ProtectedUserPages yields the protected users a page at a time (a caller
// that encodes them as they come holds one page); an error ends it.
func (c *Client) ProtectedUserPages(ctx context.Context, f ProtectedFilter) iter.Seq2[[]ProtectedUser, error] {
	return protectedPages[ProtectedUser](ctx, c, protectedUsersPath, f)
}

// ListProtectedUsers returns the protected users matching the filter
// (v8; ErrUnsupported before).
func (c *Client) ListProtectedUsers(ctx context.Context, f ProtectedFilter) ([]ProtectedUser, error) {
	return listProtected[ProtectedUser](ctx, c, protectedUsersPath, f)
}

// ListProtectedGroups returns the protected groups matching the filter.
func (c *Client) ListProtectedGroups(ctx context.Context, f ProtectedFilter) ([]ProtectedGroup, error) {
	return listProtected[ProtectedGroup](ctx, c, protectedGroupsPath, f)
}

// ListProtectedSites returns the protected sites matching the filter.
func (c *Client) ListProtectedSites(ctx context.Context, f ProtectedFilter) ([]ProtectedSite, error) {
	return listProtected[ProtectedSite](ctx, c, protectedSitesPath, f)
}

// ListProtectedTeams returns the protected teams matching the filter.
func (c *Client) ListProtectedTeams(ctx context.Context, f ProtectedFilter) ([]ProtectedTeam, error) {
	return listProtected[ProtectedTeam](ctx, c, protectedTeamsPath, f)
}

// ProtectedKey names what a protected-data lookup searches by: MSID (the
// Entra object ID, unique), Email (a protected mailbox's address, ignoring
// case) or URL (a site, ignoring case and a trailing slash). Any that are
// set are tried in one reading of the list: an item with the MSID wins at
// once; otherwise the single item that matches Email or URL.
type ProtectedKey struct {
	MSID  string
	Email string
	URL   string
}

func (k ProtectedKey) describe() (key, value string) {
	switch {
	case k.MSID != "":
		return "msid", k.MSID
	case k.Email != "":
		return "email", k.Email
	}
	return "url", k.URL
}

// findProtected reads a protected-data list of an organization until it
// knows the answer: the first item whose MSID is the key's (they are
// unique: the reading stops there), else the one item that matches the
// key's e-mail or URL, which takes the whole list. Two such items are an
// *AmbiguousError, none a *NotFoundError of kind.
func findProtected[T any](ctx context.Context, c *Client, path string, kind Kind, orgID string, k ProtectedKey, msid func(*T) string, matches func(*T) bool, describe func(*T) Match) (*T, error) {
	var (
		byMSID *T
		others []T
	)
pages:
	for p, err := range protectedPages[T](ctx, c, path, ProtectedFilter{OrganizationID: orgID}) {
		if err != nil {
			return nil, err
		}
		for i := range p {
			switch {
			case k.MSID != "" && strings.EqualFold(msid(&p[i]), k.MSID):
				byMSID = &p[i]
				break pages
			case len(others) < 2 && matches(&p[i]):
				others = append(others, p[i])
			}
		}
	}
	if byMSID != nil {
		return byMSID, nil
	}
	key, value := k.describe()
	switch len(others) {
	case 0:
		return nil, &NotFoundError{Kind: kind, Key: key, Value: value, Scope: "in organization " + orgID}
	case 1:
		return &others[0], nil
	}
	amb := &AmbiguousError{Kind: kind, Key: key, Value: value, OrganizationID: orgID}
	for i := range others {
		amb.Matches = append(amb.Matches, describe(&others[i]))
	}
	return nil, amb
}

func mailboxWith(ms []ProtectedMailbox, email string) bool {
	for _, m := range ms {
		if email != "" && strings.EqualFold(m.Email, email) {
			return true
		}
	}
	return false
}

// FindProtectedUser returns the protected user of an organization with the
// key's MSID, or else the one with a protected mailbox at the key's e-mail
// address. It reads the organization's protected users until it knows (at
// worst every page: an organization of 100,000 protected users costs ten
// requests).
func (c *Client) FindProtectedUser(ctx context.Context, orgID string, k ProtectedKey) (*ProtectedUser, error) {
	return findProtected(ctx, c, protectedUsersPath, KindProtectedUser, orgID, k,
		func(u *ProtectedUser) string { return u.MSID },
		func(u *ProtectedUser) bool { return mailboxWith(u.Mailboxes, k.Email) },
		func(u *ProtectedUser) Match {
			return Match{ID: u.ID, Name: firstEmail(u.Mailboxes), DisplayName: u.DisplayName}
		})
}

// FindProtectedGroup is FindProtectedUser for groups.
func (c *Client) FindProtectedGroup(ctx context.Context, orgID string, k ProtectedKey) (*ProtectedGroup, error) {
	return findProtected(ctx, c, protectedGroupsPath, KindProtectedGroup, orgID, k,
		func(g *ProtectedGroup) string { return g.MSID },
		func(g *ProtectedGroup) bool { return mailboxWith(g.Mailboxes, k.Email) },
		func(g *ProtectedGroup) Match {
			return Match{ID: g.ID, Name: firstEmail(g.Mailboxes), DisplayName: g.DisplayName}
		})
}

// FindProtectedSite returns the protected site with the key's MSID, or else
// the one at the key's URL (compared ignoring case and a trailing slash).
func (c *Client) FindProtectedSite(ctx context.Context, orgID string, k ProtectedKey) (*ProtectedSite, error) {
	return findProtected(ctx, c, protectedSitesPath, KindProtectedSite, orgID, k,
		func(s *ProtectedSite) string { return s.MSID },
		func(s *ProtectedSite) bool { return k.URL != "" && SameSiteURL(s.URL, k.URL) },
		func(s *ProtectedSite) Match { return Match{ID: s.ID, Name: s.URL, DisplayName: s.DisplayName} })
}

// FindProtectedTeam returns the protected team whose msid or id is the
// key's MSID (a team's /Teams id is its Entra object ID).
func (c *Client) FindProtectedTeam(ctx context.Context, orgID string, k ProtectedKey) (*ProtectedTeam, error) {
	return findProtected(ctx, c, protectedTeamsPath, KindProtectedTeam, orgID, ProtectedKey{MSID: k.MSID},
		func(t *ProtectedTeam) string {
			if strings.EqualFold(t.ID, k.MSID) {
				return t.ID
			}
			return t.MSID
		},
		func(*ProtectedTeam) bool { return false },
		func(t *ProtectedTeam) Match { return Match{ID: t.ID, DisplayName: t.DisplayName} })
}

func firstEmail(ms []ProtectedMailbox) string {
	for _, m := range ms {
		if !m.IsArchive {
			return m.Email
		}
	}
	if len(ms) > 0 {
		return ms[0].Email
	}
	return ""
}

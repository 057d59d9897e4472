package vb365test

import (
	"net/http"
	"strings"
	"time"
)

// Protected data (v8: GET /ProtectedUsers, /ProtectedGroups,
// /ProtectedSites, /ProtectedTeams, paged without totalCount, filtered by
// organizationId and repositoryId) and licensed users (v6-v8: GET
// /LicensedUsers, paged, filtered by organizationId and name).
//
// The documents leave open whether a protected user's id is its /Users
// id: by default it is an ID of its own, and Quirks.ProtectedIDsAreUserIDs
// makes it the /Users id. An organizationId no organization has answers an
// empty page (a filter that matches nothing). The name filter of
// /LicensedUsers matches part of the name, ignoring case (its matching is
// not documented).

// ProtectedMailbox is a backed-up mailbox of a protected user or group.
type ProtectedMailbox struct {
	ID, DisplayName, Email string
	IsArchive              bool
}

// ProtectedOneDrive is a backed-up OneDrive of a protected user.
type ProtectedOneDrive struct {
	ID, DisplayName, URL string
}

// ProtectedSite is a backed-up SharePoint site.
type ProtectedSite struct {
	ID, MSID, DisplayName, URL, OrganizationID, RepositoryID string
}

// ProtectedUser is a user whose data is in a backup. UserID is the /Users
// ID it stands for; ID is its own, sent instead of UserID unless
// Quirks.ProtectedIDsAreUserIDs.
type ProtectedUser struct {
	ID, UserID, MSID, DisplayName, AccountType, OrganizationID, RepositoryID string
	Mailboxes                                                                []ProtectedMailbox
	OneDrives                                                                []ProtectedOneDrive
	Sites                                                                    []ProtectedSite
}

// ProtectedGroup is a group whose data is in a backup.
type ProtectedGroup struct {
	ID, MSID, DisplayName, OrganizationID, RepositoryID string
	Mailboxes                                           []ProtectedMailbox
	Sites                                               []ProtectedSite
}

// ProtectedTeam is a team whose data is in a backup.
type ProtectedTeam struct {
	ID, MSID, DisplayName, Description, OrganizationID, RepositoryID string
}

// LicensedUser is a user holding a VB365 licence (RESTLicensedUser).
type LicensedUser struct {
	ID, Name, LicenseState, OrganizationID string
	IsBackedUp                             bool
	LastBackup                             time.Time
}

func protectedDataRoutes(r *router) {
	v8 := onlyVersions("v8")
	r.handle(http.MethodGet, "/ProtectedUsers", func(c *call) {
		c.listProtected("/ProtectedUsers", func(f protectedFilter) []any {
			out := []any{}
			for _, u := range c.s.access.protectedUsers {
				if f.matches(u.OrganizationID, u.RepositoryID) {
					out = append(out, c.protectedUserJSON(u))
				}
			}
			return out
		})
	}, v8)
	r.handle(http.MethodGet, "/ProtectedGroups", func(c *call) {
		c.listProtected("/ProtectedGroups", func(f protectedFilter) []any {
			out := []any{}
			for _, g := range c.s.access.protectedGroups {
				if f.matches(g.OrganizationID, g.RepositoryID) {
					out = append(out, map[string]any{
						"id": g.ID, "msid": nullable(g.MSID), "displayName": g.DisplayName,
						"organizationId": nullable(g.OrganizationID), "backedUpOrganizationId": g.OrganizationID,
						"mailboxes": mailboxesJSON(g.Mailboxes), "sites": c.protectedSitesJSON(g.Sites), "eTag": 1,
					})
				}
			}
			return out
		})
	}, v8)
	r.handle(http.MethodGet, "/ProtectedSites", func(c *call) {
		c.listProtected("/ProtectedSites", func(f protectedFilter) []any {
			var sites []ProtectedSite
			for _, st := range c.s.access.protectedSites {
				if f.matches(st.OrganizationID, st.RepositoryID) {
					sites = append(sites, *st)
				}
			}
			return c.protectedSitesJSON(sites)
		})
	}, v8)
	r.handle(http.MethodGet, "/ProtectedTeams", func(c *call) {
		c.listProtected("/ProtectedTeams", func(f protectedFilter) []any {
			out := []any{}
			for _, t := range c.s.access.protectedTeams {
				if f.matches(t.OrganizationID, t.RepositoryID) {
					out = append(out, map[string]any{
						"id": t.ID, "msid": t.MSID, "displayName": t.DisplayName, "description": c.text(t.Description),
						"organizationId": nullable(t.OrganizationID), "backedUpOrganizationId": t.OrganizationID, "eTag": 1,
					})
				}
			}
			return out
		})
	}, v8)
	r.handle(http.MethodGet, "/LicensedUsers", func(c *call) {
		c.s.mu.Lock()
		defer c.s.mu.Unlock()
		org, name := c.query("organizationId"), c.query("name")
		c.paginate("/LicensedUsers", func() []any {
			out := []any{}
			for _, u := range c.s.access.licensed {
				if (org == "" || strings.EqualFold(org, u.OrganizationID)) && strings.Contains(strings.ToLower(u.Name), strings.ToLower(name)) {
					out = append(out, c.licensedUserJSON(u))
				}
			}
			return out
		})
	})
	// POST /_fake/protected-users/remove?organizationId=...&userName=...
	// takes a user's data out of the backup (its licence stays, not backed
	// up), as removing it from every backup job and its retention would.
	r.handleAdmin(http.MethodPost, "/_fake/protected-users/remove", func(c *call) {
		org, name := c.query("organizationId"), c.query("userName")
		c.s.mu.Lock()
		var id string
		if o := c.s.org(org); o != nil {
			if u := o.userNamed(name); u != nil {
				id = u.ID
			}
		}
		c.s.mu.Unlock()
		if id == "" || !c.s.UnprotectUser(org, id) {
			c.writeJSON(http.StatusNotFound, map[string]any{"message": "no such organization, user or protected user"})
			return
		}
		c.noContent(http.StatusNoContent)
	})
}

// protectedFilter is the organizationId and repositoryId of a request.
type protectedFilter struct{ org, repo string }

func (f protectedFilter) matches(org, repo string) bool {
	return (f.org == "" || strings.EqualFold(f.org, org)) && (f.repo == "" || strings.EqualFold(f.repo, repo))
}

func (c *call) listProtected(path string, all func(protectedFilter) []any) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	f := protectedFilter{org: c.query("organizationId"), repo: c.query("repositoryId")}
	c.paginate(path, func() []any { return all(f) })
}

func mailboxesJSON(ms []ProtectedMailbox) []any {
	out := []any{}
	for _, m := range ms {
		out = append(out, map[string]any{"id": m.ID, "displayName": m.DisplayName, "email": m.Email, "isArchive": m.IsArchive})
	}
	return out
}

func (c *call) protectedSitesJSON(sites []ProtectedSite) []any {
	out := []any{}
	for _, st := range sites {
		out = append(out, map[string]any{
			"id": st.ID, "msid": c.text(st.MSID), "displayName": st.DisplayName, "url": st.URL,
			"organizationId": nullable(st.OrganizationID), "backedUpOrganizationId": st.OrganizationID, "eTag": 1,
		})
	}
	return out
}

func (c *call) protectedUserJSON(u *ProtectedUser) map[string]any {
	id := u.ID
	if c.s.opts.Quirks.ProtectedIDsAreUserIDs {
		id = u.UserID
	}
	ods := []any{}
	for _, od := range u.OneDrives {
		ods = append(ods, map[string]any{"id": od.ID, "displayName": od.DisplayName, "url": od.URL})
	}
	return map[string]any{
		"id": id, "msid": nullable(u.MSID), "displayName": u.DisplayName, "accountType": u.AccountType,
		"organizationId": nullable(u.OrganizationID), "backedUpOrganizationId": u.OrganizationID,
		"mailboxes": mailboxesJSON(u.Mailboxes), "oneDrives": ods, "sites": c.protectedSitesJSON(u.Sites), "eTag": 1,
	}
}

func (c *call) licensedUserJSON(u *LicensedUser) map[string]any {
	var last any
	if !u.LastBackup.IsZero() {
		last = u.LastBackup.UTC().Format(time.RFC3339)
	}
	org := c.s.org(u.OrganizationID)
	orgName := ""
	if org != nil {
		orgName = org.Name
	}
	return map[string]any{
		"id": u.ID, "name": u.Name, "isBackedUp": u.IsBackedUp, "lastBackupDate": last, "licenseState": u.LicenseState,
		"organizationId": nullable(u.OrganizationID), "backedUpOrganizationId": u.OrganizationID, "organizationName": orgName,
		"_links": map[string]any{"self": c.link("/LicensedUsers/" + u.ID)},
	}
}

// ProtectOptions say what of a user is backed up besides its mailbox.
type ProtectOptions struct {
	Archive, OneDrive bool
}

// protectedAccountTypes maps the /Users kinds to the RBAC enum the
// protected-data lists use.
var protectedAccountTypes = map[string]string{"User": "User", "Shared": "SharedMailbox", "Public": "PublicMailbox"}

// ProtectUser puts a user's mailbox (and, as asked, its archive and
// OneDrive) into the repository's backup: a protected user (v8) and a
// licensed user that is backed up (every version). Shared and public
// mailboxes hold no licence.
func (s *Server) ProtectUser(orgID, userID, repositoryID string, opts ProtectOptions) *ProtectedUser {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg("ProtectUser", orgID)
	u := o.user(userID)
	if u == nil {
		panic("vb365test: ProtectUser: unknown user " + userID)
	}
	pu := &ProtectedUser{ID: GUID("protected-user", s.nextID()), UserID: u.ID, MSID: u.MSID, DisplayName: u.DisplayName,
		AccountType: protectedAccountTypes[u.Type], OrganizationID: o.ID, RepositoryID: repositoryID,
		Mailboxes: []ProtectedMailbox{{ID: GUID("mailbox", s.nextID()), DisplayName: u.DisplayName, Email: u.Name}}}
	if opts.Archive {
		pu.Mailboxes = append(pu.Mailboxes, ProtectedMailbox{ID: GUID("mailbox", s.nextID()), DisplayName: "In-Place Archive - " + u.DisplayName, Email: u.Name, IsArchive: true})
	}
	if opts.OneDrive {
		local := strings.NewReplacer("@", "_", ".", "_").Replace(strings.ToLower(u.Name))
		pu.OneDrives = []ProtectedOneDrive{{ID: GUID("onedrive", s.nextID()), DisplayName: "OneDrive - " + u.DisplayName,
			URL: "https://" + strings.SplitN(o.Name, ".", 2)[0] + "-my.sharepoint.com/personal/" + local}}
	}
	s.access.protectedUsers = append(s.access.protectedUsers, pu)
	if u.Type == "" || u.Type == "User" {
		var lu *LicensedUser
		for _, l := range s.access.licensed {
			if strings.EqualFold(l.OrganizationID, o.ID) && strings.EqualFold(l.Name, u.Name) {
				lu = l
			}
		}
		if lu == nil {
			lu = &LicensedUser{ID: GUID("licensed-user", s.nextID()), Name: u.Name, LicenseState: "Licensed", OrganizationID: o.ID}
			s.access.licensed = append(s.access.licensed, lu)
		}
		lu.IsBackedUp, lu.LastBackup = true, s.now().UTC().Truncate(time.Second).Add(-3*time.Hour)
	}
	cp := *pu
	return &cp
}

// UnprotectUser takes a user out of the protected data; its licence stays,
// not backed up. False when the user was not protected.
func (s *Server) UnprotectUser(orgID, userID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	found := false
	kept := s.access.protectedUsers[:0:0]
	var name string
	for _, pu := range s.access.protectedUsers {
		if strings.EqualFold(pu.OrganizationID, orgID) && strings.EqualFold(pu.UserID, userID) {
			found = true
			if len(pu.Mailboxes) > 0 {
				name = pu.Mailboxes[0].Email
			}
			continue
		}
		kept = append(kept, pu)
	}
	s.access.protectedUsers = kept
	for _, l := range s.access.licensed {
		if strings.EqualFold(l.OrganizationID, orgID) && strings.EqualFold(l.Name, name) {
			l.IsBackedUp = false
		}
	}
	return found
}

// ProtectGroup puts a group's mailbox and site into the repository's
// backup.
func (s *Server) ProtectGroup(orgID, groupID, repositoryID string) *ProtectedGroup {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg("ProtectGroup", orgID)
	g := o.group(groupID)
	if g == nil {
		panic("vb365test: ProtectGroup: unknown group " + groupID)
	}
	pg := &ProtectedGroup{ID: GUID("protected-group", s.nextID()), MSID: g.MSID, DisplayName: g.DisplayName, OrganizationID: o.ID, RepositoryID: repositoryID}
	if g.Name != "" {
		pg.Mailboxes = []ProtectedMailbox{{ID: GUID("mailbox", s.nextID()), DisplayName: g.DisplayName, Email: g.Name}}
	}
	if g.Site != "" {
		pg.Sites = []ProtectedSite{{ID: GUID("site", s.nextID()) + GUID("web", s.nextID()), MSID: GUID("site-msid", s.nextID()),
			DisplayName: g.DisplayName, URL: g.Site, OrganizationID: o.ID, RepositoryID: repositoryID}}
	}
	s.access.protectedGroups = append(s.access.protectedGroups, pg)
	cp := *pg
	return &cp
}

// ProtectSite puts a site into the repository's backup.
func (s *Server) ProtectSite(orgID, siteID, repositoryID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg("ProtectSite", orgID)
	for _, st := range o.Sites {
		if strings.EqualFold(st.ID, siteID) {
			s.access.protectedSites = append(s.access.protectedSites, &ProtectedSite{ID: st.ID, MSID: GUID("site-msid", s.nextID()),
				DisplayName: st.Title, URL: st.URL, OrganizationID: o.ID, RepositoryID: repositoryID})
			return
		}
	}
	panic("vb365test: ProtectSite: unknown site " + siteID)
}

// ProtectTeam puts a team into the repository's backup.
func (s *Server) ProtectTeam(orgID, teamID, repositoryID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg("ProtectTeam", orgID)
	for _, t := range o.Teams {
		if strings.EqualFold(t.ID, teamID) {
			s.access.protectedTeams = append(s.access.protectedTeams, &ProtectedTeam{ID: t.ID, MSID: t.ID,
				DisplayName: t.DisplayName, Description: t.Description, OrganizationID: o.ID, RepositoryID: repositoryID})
			return
		}
	}
	panic("vb365test: ProtectTeam: unknown team " + teamID)
}

// ProtectedUsers returns copies of the protected users.
func (s *Server) ProtectedUsers() []ProtectedUser {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ProtectedUser, len(s.access.protectedUsers))
	for i, pu := range s.access.protectedUsers {
		out[i] = *pu
	}
	return out
}

// mustOrg returns an organization or panics naming the seed function who
// asked (a test's mistake). Callers hold s.mu.
func (s *Server) mustOrg(who, orgID string) *Organization {
	o := s.org(orgID)
	if o == nil {
		panic("vb365test: " + who + ": unknown organization " + orgID)
	}
	return o
}

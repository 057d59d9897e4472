package vb365test

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// The data-access areas' state (group memberships, protected data,
// licensed users, the Restore Portal), the server's own answer to "which
// roles cover this principal" (RolesCovering, what a restore request would
// be checked against), and their seed.

// dataAccess is what Server.access holds. Callers hold s.mu.
type dataAccess struct {
	// members are the direct members by membershipKey; gen counts the
	// memberships ever added (Membership.Since).
	members         map[string][]*Membership
	gen             int
	protectedUsers  []*ProtectedUser
	protectedGroups []*ProtectedGroup
	protectedSites  []*ProtectedSite
	protectedTeams  []*ProtectedTeam
	licensed        []*LicensedUser
	portal          RestorePortal
}

// RoleRef names a member of a role to store with AddRole: Kind User,
// Group, Site or Team, and its ID.
type RoleRef struct{ Kind, ID string }

// AddRole stores a restore operator role out of band (as the console or
// PowerShell would make it), its members built from the organization's
// users, groups, sites and teams. It returns a copy.
func (s *Server) AddRole(orgID, name, roleType string, operators, selected, excluded []RoleRef) Role {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.mustOrg("AddRole", orgID)
	ro := &Role{ID: GUID("role", s.nextID()), OrganizationID: o.ID, Name: name, RoleType: roleType, Description: "Created by CONTOSO\\administrator"}
	for _, l := range []struct {
		refs []RoleRef
		dst  *[]*RoleMember
	}{{operators, &ro.Operators}, {selected, &ro.Selected}, {excluded, &ro.Excluded}} {
		for _, r := range l.refs {
			*l.dst = append(*l.dst, s.roleMemberOf(o, r))
		}
	}
	s.roles = append(s.roles, ro)
	s.noteRole(ro)
	return *ro
}

// roleMemberOf builds a role member as the API would store it. Callers
// hold s.mu.
func (s *Server) roleMemberOf(o *Organization, r RoleRef) *RoleMember {
	var obj map[string]any
	switch r.Kind {
	case "User":
		u := o.user(r.ID)
		if u == nil {
			panic("vb365test: unknown user " + r.ID)
		}
		obj = map[string]any{"id": u.ID, "displayName": u.DisplayName, "name": u.Name, "type": protectedAccountTypes[u.Type]}
	case "Group":
		g := o.group(r.ID)
		if g == nil {
			panic("vb365test: unknown group " + r.ID)
		}
		obj = map[string]any{"id": g.ID, "displayName": g.DisplayName, "name": g.Name, "type": g.Type}
	case "Site":
		for _, st := range o.Sites {
			if strings.EqualFold(st.ID, r.ID) {
				obj = map[string]any{"id": st.ID, "url": st.URL, "title": st.Title, "isCloud": st.IsCloud, "isPersonal": st.IsPersonal}
			}
		}
	case "Team":
		for _, t := range o.Teams {
			if strings.EqualFold(t.ID, r.ID) {
				obj = map[string]any{"id": t.ID, "displayName": t.DisplayName, "description": t.Description, "mail": t.Mail}
			}
		}
	}
	if obj == nil {
		panic(fmt.Sprintf("vb365test: unknown %s %s", r.Kind, r.ID))
	}
	id := r.ID
	if s.opts.Quirks.RoleMemberIDsDistinct {
		id = GUID("role-member", s.nextID())
	}
	return &RoleMember{ID: id, Kind: r.Kind, PrincipalID: r.ID, Object: obj, Since: s.access.gen}
}

// groupHolds reports whether a group holds the principal (kind User or
// Group, by ID), directly or through nested groups, counting only
// memberships added at or before generation limit. Callers hold s.mu.
func (s *Server) groupHolds(orgID, groupID, kind, id string, limit int) bool {
	seen := map[string]bool{strings.ToLower(groupID): true}
	queue := []string{groupID}
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		for _, m := range s.access.members[membershipKey(orgID, g)] {
			if m.Since > limit {
				continue
			}
			if m.Kind == kind && strings.EqualFold(m.ID, id) {
				return true
			}
			if m.Kind == "Group" && !seen[strings.ToLower(m.ID)] {
				seen[strings.ToLower(m.ID)] = true
				queue = append(queue, m.ID)
			}
		}
	}
	return false
}

// listHolds reports whether a role list holds the principal, directly or
// through a group. Callers hold s.mu.
func (s *Server) listHolds(orgID string, list []*RoleMember, kind, id string) bool {
	for _, m := range list {
		if strings.EqualFold(m.Kind, kind) && strings.EqualFold(m.PrincipalID, id) {
			return true
		}
		if strings.EqualFold(m.Kind, "Group") {
			limit := math.MaxInt
			if s.opts.Quirks.RoleGroupSelectionFrozen {
				limit = m.Since
			}
			if s.groupHolds(orgID, m.PrincipalID, kind, id, limit) {
				return true
			}
		}
	}
	return false
}

// RolesCovering is this fake server's own answer to whether a restore of
// the principal's data (kind User, Group, Site or Team, by ID) is
// permitted: the names of the roles of the organization that cover it,
// sorted. A role covers what it selects (EntireOrganization: everything),
// directly or through groups and their nested groups, less what it
// excludes the same way. Under Quirks.RoleGroupSelectionFrozen a group in
// a role holds only the members it had when it was added to the role.
func (s *Server) RolesCovering(orgID, kind, id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, ro := range s.roles {
		if !strings.EqualFold(ro.OrganizationID, orgID) {
			continue
		}
		selected := ro.RoleType == "EntireOrganization" || s.listHolds(orgID, ro.Selected, kind, id)
		if selected && !s.listHolds(orgID, ro.Excluded, kind, id) {
			out = append(out, ro.Name)
		}
	}
	sort.Strings(out)
	return out
}

// Seed IDs of the demo's repositories.
const (
	DemoRepositoryID      = "3d0b9a7e-1c2f-4e5d-8a6b-0f1e2d3c4b5a"
	DemoSitesRepositoryID = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"
)

// seedDataAccess gives the demo organization its group memberships (with a
// nested group and a cycle), its protected data and its Restore Portal:
//
//   - Executives (a security group): the chief executive, Adele Vance, and
//     the group Finance;
//   - Finance: Alex Wilber, the shared Finance mailbox, and the group
//     Executives (a cycle: Finance holds Executives holds Finance);
//   - HR: Megan Bowen and Patti Fernandez.
//
// Every user but the shared mailbox is protected (the chief executive with
// archive and OneDrive), in DemoRepositoryID; the groups HR and Finance
// too; the HR and Finance sites in DemoSitesRepositoryID; the team Sales.
func (s *Server) seedDataAccess(org *Organization) {
	user := func(name string) string { return org.userNamed(name).ID }
	group := func(name string) string { return org.groupNamed(name).ID }
	d := "@contoso.onmicrosoft.com"
	for _, m := range []struct{ group, kind, member string }{
		{"Executives", "User", user("ceo" + d)},
		{"Executives", "User", user("AdeleV" + d)},
		{"Finance", "User", user("AlexW" + d)},
		{"Finance", "User", user("shared-finance" + d)},
		{"Finance", "Group", group("Executives")},
		{"Executives", "Group", group("Finance")},
		{"HR", "User", user("MeganB" + d)},
		{"HR", "User", user("PattiF" + d)},
	} {
		s.AddGroupMember(org.ID, group(m.group), m.kind, m.member)
	}
	for _, u := range org.Users {
		switch {
		case u.Type == "Shared":
		case strings.EqualFold(u.Name, "ceo"+d):
			s.ProtectUser(org.ID, u.ID, DemoRepositoryID, ProtectOptions{Archive: true, OneDrive: true})
		default:
			s.ProtectUser(org.ID, u.ID, DemoRepositoryID, ProtectOptions{OneDrive: true})
		}
	}
	s.ProtectGroup(org.ID, group("HR"), DemoRepositoryID)
	s.ProtectGroup(org.ID, group("Finance"), DemoRepositoryID)
	for _, st := range org.Sites {
		if !st.IsPersonal && st.ParentURL == "" {
			s.ProtectSite(org.ID, st.ID, DemoSitesRepositoryID)
		}
	}
	s.ProtectTeam(org.ID, DemoTeamID, DemoRepositoryID)
	s.SetRestorePortal(RestorePortal{Enabled: true, ApplicationID: "5b1f3c2a-9d8e-4f7a-b6c5-d4e3f2a1b0c9",
		AuthorityURI: "https://login.microsoftonline.com/" + org.Name, PortalURI: "https://vb365.contoso.local:4443"})
}

// SeedRestoreAccessRoles gives the demo organization (SeedDemo first)
// three restore operator roles and two audit items, the case the
// restore-access tests and guide read:
//
//   - "Everyone" (EntireOrganization): operator Nestor Wilke; excludes the
//     group Executives (so the chief executive and, through the cycle, the
//     members of Finance);
//   - "Finance data" (SpecificObjects): selects the group Finance (which
//     holds Executives, which holds the chief executive); operator the
//     group HR (Megan Bowen, Patti Fernandez);
//   - "Adele only" (SpecificObjects): selects Adele Vance; operator Alex
//     Wilber;
//   - audit items: Adele Vance, and the group HR.
func (s *Server) SeedRestoreAccessRoles() {
	s.mu.Lock()
	org := s.org(DemoOrganizationID)
	user := func(name string) string { return org.userNamed(name + "@contoso.onmicrosoft.com").ID }
	group := func(name string) string { return org.groupNamed(name).ID }
	adele, alex, nestor := user("AdeleV"), user("AlexW"), user("NestorW")
	execs, finance, hr := group("Executives"), group("Finance"), group("HR")
	s.mu.Unlock()
	s.AddRole(DemoOrganizationID, "Everyone", "EntireOrganization",
		[]RoleRef{{"User", nestor}}, nil, []RoleRef{{"Group", execs}})
	s.AddRole(DemoOrganizationID, "Finance data", "SpecificObjects",
		[]RoleRef{{"Group", hr}}, []RoleRef{{"Group", finance}}, nil)
	s.AddRole(DemoOrganizationID, "Adele only", "SpecificObjects",
		[]RoleRef{{"User", alex}}, []RoleRef{{"User", adele}}, nil)
	s.AddAuditItem(DemoOrganizationID, "User", adele)
	s.AddAuditItem(DemoOrganizationID, "Group", hr)
}

package vb365

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Restore operator roles (RBAC): who may explore and restore whose backed-up
// data. A role belongs to an organization; its three member lists
// (operators, selected items, excluded items) are sub-collections.

// Role types (RESTRbacRole.roleType).
const (
	RoleEntireOrganization = "EntireOrganization"
	RoleSpecificObjects    = "SpecificObjects"
)

// RestoreOperatorRole is RESTRbacRole (no members).
type RestoreOperatorRole struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organizationId"`
	Name           string `json:"name"`
	Description    string `json:"description"`
	RoleType       string `json:"roleType"`
}

// RoleList names a member list of a role.
type RoleList string

const (
	RoleOperators     RoleList = "operators"
	RoleSelectedItems RoleList = "selectedItems"
	RoleExcludedItems RoleList = "excludedItems"
)

// Member kinds (RESTRbacItemType): operators are users or groups; items are
// users, groups, sites and, from v7, teams.
const (
	MemberUser  = "User"
	MemberGroup = "Group"
	MemberSite  = "Site"
	MemberTeam  = "Team"
)

// RoleMember is one element of a member list. ID is the member's own ID
// (what DELETE ?ids= takes); PrincipalID is the nested object's ID, which
// may or may not be the same.
type RoleMember struct {
	ID          string
	Kind        string // MemberUser, MemberGroup, MemberSite, MemberTeam
	PrincipalID string
	Name        string // user or group mail, site URL, team mail
}

// RoleEntry is a member to add: exactly one of the four.
type RoleEntry struct {
	User  *User
	Group *Group
	Site  *Site
	Team  *Team
}

// Kind and ID name the entry.
func (e RoleEntry) Kind() (kind, id string) {
	switch {
	case e.User != nil:
		return MemberUser, e.User.ID
	case e.Group != nil:
		return MemberGroup, e.Group.ID
	case e.Site != nil:
		return MemberSite, e.Site.ID
	case e.Team != nil:
		return MemberTeam, e.Team.ID
	}
	return "", ""
}

type rbacUserWire struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Name        string `json:"name"`
	Type        string `json:"type"`
}

type rbacSiteWire struct {
	ID         string `json:"id"`
	URL        string `json:"url"`
	Title      string `json:"title"`
	ParentURL  string `json:"parentUrl,omitempty"`
	IsCloud    bool   `json:"isCloud"`
	IsPersonal bool   `json:"isPersonal"`
}

type rbacTeamWire struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Description string `json:"description"`
	Mail        string `json:"mail"`
}

type rbacMemberWire struct {
	ID    string        `json:"id,omitempty"`
	Type  string        `json:"type"`
	User  *rbacUserWire `json:"user,omitempty"`
	Group *rbacUserWire `json:"group,omitempty"`
	Site  *rbacSiteWire `json:"site,omitempty"`
	Team  *rbacTeamWire `json:"team,omitempty"`
}

// rbacUserTypes maps the /Users mailbox kinds to the RBAC enum.
var rbacUserTypes = map[string]string{"user": "User", "shared": "SharedMailbox", "public": "PublicMailbox"}

func (e RoleEntry) wire() rbacMemberWire {
	switch {
	case e.User != nil:
		t := rbacUserTypes[strings.ToLower(e.User.Type)]
		if t == "" {
			t = "User"
		}
		return rbacMemberWire{Type: MemberUser, User: &rbacUserWire{ID: e.User.ID, DisplayName: e.User.DisplayName, Name: e.User.Name, Type: t}}
	case e.Group != nil:
		t := e.Group.Type
		if t == "" {
			t = "Unknown"
		}
		return rbacMemberWire{Type: MemberGroup, Group: &rbacUserWire{ID: e.Group.ID, DisplayName: e.Group.DisplayName, Name: e.Group.Name, Type: t}}
	case e.Site != nil:
		s := e.Site
		return rbacMemberWire{Type: MemberSite, Site: &rbacSiteWire{ID: s.ID, URL: s.URL, Title: s.Title, ParentURL: s.ParentURL, IsCloud: s.IsCloud, IsPersonal: s.IsPersonal}}
	default:
		t := e.Team
		return rbacMemberWire{Type: MemberTeam, Team: &rbacTeamWire{ID: t.ID, DisplayName: t.DisplayName, Description: t.Description, Mail: t.Mail}}
	}
}

func (w rbacMemberWire) member() RoleMember {
	m := RoleMember{ID: w.ID, Kind: w.Type}
	switch {
	case w.User != nil && (w.Group == nil || strings.EqualFold(w.Type, MemberUser)):
		m.Kind, m.PrincipalID, m.Name = MemberUser, w.User.ID, w.User.Name
	case w.Group != nil:
		m.Kind, m.PrincipalID, m.Name = MemberGroup, w.Group.ID, w.Group.Name
	case w.Site != nil:
		m.Kind, m.PrincipalID, m.Name = MemberSite, w.Site.ID, w.Site.URL
	case w.Team != nil:
		m.Kind, m.PrincipalID, m.Name = MemberTeam, w.Team.ID, w.Team.Mail
	}
	return m
}

// RoleCreate is RESTRbacRoleCreateModel for a new role.
type RoleCreate struct {
	Name, Description, RoleType   string
	Operators, Selected, Excluded []RoleEntry
}

type roleCreateWire struct {
	Name          string           `json:"name"`
	Description   string           `json:"description"`
	RoleType      string           `json:"roleType"`
	Operators     []rbacMemberWire `json:"operators"`
	SelectedItems []rbacMemberWire `json:"selectedItems"`
	ExcludedItems []rbacMemberWire `json:"excludedItems"`
}

func wires(entries []RoleEntry) []rbacMemberWire {
	out := make([]rbacMemberWire, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.wire())
	}
	return out
}

func (c *Client) checkTeams(lists ...[]RoleEntry) error {
	if c.spec.rbacTeams {
		return nil
	}
	for _, l := range lists {
		for _, e := range l {
			if e.Team != nil {
				return fmt.Errorf("%w: teams in restore operator roles need REST API v7 or later, the client speaks %s", ErrUnsupported, c.version)
			}
		}
	}
	return nil
}

// ListRestoreOperatorRoles lists the roles of one organization, or of all
// when orgID is "". An organization's list is shared between concurrent
// callers of this client as the audit list is (listCache): N roles read in
// one run cost one list.
func (c *Client) ListRestoreOperatorRoles(ctx context.Context, orgID string) ([]RestoreOperatorRole, error) {
	fetch := func(path string) func(context.Context) ([]RestoreOperatorRole, error) {
		return func(ctx context.Context) ([]RestoreOperatorRole, error) {
			var roles []RestoreOperatorRole
			err := c.do(ctx, request{method: http.MethodGet, path: path, wantStatus: http.StatusOK, idempotent: true}, &roles)
			return roles, err
		}
	}
	if orgID == "" {
		return fetch("RbacRoles")(ctx)
	}
	roles, err := c.roles.list(ctx, orgID, fetch("Organizations/"+escape(orgID)+"/RbacRoles"))
	if err != nil {
		return nil, listError(err, orgID)
	}
	return roles, nil
}

// FindRestoreOperatorRole returns a role of an organization from the shared
// list; a missing role is a *NotFoundError of KindRole, a missing
// organization one of KindOrganization.
func (c *Client) FindRestoreOperatorRole(ctx context.Context, orgID, roleID string) (*RestoreOperatorRole, error) {
	roles, err := c.ListRestoreOperatorRoles(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for i := range roles {
		if strings.EqualFold(roles[i].ID, roleID) {
			return &roles[i], nil
		}
	}
	return nil, &NotFoundError{Kind: KindRole, Key: "id", Value: roleID, Scope: "in organization " + orgID}
}

func rolePath(roleID string) string { return "RbacRoles/" + escape(roleID) }

// GetRestoreOperatorRole returns a role by ID; a missing role is a
// *NotFoundError of KindRole.
func (c *Client) GetRestoreOperatorRole(ctx context.Context, roleID string) (*RestoreOperatorRole, error) {
	var r RestoreOperatorRole
	if err := c.do(ctx, request{method: http.MethodGet, path: rolePath(roleID), wantStatus: http.StatusOK, idempotent: true}, &r); err != nil {
		return nil, roleError(err, roleID)
	}
	if err := c.checkID(rolePath(roleID), "restore operator role", roleID, r.ID); err != nil {
		return nil, err
	}
	return &r, nil
}

// CreateRestoreOperatorRole creates a role with its members and returns it
// as the server answered (with its ID). After a failure that may have
// created it anyway (5xx, a lost answer), it lists the organization's roles
// and returns the one with the name, if any: the caller reads its members
// back rather than creating a second role.
func (c *Client) CreateRestoreOperatorRole(ctx context.Context, orgID string, rc RoleCreate) (*RestoreOperatorRole, error) {
	if err := c.checkTeams(rc.Operators, rc.Selected, rc.Excluded); err != nil {
		return nil, err
	}
	body := roleCreateWire{Name: rc.Name, Description: rc.Description, RoleType: rc.RoleType,
		Operators: wires(rc.Operators), SelectedItems: wires(rc.Selected), ExcludedItems: wires(rc.Excluded)}
	var r RestoreOperatorRole
	defer c.roles.wrote(orgID)
	err := c.do(ctx, request{method: http.MethodPost, path: orgPath(orgID, c.spec.roleCreate), body: body, wantStatus: c.spec.roleCreate.status}, &r)
	if err != nil && uncertainWrite(err) && ctx.Err() == nil {
		// The role may have been created: names are unique in an
		// organization, so look for it before anyone sends it again.
		c.roles.wrote(orgID) // the list must be sent after this failure
		if roles, lerr := c.ListRestoreOperatorRoles(ctx, orgID); lerr == nil {
			for i := range roles {
				if strings.EqualFold(roles[i].Name, rc.Name) {
					return &roles[i], nil
				}
			}
		}
	}
	if err != nil {
		return nil, listError(err, orgID)
	}
	if r.ID == "" {
		return nil, &BadAnswerError{Method: http.MethodPost, Path: "/" + string(c.version) + "/" + orgPath(orgID, c.spec.roleCreate),
			Status: c.spec.roleCreate.status, Reason: "the created role has no id"}
	}
	return &r, nil
}

// UpdateRestoreOperatorRole changes the name, description and type of a
// role. The member lists are not sent: how a PUT treats them is not
// documented, so members change through AddRoleMembers and
// RemoveRoleMembers.
func (c *Client) UpdateRestoreOperatorRole(ctx context.Context, orgID, roleID, name, description, roleType string) error {
	defer c.roles.wrote(orgID)
	body := map[string]string{"name": name, "description": description, "roleType": roleType}
	err := c.do(ctx, request{method: http.MethodPut, path: rolePath(roleID), body: body, wantStatus: http.StatusNoContent, idempotent: true}, nil)
	return roleError(err, roleID)
}

// DeleteRestoreOperatorRole deletes a role of an organization.
func (c *Client) DeleteRestoreOperatorRole(ctx context.Context, orgID, roleID string) error {
	defer c.roles.wrote(orgID)
	err := c.do(ctx, request{method: http.MethodDelete, path: rolePath(roleID), wantStatus: http.StatusNoContent, idempotent: true}, nil)
	return roleError(err, roleID)
}

// ListRoleMembers lists one member list of a role.
func (c *Client) ListRoleMembers(ctx context.Context, roleID string, list RoleList) ([]RoleMember, error) {
	var ws []rbacMemberWire
	if err := c.do(ctx, request{method: http.MethodGet, path: rolePath(roleID) + "/" + string(list), wantStatus: http.StatusOK, idempotent: true}, &ws); err != nil {
		return nil, roleError(err, roleID)
	}
	out := make([]RoleMember, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.member())
	}
	return out, nil
}

// AddRoleMembers adds members to one list of a role.
func (c *Client) AddRoleMembers(ctx context.Context, roleID string, list RoleList, entries []RoleEntry) error {
	if len(entries) == 0 {
		return nil
	}
	if err := c.checkTeams(entries); err != nil {
		return err
	}
	err := c.do(ctx, request{method: http.MethodPost, path: rolePath(roleID) + "/" + string(list), body: wires(entries), wantStatus: http.StatusNoContent}, nil)
	return roleError(err, roleID)
}

// RemoveRoleMembers removes members, by their member IDs, from one list.
func (c *Client) RemoveRoleMembers(ctx context.Context, roleID string, list RoleList, memberIDs []string) error {
	if len(memberIDs) == 0 {
		return nil
	}
	q := url.Values{"ids": {strings.Join(memberIDs, ",")}}
	err := c.do(ctx, request{method: http.MethodDelete, path: rolePath(roleID) + "/" + string(list), query: q, wantStatus: http.StatusNoContent, idempotent: true}, nil)
	return roleError(err, roleID)
}

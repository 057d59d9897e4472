package vb365

// The member lists of a restore operator role: operators (users and
// groups), selected items and excluded items (users, groups, sites and,
// from v7, teams). Each is a sub-collection of the role, read and written
// on its own.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

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
// may or may not be the same, as /Users, /Groups, /Sites or /Teams give it:
// a list that answers it in a composite form ("<orgId>:1:user:<id>", as
// audit items do) is read with PrincipalIDOf. Compare it with
// SamePrincipalID.
type RoleMember struct {
	ID          string
	Kind        string // MemberUser, MemberGroup, MemberSite, MemberTeam
	PrincipalID string
	Name        string // user or group mail, site URL, team mail
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

// memberWire is the object as an element of a role member list.
func (o Object) memberWire() rbacMemberWire {
	switch {
	case o.User != nil:
		t := rbacUserTypes[strings.ToLower(o.User.Type)]
		if t == "" {
			t = "User"
		}
		return rbacMemberWire{Type: MemberUser, User: &rbacUserWire{ID: o.User.ID, DisplayName: o.User.DisplayName, Name: o.User.Name, Type: t}}
	case o.Group != nil:
		t := o.Group.Type
		if t == "" {
			t = "Unknown"
		}
		return rbacMemberWire{Type: MemberGroup, Group: &rbacUserWire{ID: o.Group.ID, DisplayName: o.Group.DisplayName, Name: o.Group.Name, Type: t}}
	case o.Site != nil:
		s := o.Site
		return rbacMemberWire{Type: MemberSite, Site: &rbacSiteWire{ID: s.ID, URL: s.URL, Title: s.Title, ParentURL: s.ParentURL, IsCloud: s.IsCloud, IsPersonal: s.IsPersonal}}
	default:
		t := o.Team
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
	m.PrincipalID = PrincipalIDOf(m.PrincipalID)
	return m
}

// Has reports whether a member is the object: the same kind and principal.
func (m RoleMember) Has(o Object) bool {
	kind, id := o.Kind()
	return strings.EqualFold(m.Kind, kind) && SamePrincipalID(m.PrincipalID, id)
}

// missingFrom returns the objects that no member is.
func missingFrom(objects []Object, members []RoleMember) []Object {
	var out []Object
	for _, e := range objects {
		if !slices.ContainsFunc(members, func(m RoleMember) bool { return m.Has(e) }) {
			out = append(out, e)
		}
	}
	return out
}

func wires(objects []Object) []rbacMemberWire {
	out := make([]rbacMemberWire, 0, len(objects))
	for _, o := range objects {
		out = append(out, o.memberWire())
	}
	return out
}

func (c *Client) checkTeams(lists ...[]Object) error {
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
//
// The POST is safe to repeat, as the audit-item add is: after a 5xx, a lost
// answer or a timeout the server may or may not have added the members, so
// the client lists them and sends again only those still missing (up to
// MaxRetries times). No member is added twice and none is lost, whether the
// server refuses or ignores a member it already has.
func (c *Client) AddRoleMembers(ctx context.Context, roleID string, list RoleList, objects []Object) error {
	if len(objects) == 0 {
		return nil
	}
	if err := c.checkTeams(objects); err != nil {
		return err
	}
	pending := objects
	for retry := 0; ; retry++ {
		err := c.do(ctx, request{method: http.MethodPost, path: rolePath(roleID) + "/" + string(list), body: wires(pending), wantStatus: http.StatusNoContent}, nil)
		if err == nil || !uncertainWrite(err) || retry >= c.cfg.MaxRetries {
			return roleError(err, roleID)
		}
		have, lerr := c.ListRoleMembers(ctx, roleID, list)
		if lerr != nil {
			return roleError(err, roleID)
		}
		missing := missingFrom(pending, have)
		c.log.Debug(ctx, "VB365 role member add failed; listed to see what the server did", map[string]any{
			"role_id": roleID, "list": string(list), "error": err.Error(), "sent": len(pending), "still_missing": len(missing),
		})
		if len(missing) == 0 {
			return nil
		}
		pending = missing
		if serr := c.sleep(ctx, c.backoff(retry)); serr != nil {
			return serr
		}
	}
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

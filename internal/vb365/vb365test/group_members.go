package vb365test

import (
	"net/http"
	"strings"
)

// Group memberships: GET /Organizations/{id}/Groups/{groupId}/Members
// (every version; paged, v8 without totalCount), and the out-of-band
// changes a directory synchronization would bring.
//
// A member is rendered as RESTGroupMember: groupId (the group asked
// about), name (the member's display name), login (a user's name, a
// group's mail address), type, isCloud; v8 adds dataLocation. No member
// ID exists on the wire. By default _links has "self", the member's own
// /Users or /Groups object, and "group", the group asked about;
// Quirks.GroupMembersWithoutLinks leaves out "self".

// Membership is one direct member of a group: a user or a group of the
// same organization, by ID. Since is the fake's membership generation when
// it was added (Quirks.RoleGroupSelectionFrozen compares it with the
// generation a role member was added at).
type Membership struct {
	Kind  string // User or Group
	ID    string
	Since int
}

func groupMemberRoutes(r *router) {
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/Groups/{groupId}/Members", (*call).listGroupMembers)
	// POST /_fake/group-members?organizationId=...&groupName=...&memberName=...
	// adds a user (by mail address) or a group (by mail address) to a
	// group out of band; DELETE removes it.
	for _, method := range []string{http.MethodPost, http.MethodDelete} {
		r.handleAdmin(method, "/_fake/group-members", func(c *call) {
			org, group, member := c.query("organizationId"), c.query("groupName"), c.query("memberName")
			c.s.mu.Lock()
			o := c.s.org(org)
			var g *Group
			kind, id := "", ""
			if o != nil {
				g = o.groupNamed(group)
				if u := o.userNamed(member); u != nil {
					kind, id = "User", u.ID
				} else if mg := o.groupNamed(member); mg != nil {
					kind, id = "Group", mg.ID
				}
			}
			c.s.mu.Unlock()
			if g == nil || id == "" {
				c.writeJSON(http.StatusNotFound, map[string]any{"message": "no such organization, group or member"})
				return
			}
			if c.r.Method == http.MethodPost {
				c.s.AddGroupMember(org, g.ID, kind, id)
			} else {
				c.s.RemoveGroupMember(org, g.ID, id)
			}
			c.noContent(http.StatusNoContent)
		})
	}
}

func (o *Organization) userNamed(name string) *User {
	for _, u := range o.Users {
		if strings.EqualFold(u.Name, name) {
			return u
		}
	}
	return nil
}

func (o *Organization) groupNamed(name string) *Group {
	for _, g := range o.Groups {
		if strings.EqualFold(g.Name, name) || strings.EqualFold(g.DisplayName, name) {
			return g
		}
	}
	return nil
}

func membershipKey(orgID, groupID string) string {
	return strings.ToLower(orgID) + "/" + strings.ToLower(groupID)
}

// AddGroupMember makes a user or group (kind "User" or "Group", by ID) a
// direct member of a group, as a directory synchronization would. A group
// may contain a group that contains it: cycles are allowed, as in
// Microsoft Entra ID's nested groups.
func (s *Server) AddGroupMember(orgID, groupID, kind, memberID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.org(orgID)
	if o == nil || o.group(groupID) == nil {
		panic("vb365test: AddGroupMember: unknown organization or group " + orgID + "/" + groupID)
	}
	if (kind == "User" && o.user(memberID) == nil) || (kind == "Group" && o.group(memberID) == nil) || (kind != "User" && kind != "Group") {
		panic("vb365test: AddGroupMember: unknown " + kind + " " + memberID)
	}
	k := membershipKey(orgID, groupID)
	for _, m := range s.access.members[k] {
		if strings.EqualFold(m.ID, memberID) {
			return
		}
	}
	if s.access.members == nil {
		s.access.members = map[string][]*Membership{}
	}
	s.access.gen++
	s.access.members[k] = append(s.access.members[k], &Membership{Kind: kind, ID: memberID, Since: s.access.gen})
}

// RemoveGroupMember removes a direct member of a group.
func (s *Server) RemoveGroupMember(orgID, groupID, memberID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := membershipKey(orgID, groupID)
	kept := s.access.members[k][:0:0]
	for _, m := range s.access.members[k] {
		if !strings.EqualFold(m.ID, memberID) {
			kept = append(kept, m)
		}
	}
	s.access.members[k] = kept
}

// GroupMembers returns copies of a group's direct members.
func (s *Server) GroupMembers(orgID, groupID string) []Membership {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Membership
	for _, m := range s.access.members[membershipKey(orgID, groupID)] {
		out = append(out, *m)
	}
	return out
}

// memberJSON renders RESTGroupMember.
func (c *call) groupMemberJSON(org *Organization, g *Group, m *Membership) map[string]any {
	name, login, location, coll := "", "", "", "Users"
	if m.Kind == "User" {
		if u := org.user(m.ID); u != nil {
			name, login, location = u.DisplayName, u.Name, u.LocationType
		}
	} else if mg := org.group(m.ID); mg != nil {
		name, login, location, coll = mg.DisplayName, mg.Name, mg.LocationType, "Groups"
	}
	links := map[string]any{"group": c.link("/Organizations/" + org.ID + "/Groups/" + g.ID)}
	if !c.s.opts.Quirks.GroupMembersWithoutLinks {
		links["self"] = c.link("/Organizations/" + org.ID + "/" + coll + "/" + m.ID)
	}
	out := map[string]any{
		"groupId": g.ID,
		"name":    c.text(name),
		"login":   c.text(login),
		"type":    m.Kind,
		"isCloud": location != "OnPremises",
		"_links":  links,
	}
	if c.version == "v8" {
		out["dataLocation"] = nil
	}
	return out
}

// GET .../Groups/{groupId}/Members: paged; 404 for an unknown group.
func (c *call) listGroupMembers(org *Organization) {
	g := org.group(c.params[1])
	if g == nil {
		c.errorf(http.StatusNotFound, "ResourceNotFound", "Group with ID %s was not found.", c.params[1])
		return
	}
	c.paginate("/Organizations/"+org.ID+"/Groups/"+g.ID+"/Members", func() []any {
		out := []any{}
		for _, m := range c.s.access.members[membershipKey(org.ID, g.ID)] {
			out = append(out, c.groupMemberJSON(org, g, m))
		}
		return out
	})
}

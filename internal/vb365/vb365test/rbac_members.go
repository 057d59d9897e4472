package vb365test

import (
	"fmt"
	"net/http"
	"strings"
)

// The three member lists of a restore operator role (operators,
// selectedItems, excludedItems): GET answers the members, POST adds (a
// member already there is refused, or ignored under
// Quirks.RoleDuplicateMemberIgnored), DELETE ?ids= removes by member ID.
// The roles themselves are in rbac.go.

// RoleMember is one member of a list: Kind User, Group, Site or Team, the
// nested object as posted, and its member ID.
type RoleMember struct {
	ID, Kind, PrincipalID string
	Object                map[string]any
}

var roleLists = map[string]func(*Role) *[]*RoleMember{
	"operators":     func(r *Role) *[]*RoleMember { return &r.Operators },
	"selecteditems": func(r *Role) *[]*RoleMember { return &r.Selected },
	"excludeditems": func(r *Role) *[]*RoleMember { return &r.Excluded },
}

// rbacMemberRoutes adds the routes of the three lists, and the fake's
// out-of-band member add.
func rbacMemberRoutes(r *router) {
	for _, list := range []string{"operators", "selectedItems", "excludedItems"} {
		get := roleLists[strings.ToLower(list)]
		r.handle(http.MethodGet, "/RbacRoles/{roleId}/"+list, func(c *call) {
			c.withRole(func(ro *Role) {
				out := []any{}
				for _, m := range *get(ro) {
					out = append(out, c.memberJSON(ro, m))
				}
				c.writeJSON(http.StatusOK, out)
			})
		})
		r.handle(http.MethodPost, "/RbacRoles/{roleId}/"+list, func(c *call) {
			c.withRole(func(ro *Role) {
				var in []map[string]any
				if !c.decode(&in) {
					return
				}
				add, problem := c.s.members(in, list == "operators", c.version)
				if problem == "" && c.s.opts.Quirks.RoleDuplicateMemberIgnored {
					add = newMembers(*get(ro), add)
				}
				if problem == "" {
					problem = c.s.checkRole(ro, list, add)
				}
				if problem != "" {
					c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
					return
				}
				*get(ro) = append(*get(ro), add...)
				c.s.noteRole(ro)
				c.noContent(http.StatusNoContent)
			})
		})
		r.handle(http.MethodDelete, "/RbacRoles/{roleId}/"+list, func(c *call) {
			c.withRole(func(ro *Role) {
				ids := map[string]bool{}
				for _, id := range strings.Split(c.query("ids"), ",") {
					if id = strings.TrimSpace(id); id != "" {
						ids[strings.ToLower(id)] = true
					}
				}
				if len(ids) == 0 {
					c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The ids parameter is required.")
					return
				}
				kept := (*get(ro))[:0:0]
				for _, m := range *get(ro) {
					if !ids[strings.ToLower(m.ID)] {
						kept = append(kept, m)
					}
				}
				*get(ro) = kept
				c.s.noteRole(ro)
				c.noContent(http.StatusNoContent)
			})
		})
	}

	// POST /_fake/role-members?roleId=...&list=operators&userName=... adds
	// a user (by mail address) to a role's list behind Terraform's back
	// (the demo's drift).
	r.handleAdmin(http.MethodPost, "/_fake/role-members", func(c *call) {
		roleID, list, userName := c.query("roleId"), c.query("list"), c.query("userName")
		userID := ""
		if roleLists[strings.ToLower(list)] == nil {
			c.writeJSON(http.StatusBadRequest, map[string]any{"message": "list must be operators, selectedItems or excludedItems"})
			return
		}
		known := false
		c.s.mu.Lock()
		for _, ro := range c.s.roles {
			if !strings.EqualFold(ro.ID, roleID) {
				continue
			}
			for _, u := range c.s.org(ro.OrganizationID).Users {
				if strings.EqualFold(u.Name, userName) {
					known, userID = true, u.ID
				}
			}
		}
		c.s.mu.Unlock()
		if !known {
			c.writeJSON(http.StatusNotFound, map[string]any{"message": "no such role, or no such user in its organization"})
			return
		}
		c.s.AddRoleUser(roleID, list, userID)
		c.noContent(http.StatusNoContent)
	})
}

// memberJSON is a member as the lists answer it: the nested object as
// posted, its id in the composite form under
// Quirks.RoleMemberCompositePrincipalIDs.
func (c *call) memberJSON(ro *Role, m *RoleMember) map[string]any {
	kind := strings.ToLower(m.Kind)
	obj := m.Object
	if c.s.opts.Quirks.RoleMemberCompositePrincipalIDs && (kind == "user" || kind == "group") {
		obj = make(map[string]any, len(m.Object))
		for k, v := range m.Object {
			obj[k] = v
		}
		obj["id"] = ro.OrganizationID + ":1:" + kind + ":" + m.PrincipalID
	}
	return map[string]any{"id": m.ID, "type": m.Kind, kind: obj, "_links": map[string]any{}}
}

// newMembers returns the members of add that are not in have (nor earlier
// in add), by kind and nested ID.
func newMembers(have, add []*RoleMember) []*RoleMember {
	seen := map[string]bool{}
	for _, m := range have {
		seen[strings.ToLower(m.Kind+"/"+m.PrincipalID)] = true
	}
	var out []*RoleMember
	for _, m := range add {
		if k := strings.ToLower(m.Kind + "/" + m.PrincipalID); !seen[k] {
			seen[k] = true
			out = append(out, m)
		}
	}
	return out
}

var rbacRequired = map[string][]string{
	"user":  {"id", "displayName", "name", "type"},
	"group": {"id", "displayName", "name", "type"},
	"site":  {"id", "url", "title", "isCloud", "isPersonal"},
	"team":  {"id", "displayName", "description", "mail"},
}

var rbacUserTypes = map[string]bool{"User": true, "SharedMailbox": true, "PublicMailbox": true}

// members reads posted members: the type and its nested object with the
// required fields. Callers hold s.mu.
func (s *Server) members(in []map[string]any, operators bool, version string) ([]*RoleMember, string) {
	var out []*RoleMember
	for i, item := range in {
		kind, _ := item["type"].(string)
		key := strings.ToLower(kind)
		req, ok := rbacRequired[key]
		switch {
		case !ok:
			return nil, fmt.Sprintf("Item %d: the type '%s' is not valid.", i, kind)
		case operators && key != "user" && key != "group":
			return nil, fmt.Sprintf("Item %d: an operator must be a user or a group, not a %s.", i, key)
		case key == "team" && version == "v6":
			return nil, fmt.Sprintf("Item %d: teams are not supported by REST API v6.", i)
		}
		obj, _ := item[key].(map[string]any)
		if obj == nil {
			return nil, fmt.Sprintf("Item %d: the %s object is required.", i, key)
		}
		for _, f := range req {
			if _, ok := obj[f]; !ok {
				return nil, fmt.Sprintf("Item %d: the %s property '%s' is required.", i, key, f)
			}
		}
		if key == "user" && !rbacUserTypes[fmt.Sprint(obj["type"])] {
			return nil, fmt.Sprintf("Item %d: the user type '%v' is not valid: use User, SharedMailbox or PublicMailbox.", i, obj["type"])
		}
		pid := fmt.Sprint(obj["id"])
		id := pid
		if s.opts.Quirks.RoleMemberIDsDistinct {
			id = GUID("role-member", s.nextID())
		}
		out = append(out, &RoleMember{ID: id, Kind: strings.ToUpper(key[:1]) + key[1:], PrincipalID: pid, Object: obj})
	}
	return out, ""
}

// checkRole applies the documented constraints to a role that would get
// the members add in list ("" for a whole role).
func (s *Server) checkRole(ro *Role, list string, add []*RoleMember) string {
	next := *ro
	switch strings.ToLower(list) {
	case "operators":
		next.Operators = append(append([]*RoleMember{}, ro.Operators...), add...)
	case "selecteditems":
		next.Selected = append(append([]*RoleMember{}, ro.Selected...), add...)
	case "excludeditems":
		next.Excluded = append(append([]*RoleMember{}, ro.Excluded...), add...)
	}
	for _, l := range [][]*RoleMember{next.Operators, next.Selected, next.Excluded} {
		seen := map[string]bool{}
		for _, m := range l {
			k := strings.ToLower(m.Kind + "/" + m.PrincipalID)
			if seen[k] {
				return fmt.Sprintf("%s %s is in the list twice.", m.Kind, m.PrincipalID)
			}
			seen[k] = true
		}
	}
	for _, sel := range next.Selected {
		for _, ex := range next.Excluded {
			if strings.EqualFold(sel.Kind, ex.Kind) && strings.EqualFold(sel.PrincipalID, ex.PrincipalID) {
				return fmt.Sprintf("%s %s cannot be both selected and excluded.", sel.Kind, sel.PrincipalID)
			}
		}
	}
	return ""
}

// AddRoleUser adds a user of the role's organization to one of its lists
// ("operators", "selectedItems", "excludedItems") out of band.
func (s *Server) AddRoleUser(roleID, list, userID string) bool {
	return s.UpdateRole(roleID, func(ro *Role) {
		org := s.org(ro.OrganizationID)
		u := org.user(userID)
		if u == nil {
			panic("vb365test: AddRoleUser: unknown user " + userID)
		}
		t := map[string]string{"": "User", "User": "User", "Shared": "SharedMailbox", "Public": "PublicMailbox"}[u.Type]
		id := u.ID
		if s.opts.Quirks.RoleMemberIDsDistinct {
			id = GUID("role-member", s.nextID())
		}
		m := &RoleMember{ID: id, Kind: "User", PrincipalID: u.ID, Object: map[string]any{"id": u.ID, "displayName": u.DisplayName, "name": u.Name, "type": t}}
		dst := roleLists[strings.ToLower(list)](ro)
		*dst = append(*dst, m)
	})
}

package vb365test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Restore operator roles (RbacRoles): a role of an organization and its
// three member lists. Members are stored as posted (the nested object), with
// a member ID that equals the nested object's ID, or differs from it under
// Quirks.RoleMemberIDsDistinct. Every write the API makes to a role is
// noted in its RoleLow, so a test can assert that no role was ever left
// without operators or selected items.

// Role is a stored restore operator role.
type Role struct {
	ID, OrganizationID, Name, Description, RoleType string
	Operators, Selected, Excluded                   []*RoleMember
}

// RoleMember is one member of a list: Kind User, Group, Site or Team, the
// nested object as posted, and its member ID. Since is the membership
// generation when it was added (Quirks.RoleGroupSelectionFrozen).
type RoleMember struct {
	ID, Kind, PrincipalID string
	Object                map[string]any
	Since                 int
}

var roleLists = map[string]func(*Role) *[]*RoleMember{
	"operators":     func(r *Role) *[]*RoleMember { return &r.Operators },
	"selecteditems": func(r *Role) *[]*RoleMember { return &r.Selected },
	"excludeditems": func(r *Role) *[]*RoleMember { return &r.Excluded },
}

func rbacRoutes(r *router) {
	r.handle(http.MethodGet, "/RbacRoles", (*call).listAllRoles)
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/RbacRoles", (*call).listOrgRoles)
	r.handleOrg(http.MethodPost, "/Organizations/{organizationId}/RbacRoles", (*call).createRole, succeeds(http.StatusOK, http.StatusOK, http.StatusCreated))
	r.handle(http.MethodGet, "/RbacRoles/{roleId}", func(c *call) { c.withRole(func(ro *Role) { c.writeJSON(http.StatusOK, c.roleJSON(ro)) }) })
	r.handle(http.MethodPut, "/RbacRoles/{roleId}", func(c *call) { c.withRole(c.updateRole) })
	r.handle(http.MethodDelete, "/RbacRoles/{roleId}", func(c *call) { c.withRole(c.deleteRole) })
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
}

// withRole runs h under the lock with the {roleId} role, or answers 404.
func (c *call) withRole(h func(*Role)) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	for _, ro := range c.s.roles {
		if strings.EqualFold(ro.ID, c.params[0]) {
			h(ro)
			return
		}
	}
	c.errorf(http.StatusNotFound, "ResourceNotFound", "Role with ID %s was not found.", c.params[0])
}

func (c *call) roleJSON(ro *Role) map[string]any {
	return map[string]any{
		"id": ro.ID, "organizationId": ro.OrganizationID, "name": ro.Name, "description": ro.Description, "roleType": ro.RoleType,
		"_links": map[string]any{"self": c.link("/RbacRoles/" + ro.ID)},
	}
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

// listed reports whether a role list answers ro (Fault.OmitRole).
func (c *call) listed(ro *Role) bool {
	return c.omitRole == "" || !strings.EqualFold(c.omitRole, ro.ID) && !strings.EqualFold(c.omitRole, ro.Name)
}

func (c *call) listAllRoles() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	out := []any{}
	for _, ro := range c.s.roles {
		if c.listed(ro) {
			out = append(out, c.roleJSON(ro))
		}
	}
	c.writeJSON(http.StatusOK, out)
}

func (c *call) listOrgRoles(org *Organization) {
	out := []any{}
	for _, ro := range c.s.roles {
		if ro.OrganizationID == org.ID && c.listed(ro) {
			out = append(out, c.roleJSON(ro))
		}
	}
	c.writeJSON(http.StatusOK, out)
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
		out = append(out, &RoleMember{ID: id, Kind: strings.ToUpper(key[:1]) + key[1:], PrincipalID: pid, Object: obj, Since: s.access.gen})
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

func checkRoleShape(ro *Role) string {
	switch {
	case strings.TrimSpace(ro.Name) == "":
		return "The role name is required."
	case ro.RoleType != "EntireOrganization" && ro.RoleType != "SpecificObjects":
		return fmt.Sprintf("The role type '%s' is not valid: use EntireOrganization or SpecificObjects.", ro.RoleType)
	case len(ro.Operators) == 0:
		return "A role needs at least one operator."
	case ro.RoleType == "SpecificObjects" && len(ro.Selected) == 0:
		return "A role of type SpecificObjects needs at least one selected item."
	}
	return ""
}

func (c *call) createRole(org *Organization) {
	var in struct {
		Name, Description, RoleType             string
		Operators, SelectedItems, ExcludedItems []map[string]any
	}
	if !c.decode(&in) {
		return
	}
	s := c.s
	ro := &Role{ID: GUID("role", s.nextID()), OrganizationID: org.ID, Name: in.Name, Description: in.Description, RoleType: in.RoleType}
	for _, l := range []struct {
		in  []map[string]any
		dst *[]*RoleMember
		ops bool
	}{{in.Operators, &ro.Operators, true}, {in.SelectedItems, &ro.Selected, false}, {in.ExcludedItems, &ro.Excluded, false}} {
		m, problem := s.members(l.in, l.ops, c.version)
		if problem != "" {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
			return
		}
		*l.dst = m
	}
	for _, other := range s.roles {
		if other.OrganizationID == org.ID && strings.EqualFold(other.Name, ro.Name) && !s.opts.Quirks.RoleNamesNotUnique {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "A role named '%s' already exists.", ro.Name)
			return
		}
	}
	if problem := checkRoleShape(ro); problem == "" {
		if problem = s.checkRole(ro, "", nil); problem != "" {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
			return
		}
	} else {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
		return
	}
	s.roles = append(s.roles, ro)
	s.noteRole(ro)
	c.writeJSON(c.success(), c.roleJSON(ro))
}

// PUT changes name, description and roleType; member arrays in the body
// are ignored.
func (c *call) updateRole(ro *Role) {
	var in map[string]json.RawMessage
	if !c.decode(&in) {
		return
	}
	next := *ro
	for k, raw := range in {
		var v string
		switch strings.ToLower(k) {
		case "name":
			_ = json.Unmarshal(raw, &v)
			next.Name = v
		case "description":
			_ = json.Unmarshal(raw, &v)
			next.Description = v
		case "roletype":
			_ = json.Unmarshal(raw, &v)
			next.RoleType = v
		}
	}
	if problem := checkRoleShape(&next); problem != "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
		return
	}
	*ro = next
	c.s.noteRole(ro)
	c.noContent(http.StatusNoContent)
}

func (c *call) deleteRole(ro *Role) {
	c.s.removeRole(ro)
	c.noContent(http.StatusNoContent)
}

// removeRole drops a stored role. Callers hold s.mu.
func (s *Server) removeRole(ro *Role) {
	kept := s.roles[:0:0]
	for _, other := range s.roles {
		if other != ro {
			kept = append(kept, other)
		}
	}
	s.roles = kept
}

// RoleLow is the fewest members a role had after any write the API made to
// it (create, PUT, a member add or remove, whether the answer reached the
// client or not).
type RoleLow struct {
	Name string
	// Operators is the fewest operators.
	Operators int
	// Selected is the fewest selected items while the role was
	// SpecificObjects; -1 when it never was.
	Selected int
	// Writes counts the writes.
	Writes int
}

// noteRole records a role's member counts after a write. Callers hold s.mu.
func (s *Server) noteRole(ro *Role) {
	if s.roleLows == nil {
		s.roleLows = map[string]*RoleLow{}
	}
	low := s.roleLows[ro.ID]
	if low == nil {
		low = &RoleLow{Operators: len(ro.Operators), Selected: -1}
		s.roleLows[ro.ID] = low
	}
	low.Name = ro.Name
	low.Writes++
	low.Operators = min(low.Operators, len(ro.Operators))
	if ro.RoleType == "SpecificObjects" && (low.Selected < 0 || len(ro.Selected) < low.Selected) {
		low.Selected = len(ro.Selected)
	}
}

// RoleLows returns, by role ID, the fewest members each role had after any
// write of the API (roles deleted since included).
func (s *Server) RoleLows() map[string]RoleLow {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]RoleLow, len(s.roleLows))
	for id, low := range s.roleLows {
		out[id] = *low
	}
	return out
}

// Roles returns copies of the stored roles.
func (s *Server) Roles() []Role {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Role, len(s.roles))
	for i, ro := range s.roles {
		out[i] = *ro
	}
	return out
}

// UpdateRole changes a stored role out of band; false when there is none.
func (s *Server) UpdateRole(id string, change func(*Role)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ro := range s.roles {
		if strings.EqualFold(ro.ID, id) {
			change(ro)
			return true
		}
	}
	return false
}

// DeleteRole removes a role out of band.
func (s *Server) DeleteRole(id string) bool {
	return s.UpdateRole(id, s.removeRole)
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
		m := &RoleMember{ID: id, Kind: "User", PrincipalID: u.ID, Object: map[string]any{"id": u.ID, "displayName": u.DisplayName, "name": u.Name, "type": t}, Since: s.access.gen}
		dst := roleLists[strings.ToLower(list)](ro)
		*dst = append(*dst, m)
	})
}

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
// without operators or selected items. The member lists are served by
// rbac_members.go.

// Role is a stored restore operator role.
type Role struct {
	ID, OrganizationID, Name, Description, RoleType string
	Operators, Selected, Excluded                   []*RoleMember
}

func rbacRoutes(r *router) {
	r.handle(http.MethodGet, "/RbacRoles", (*call).listAllRoles)
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/RbacRoles", (*call).listOrgRoles)
	r.handleOrg(http.MethodPost, "/Organizations/{organizationId}/RbacRoles", (*call).createRole, succeeds(http.StatusOK, http.StatusOK, http.StatusCreated))
	r.handle(http.MethodGet, "/RbacRoles/{roleId}", func(c *call) { c.withRole(func(ro *Role) { c.writeJSON(http.StatusOK, c.roleJSON(ro)) }) })
	r.handle(http.MethodPut, "/RbacRoles/{roleId}", func(c *call) { c.withRole(c.updateRole) })
	r.handle(http.MethodDelete, "/RbacRoles/{roleId}", func(c *call) { c.withRole(c.deleteRole) })
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

// checkRoleShape applies the constraints on a role as a whole: a name, a
// known type, an operator, and a selected item for SpecificObjects.
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

package vb365

import (
	"context"
	"errors"
	"net/http"
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

// RoleCreate is RESTRbacRoleCreateModel for a new role.
type RoleCreate struct {
	Name, Description, RoleType   string
	Operators, Selected, Excluded []Object
}

type roleCreateWire struct {
	Name          string           `json:"name"`
	Description   string           `json:"description"`
	RoleType      string           `json:"roleType"`
	Operators     []rbacMemberWire `json:"operators"`
	SelectedItems []rbacMemberWire `json:"selectedItems"`
	ExcludedItems []rbacMemberWire `json:"excludedItems"`
}

// ListRestoreOperatorRoles lists the roles of one organization, or of all
// when orgID is "". An organization's list is shared between concurrent
// callers of this client as the audit list is (listCache): N roles read in
// one run cost one list.
func (c *Client) ListRestoreOperatorRoles(ctx context.Context, orgID string) ([]RestoreOperatorRole, error) {
	if orgID == "" {
		return c.fetchRoles(ctx, "RbacRoles")
	}
	roles, err := c.roles.list(ctx, orgID, func(ctx context.Context) ([]RestoreOperatorRole, error) {
		return c.fetchRoles(ctx, orgRolesPath(orgID))
	})
	if err != nil {
		return nil, listError(err, orgID)
	}
	return roles, nil
}

func orgRolesPath(orgID string) string { return "Organizations/" + escape(orgID) + "/RbacRoles" }

// fetchRoles lists roles without the shared cache: what a write's own
// check must see is the server's list now.
func (c *Client) fetchRoles(ctx context.Context, path string) ([]RestoreOperatorRole, error) {
	var roles []RestoreOperatorRole
	err := c.do(ctx, request{method: http.MethodGet, path: path, wantStatus: http.StatusOK, idempotent: true}, &roles)
	return roles, err
}

// FindRestoreOperatorRole returns a role of an organization from the shared
// list. A role the list lacks is asked for by ID before it is reported
// missing: one short answer of a list (a lagging replica, a caching proxy)
// must not make a caller drop a role that exists, and create it again. A
// missing role is a *NotFoundError of KindRole (after GET /RbacRoles/{id}
// answered 404), a missing organization one of KindOrganization.
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
	role, err := c.GetRestoreOperatorRole(ctx, roleID)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, &NotFoundError{Kind: KindRole, Key: "id", Value: roleID, Scope: "in organization " + orgID}
		}
		return nil, err
	}
	c.log.Debug(ctx, "VB365 restore operator role missing from the organization's list, found by ID", map[string]any{
		"organization_id": orgID, "role_id": roleID, "listed": len(roles),
	})
	return role, nil
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
// as the server answered (with its ID).
//
// It never takes over a role it did not make. A name that a role of the
// organization already has (ignoring case) is refused before anything is
// sent, with a *RoleNameTakenError naming that role (the shared list is
// asked, so N creates in one organization share it). The POST is safe to
// repeat: after a failure that may have created the role anyway (a 5xx, a
// lost answer) the client lists the roles again, without the cache, and
// adopts a role of that name only when it is the one that was sent (same
// description, type and members); a role of that name that is not, made by
// someone else while the create was under way, is a *RoleNameTakenError
// too. When the list shows no role of the name, the POST is sent again (up
// to MaxRetries times).
func (c *Client) CreateRestoreOperatorRole(ctx context.Context, orgID string, rc RoleCreate) (*RestoreOperatorRole, error) {
	if err := c.checkTeams(rc.Operators, rc.Selected, rc.Excluded); err != nil {
		return nil, err
	}
	roles, err := c.ListRestoreOperatorRoles(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		if strings.EqualFold(r.Name, rc.Name) {
			return nil, &RoleNameTakenError{OrganizationID: orgID, Name: rc.Name, Role: r}
		}
	}
	body := roleCreateWire{Name: rc.Name, Description: rc.Description, RoleType: rc.RoleType,
		Operators: wires(rc.Operators), SelectedItems: wires(rc.Selected), ExcludedItems: wires(rc.Excluded)}
	defer c.roles.beginWrite(orgID)()
	mayHaveMade := false // an attempt failed without a clear answer
	for retry := 0; ; retry++ {
		var r RestoreOperatorRole
		err := c.do(ctx, request{method: http.MethodPost, path: orgPath(orgID, c.spec.roleCreate), body: body, wantStatus: c.spec.roleCreate.status}, &r)
		if err == nil {
			if r.ID == "" {
				return nil, &BadAnswerError{Method: http.MethodPost, Path: "/" + string(c.version) + "/" + orgPath(orgID, c.spec.roleCreate),
					Status: c.spec.roleCreate.status, Reason: "the created role has no id"}
			}
			return &r, nil
		}
		uncertain := uncertainWrite(err)
		mayHaveMade = mayHaveMade || uncertain
		// A refusal (400) may be the server's own "name taken": say which
		// role has it. Other errors say all there is to say.
		if ctx.Err() != nil || !uncertain && !errors.Is(err, ErrBadRequest) {
			return nil, listError(err, orgID)
		}
		mine, theirs, lerr := c.rolesNamed(ctx, orgID, rc, mayHaveMade)
		c.log.Debug(ctx, "VB365 role create failed; listed to see what the server did", map[string]any{
			"organization_id": orgID, "error": err.Error(), "made": mine != nil, "name_taken": theirs != nil,
		})
		switch {
		case lerr != nil:
			return nil, listError(err, orgID)
		case mine != nil:
			return mine, nil
		case theirs != nil:
			return nil, &RoleNameTakenError{OrganizationID: orgID, Name: rc.Name, Role: *theirs, Cause: err}
		// A refusal after an uncertain attempt may be the "name taken" of
		// the role that attempt made, which a short list did not show:
		// it is looked for again, as a 5xx is.
		case !mayHaveMade || retry >= c.cfg.MaxRetries:
			return nil, listError(err, orgID)
		}
		if serr := c.sleep(ctx, c.backoff(retry)); serr != nil {
			return nil, serr
		}
	}
}

// rolesNamed lists the organization's roles (without the cache) after a
// failed create and sorts those with the create's name: mine is the role
// that was sent, when the server made it (only looked for when an attempt
// failed without a clear answer); theirs is one that is not.
func (c *Client) rolesNamed(ctx context.Context, orgID string, rc RoleCreate, mayHaveMade bool) (mine, theirs *RestoreOperatorRole, err error) {
	roles, err := c.fetchRoles(ctx, orgRolesPath(orgID))
	if err != nil {
		return nil, nil, err
	}
	for i := range roles {
		r := &roles[i]
		if !strings.EqualFold(r.Name, rc.Name) {
			continue
		}
		if mayHaveMade && mine == nil {
			same, err := c.isRoleSent(ctx, r, rc)
			if err != nil {
				return nil, nil, err
			}
			if same {
				mine = r
				continue
			}
		}
		theirs = r
	}
	return mine, theirs, nil
}

// isRoleSent reports whether a role is the one rc describes: the same
// description and type, and exactly the members sent. The scalars are
// compared first, so that another team's role costs no member list.
func (c *Client) isRoleSent(ctx context.Context, r *RestoreOperatorRole, rc RoleCreate) (bool, error) {
	if r.Description != rc.Description || r.RoleType != rc.RoleType {
		return false, nil
	}
	for _, l := range []struct {
		list    RoleList
		objects []Object
	}{{RoleOperators, rc.Operators}, {RoleSelectedItems, rc.Selected}, {RoleExcludedItems, rc.Excluded}} {
		have, err := c.ListRoleMembers(ctx, r.ID, l.list)
		if err != nil {
			return false, err
		}
		if len(have) != len(l.objects) || len(missingFrom(l.objects, have)) > 0 {
			return false, nil
		}
	}
	return true, nil
}

// UpdateRestoreOperatorRole changes the name, description and type of a
// role. The member lists are not sent: how a PUT treats them is not
// documented, so members change through AddRoleMembers and
// RemoveRoleMembers.
func (c *Client) UpdateRestoreOperatorRole(ctx context.Context, orgID, roleID, name, description, roleType string) error {
	defer c.roles.beginWrite(orgID)()
	body := map[string]string{"name": name, "description": description, "roleType": roleType}
	err := c.do(ctx, request{method: http.MethodPut, path: rolePath(roleID), body: body, wantStatus: http.StatusNoContent, idempotent: true}, nil)
	return roleError(err, roleID)
}

// DeleteRestoreOperatorRole deletes a role of an organization.
func (c *Client) DeleteRestoreOperatorRole(ctx context.Context, orgID, roleID string) error {
	defer c.roles.beginWrite(orgID)()
	err := c.do(ctx, request{method: http.MethodDelete, path: rolePath(roleID), wantStatus: http.StatusNoContent, idempotent: true}, nil)
	return roleError(err, roleID)
}

package vb365

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// "Who may restore this principal's data?": the reads behind the answer
// (the rules are in restore_access_rules.go).
//
// Requests, for a principal of an organization with R restore operator
// roles and G distinct groups reached (nested ones included):
//
//   - the principal itself (GET .../Users|Groups|Sites|Teams/{id}): its
//     mail address and Entra object ID are what group members and the
//     protected data are matched by, and an unknown ID must not read as
//     "nobody may restore it";
//   - 1 role list (shared with every role of the walk: listCache);
//   - per role, its excluded items, its selected items (SpecificObjects
//     roles only) and, for the roles that cover the principal, its
//     operators: at most 3R;
//   - one Members list per group reached, shared by the whole walk
//     (walkCache): at most G; plus one GET .../Groups?groupName= per nested
//     group that the answer does not link to its ID (none when it does);
//   - the audit list (shared: listCache), for users and groups;
//   - one protected-data lookup: GET /LicensedUsers?name= (v6, v7, users),
//     or the organization's /ProtectedUsers (Groups, Sites, Teams) read
//     until the principal is found (v8; one request per 10,000 objects).
//
// The sign-in comes on top, once per walk. The reads of one phase run in
// parallel (DefaultLookupParallelism at a time).

// RestoreAccessOf answers, for one user, group, site or team of an
// organization, which restore operator roles cover it and which users
// they make its operators, whether an audit item covers it, and whether
// its data is backed up. A missing principal is a *NotFoundError of its
// kind, a missing organization one of KindOrganization.
//
// What the answer cannot see: VB365 administrators (who restore anything
// without a role), and changes in Microsoft Entra ID that VB365 has not
// synchronized yet (group lists come from its organization cache).
func (c *Client) RestoreAccessOf(ctx context.Context, orgID string, ref ObjectRef) (*RestoreAccess, error) {
	got := c.getObject(ctx, orgID, ref)
	if got.Err != nil {
		return nil, got.Err
	}
	f := &AccessFacts{Principal: accessPrincipal(ref.Kind, got.Object)}
	p := f.Principal

	// Phase 1: the roles with their item lists, the audit list and the
	// protection, side by side.
	var (
		auditErr, protErr error
		roles             []RoleGrant
		rolesErr          error
	)
	tasks := []func(context.Context){
		func(ctx context.Context) { roles, rolesErr = c.roleItems(ctx, orgID) },
		func(ctx context.Context) { f.Protected, protErr = c.protectedOf(ctx, orgID, p) },
	}
	if p.Kind == KindUser || p.Kind == KindGroup {
		tasks = append(tasks, func(ctx context.Context) {
			f.Audit, auditErr = c.ListAuditItems(ctx, orgID)
			if f.Audit == nil && auditErr == nil {
				f.Audit = []AuditItem{}
			}
		})
	}
	runAll(ctx, tasks)
	if err := errors.Join(rolesErr, auditErr, protErr); err != nil {
		return nil, err
	}
	f.Roles = roles

	// The groups the coverage and the audit answer need.
	var groups []string
	for _, rg := range f.Roles {
		groups = append(groups, groupIDsOf(rg.Selected)...)
		groups = append(groups, groupIDsOf(rg.Excluded)...)
	}
	groups = append(groups, AuditGroupIDs(f.Audit)...)
	if err := c.ExpandGroups(ctx, orgID, groups, 0, &f.Groups); err != nil {
		return nil, err
	}

	// Phase 2: the operators of the covering roles, and their groups.
	covering, _ := Coverage(f)
	idx := map[string]int{}
	for i, rg := range f.Roles {
		idx[strings.ToLower(rg.Role.ID)] = i
	}
	errs := make([]error, len(covering))
	inParallel(ctx, len(covering), DefaultLookupParallelism, func(ctx context.Context, i int) {
		rg := &f.Roles[idx[strings.ToLower(covering[i].Role.ID)]]
		rg.Operators, errs[i] = c.ListRoleMembers(ctx, rg.Role.ID, RoleOperators)
	}, func(i int, err error) { errs[i] = err })
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var opGroups []string
	for _, rg := range f.Roles {
		opGroups = append(opGroups, groupIDsOf(rg.Operators)...)
	}
	if err := c.ExpandGroups(ctx, orgID, opGroups, 0, &f.Groups); err != nil {
		return nil, err
	}
	out := ResolveRestoreAccess(f)
	return &out, nil
}

// runAll runs the tasks side by side and waits for them.
func runAll(ctx context.Context, tasks []func(context.Context)) {
	inParallel(ctx, len(tasks), len(tasks), func(ctx context.Context, i int) { tasks[i](ctx) }, func(int, error) {})
}

func accessPrincipal(kind Kind, e Object) AccessPrincipal {
	switch {
	case e.User != nil:
		return AccessPrincipal{Kind: kind, ID: e.User.ID, Name: e.User.Name, DisplayName: e.User.DisplayName, MSID: e.User.MSID}
	case e.Group != nil:
		return AccessPrincipal{Kind: kind, ID: e.Group.ID, Name: e.Group.Name, DisplayName: e.Group.DisplayName, MSID: e.Group.MSID}
	case e.Site != nil:
		return AccessPrincipal{Kind: kind, ID: e.Site.ID, Name: e.Site.URL, DisplayName: e.Site.Title}
	case e.Team != nil:
		return AccessPrincipal{Kind: kind, ID: e.Team.ID, Name: e.Team.Mail, DisplayName: e.Team.DisplayName, MSID: e.Team.ID}
	}
	return AccessPrincipal{Kind: kind}
}

func groupIDsOf(ms []RoleMember) []string {
	var out []string
	for _, m := range ms {
		if strings.EqualFold(m.Kind, MemberGroup) {
			out = append(out, m.PrincipalID)
		}
	}
	return out
}

// roleItems reads the organization's roles and, for each, the item lists
// that decide whether it covers a principal: excluded items always,
// selected items for SpecificObjects roles.
func (c *Client) roleItems(ctx context.Context, orgID string) ([]RoleGrant, error) {
	roles, err := c.ListRestoreOperatorRoles(ctx, orgID)
	if err != nil {
		return nil, err
	}
	grants := make([]RoleGrant, len(roles))
	type read struct {
		role int
		list RoleList
	}
	var reads []read
	for i, r := range roles {
		grants[i].Role = r
		reads = append(reads, read{i, RoleExcludedItems})
		if !strings.EqualFold(r.RoleType, RoleEntireOrganization) {
			reads = append(reads, read{i, RoleSelectedItems})
		}
	}
	lists := make([][]RoleMember, len(reads))
	errs := make([]error, len(reads))
	inParallel(ctx, len(reads), DefaultLookupParallelism, func(ctx context.Context, j int) {
		lists[j], errs[j] = c.ListRoleMembers(ctx, roles[reads[j].role].ID, reads[j].list)
	}, func(j int, err error) { errs[j] = err })
	gone := map[int]bool{}
	for j, rd := range reads {
		var nf *NotFoundError
		switch {
		case errors.As(errs[j], &nf) && nf.Kind == KindRole:
			gone[rd.role] = true // deleted since the list: it grants nothing
		case errs[j] != nil:
			return nil, errs[j]
		case rd.list == RoleExcludedItems:
			grants[rd.role].Excluded = lists[j]
		default:
			grants[rd.role].Selected = lists[j]
		}
	}
	kept := grants[:0]
	for i, g := range grants {
		if !gone[i] {
			kept = append(kept, g)
		}
	}
	return kept, nil
}

// protectedOf answers whether the principal's data is backed up: on v8 from
// the protected-data list of its kind, on v6 and v7 from /LicensedUsers
// (users only; nil for the others, which no list of those versions
// answers).
func (c *Client) protectedOf(ctx context.Context, orgID string, p AccessPrincipal) (*bool, error) {
	var err error
	switch {
	case p.Kind == KindUser && !c.spec.protectedData && p.Name == "":
		// /LicensedUsers is searched by mail address, which it lacks.
		return nil, nil
	case p.Kind == KindUser:
		up, uerr := c.UserProtectionOf(ctx, orgID, ProtectedKey{MSID: p.MSID, Email: p.Name})
		if uerr == nil {
			b := up.IsBackedUp()
			return &b, nil
		}
		err = uerr
	case !c.spec.protectedData:
		// No list of v6 or v7 answers for groups, sites or teams.
		return nil, nil
	case p.Kind == KindGroup:
		_, err = c.FindProtectedGroup(ctx, orgID, ProtectedKey{MSID: p.MSID, Email: p.Name})
	case p.Kind == KindSite:
		_, err = c.FindProtectedSite(ctx, orgID, ProtectedKey{URL: p.Name})
	case p.Kind == KindTeam:
		_, err = c.FindProtectedTeam(ctx, orgID, ProtectedKey{MSID: p.ID})
	default:
		return nil, fmt.Errorf("vb365: cannot tell whether a %q is protected", p.Kind)
	}
	yes, no := true, false
	var nf *NotFoundError
	switch {
	case err == nil:
		return &yes, nil
	case errors.As(err, &nf) && nf.Kind != KindOrganization:
		return &no, nil
	case errors.Is(err, ErrAmbiguous):
		// Two protected objects have its address: something of it is
		// backed up, but which of them is it is unknowable here.
		return nil, nil
	}
	return nil, err
}

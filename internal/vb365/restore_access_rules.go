package vb365

import (
	"fmt"
	"sort"
	"strings"
)

// The rules of "who may restore this principal's data", as plain functions
// of what the walk read (restore_access.go): the roles with their member
// lists, the group graph, the audit items. No request is made here.
//
// A restore operator role covers a principal when it is of type
// EntireOrganization, or selects it (directly, or a group it belongs to,
// through any depth of nesting), and does not exclude it (directly, or a
// group it belongs to). Its operators are its operator users, and the
// users of its operator groups, through nesting.
//
// Group membership is read as the groups' members are now (as VB365 last
// synchronized them). Whether VB365 evaluates a group in a role when a
// restore is asked, or keeps the members the group had when it was added
// to the role, is not documented (the fake's Quirks.RoleGroupSelectionFrozen
// stands for the second). Under the second reading the answer is wrong
// for a member added to a group after the group went into a role, in both
// directions: a selection through that group would not cover it (the
// answer says it does), and an exclusion through it would not exclude it
// (the answer says it does). For members the group had when it went into
// the role both readings agree.
//
// A group covers its members (users and nested groups), not sites or teams.

// Why a role covers, or excludes, a principal; why it is audited.
const (
	ReasonEntireOrganization   = "entire_organization"
	ReasonSelected             = "selected"
	ReasonSelectedThroughGroup = "selected_through_group"
	ReasonExcluded             = "excluded"
	ReasonExcludedThroughGroup = "excluded_through_group"
	ReasonAudited              = "audited"
	ReasonAuditedThroughGroup  = "audited_through_group"
)

// AccessPrincipal is the user, group, site or team asked about.
type AccessPrincipal struct {
	Kind        Kind // KindUser, KindGroup, KindSite, KindTeam
	ID          string
	Name        string // mail address (user, group, team) or URL (site)
	DisplayName string
	MSID        string
}

// memberKind is the role-member kind of the principal.
func (p AccessPrincipal) memberKind() string {
	return map[Kind]string{KindUser: MemberUser, KindGroup: MemberGroup, KindSite: MemberSite, KindTeam: MemberTeam}[p.Kind]
}

// isMember reports whether a listed group member is the principal: the
// same ID when the member has one, or a login equal to the principal's
// name (its mail address). Sites and teams are members of no group.
func (p AccessPrincipal) isMember(m GroupMember) bool {
	switch {
	case p.Kind == KindUser && m.Kind == MemberGroup,
		p.Kind == KindGroup && m.Kind == MemberUser,
		p.Kind != KindUser && p.Kind != KindGroup:
		return false
	}
	if m.ID != "" && SamePrincipalID(m.ID, p.ID) {
		return true
	}
	return m.Login != "" && p.Name != "" && strings.EqualFold(m.Login, p.Name)
}

// RoleGrant is a role with the member lists the walk read (a list it did
// not need is nil: the selected items of an EntireOrganization role, the
// operators of a role that does not cover the principal).
type RoleGrant struct {
	Role                          RestoreOperatorRole
	Selected, Excluded, Operators []RoleMember
}

// RoleAccess is a role that covers (or excludes) the principal, and why.
type RoleAccess struct {
	Role   RestoreOperatorRole
	Reason string // one of the Reason constants
	// Via is the chain of groups the reason goes through, outermost (the
	// one in the role) first, by mail address (or name): empty for a
	// direct reason.
	Via []string
}

// Operator is a user who may restore the principal's data.
type Operator struct {
	// ID is the /Users ID where known (an operator of the role itself, or
	// a group member whose answer links it); Name its mail address or
	// login.
	ID, Name, DisplayName string
	// Roles are the covering roles that make it an operator, by name
	// (sorted), RoleIDs the same by ID.
	Roles, RoleIDs []string
	// ViaGroups are the operator groups it is an operator through (sorted;
	// empty when every role names it directly).
	ViaGroups []string
}

// AccessFacts is everything the answer is computed from.
type AccessFacts struct {
	Principal AccessPrincipal
	Roles     []RoleGrant
	Groups    GroupGraph
	// Audit is the organization's audit list; nil when not read (sites
	// and teams, which no audit item names).
	Audit []AuditItem
	// Protected is the protection answer (nil: unknowable).
	Protected *bool
}

// RestoreAccess is the answer.
type RestoreAccess struct {
	Principal AccessPrincipal
	// Roles cover the principal; Excluded select it (or are
	// EntireOrganization) but exclude it. Both sorted by role name.
	Roles, Excluded []RoleAccess
	// Operators are the effective operator users of Roles, sorted by name.
	Operators []Operator
	// Audited: nil for a site or team (audit items name users and groups).
	Audited    *bool
	AuditedWhy string   // ReasonAudited or ReasonAuditedThroughGroup
	AuditedVia []string // the group chain, as RoleAccess.Via
	Protected  *bool
	// Incomplete says what the answer could not see (groups too deeply
	// nested, nested groups that could not be identified); empty when it
	// saw everything VB365 holds.
	Incomplete []string
}

// groupLabel is how a group is named in a reason: its mail address, else
// its display name, else its ID.
func groupLabel(name, displayName, id string) string {
	switch {
	case name != "":
		return name
	case displayName != "":
		return displayName
	}
	return id
}

// findIn searches a group and its nested groups, breadth first, for a
// member that found accepts, and returns the chain of group labels from
// the group (labelled rootLabel) to the one that holds it. Each group is
// searched once, so cycles end.
func findIn(g *GroupGraph, rootID, rootLabel string, found func(GroupMember) bool) ([]string, bool) {
	type node struct {
		id     string
		parent int
		label  string
	}
	nodes := []node{{id: strings.ToLower(rootID), parent: -1, label: rootLabel}}
	seen := map[string]bool{nodes[0].id: true}
	for i := 0; i < len(nodes); i++ {
		for _, m := range g.Members[nodes[i].id] {
			if found(m) {
				var chain []string
				for j := i; j >= 0; j = nodes[j].parent {
					chain = append([]string{nodes[j].label}, chain...)
				}
				return chain, true
			}
			if m.Kind == MemberGroup && m.ID != "" && !seen[strings.ToLower(m.ID)] {
				seen[strings.ToLower(m.ID)] = true
				nodes = append(nodes, node{id: strings.ToLower(m.ID), parent: i, label: groupLabel(m.Login, m.Name, m.ID)})
			}
		}
	}
	return nil, false
}

// matchItems returns why a list of role items holds the principal: the
// principal itself, or a group that holds it.
func matchItems(p AccessPrincipal, items []RoleMember, g *GroupGraph) (direct bool, via []string, ok bool) {
	kind := p.memberKind()
	for _, it := range items {
		if strings.EqualFold(it.Kind, kind) && SamePrincipalID(it.PrincipalID, p.ID) {
			return true, nil, true
		}
	}
	for _, it := range items {
		if !strings.EqualFold(it.Kind, MemberGroup) {
			continue
		}
		if chain, found := findIn(g, it.PrincipalID, groupLabel(it.Name, it.DisplayName, it.PrincipalID), p.isMember); found {
			return false, chain, true
		}
	}
	return false, nil, false
}

// Coverage sorts the roles into those that cover the principal and those
// that would but exclude it.
func Coverage(f *AccessFacts) (covering, excluded []RoleAccess) {
	for _, rg := range f.Roles {
		var sel RoleAccess
		switch direct, via, ok := matchItems(f.Principal, rg.Selected, &f.Groups); {
		case strings.EqualFold(rg.Role.RoleType, RoleEntireOrganization):
			sel = RoleAccess{Role: rg.Role, Reason: ReasonEntireOrganization}
		case ok && direct:
			sel = RoleAccess{Role: rg.Role, Reason: ReasonSelected}
		case ok:
			sel = RoleAccess{Role: rg.Role, Reason: ReasonSelectedThroughGroup, Via: via}
		default:
			continue
		}
		switch direct, via, ok := matchItems(f.Principal, rg.Excluded, &f.Groups); {
		case ok && direct:
			excluded = append(excluded, RoleAccess{Role: rg.Role, Reason: ReasonExcluded})
		case ok:
			excluded = append(excluded, RoleAccess{Role: rg.Role, Reason: ReasonExcludedThroughGroup, Via: via})
		default:
			covering = append(covering, sel)
		}
	}
	byName := func(rs []RoleAccess) {
		sort.SliceStable(rs, func(i, j int) bool { return strings.ToLower(rs[i].Role.Name) < strings.ToLower(rs[j].Role.Name) })
	}
	byName(covering)
	byName(excluded)
	return covering, excluded
}

// operators returns the effective operator users of the covering roles.
func operators(f *AccessFacts, covering []RoleAccess) []Operator {
	covers := map[string]bool{}
	for _, r := range covering {
		covers[strings.ToLower(r.Role.ID)] = true
	}
	ops := map[string]*Operator{}
	var order []string
	add := func(role RestoreOperatorRole, id, name, displayName, via string) {
		key := strings.ToLower(name)
		if key == "" {
			key = "id:" + strings.ToLower(id)
		}
		o := ops[key]
		if o == nil {
			o = &Operator{Name: name}
			ops[key] = o
			order = append(order, key)
		}
		if o.ID == "" {
			o.ID = id
		}
		if o.DisplayName == "" {
			o.DisplayName = displayName
		}
		if !containsFold(o.RoleIDs, role.ID) {
			o.RoleIDs = append(o.RoleIDs, role.ID)
			o.Roles = append(o.Roles, role.Name)
		}
		if via != "" && !containsFold(o.ViaGroups, via) {
			o.ViaGroups = append(o.ViaGroups, via)
		}
	}
	for _, rg := range f.Roles {
		if !covers[strings.ToLower(rg.Role.ID)] {
			continue
		}
		for _, op := range rg.Operators {
			switch {
			case strings.EqualFold(op.Kind, MemberUser):
				add(rg.Role, op.PrincipalID, op.Name, op.DisplayName, "")
			case strings.EqualFold(op.Kind, MemberGroup):
				label := groupLabel(op.Name, op.DisplayName, op.PrincipalID)
				findIn(&f.Groups, op.PrincipalID, label, func(m GroupMember) bool {
					if m.Kind != MemberGroup {
						add(rg.Role, m.ID, m.Login, m.Name, label)
					}
					return false
				})
			}
		}
	}
	out := make([]Operator, 0, len(order))
	for _, k := range order {
		o := ops[k]
		sort.Strings(o.ViaGroups)
		sortTogether(o.Roles, o.RoleIDs)
		out = append(out, *o)
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}

// sortTogether sorts names (ignoring case) and ids in the same order.
func sortTogether(names, ids []string) {
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return strings.ToLower(names[idx[a]]) < strings.ToLower(names[idx[b]]) })
	n2, i2 := make([]string, len(names)), make([]string, len(ids))
	for k, i := range idx {
		n2[k], i2[k] = names[i], ids[i]
	}
	copy(names, n2)
	copy(ids, i2)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// audited says whether an audit item covers the principal: one names it,
// or names a group it belongs to.
func audited(f *AccessFacts) (*bool, string, []string) {
	p := f.Principal
	if p.Kind != KindUser && p.Kind != KindGroup || f.Audit == nil {
		return nil, "", nil
	}
	t := AuditTypeUser
	if p.Kind == KindGroup {
		t = AuditTypeGroup
	}
	yes, no := true, false
	if MatchAuditItem(f.Audit, Principal{Type: t, ID: p.ID, MSID: p.MSID, Name: p.Name}) != nil {
		return &yes, ReasonAudited, nil
	}
	for i := range f.Audit {
		it := &f.Audit[i]
		if !it.IsGroup() {
			continue
		}
		label := groupLabel(it.PrincipalName(), it.PrincipalDisplayName(), it.PrincipalID())
		if chain, ok := findIn(&f.Groups, PrincipalIDOf(it.PrincipalID()), label, p.isMember); ok {
			return &yes, ReasonAuditedThroughGroup, chain
		}
	}
	return &no, "", nil
}

// AuditGroupIDs are the /Groups IDs of the audited groups (the groups the
// audit answer needs expanded).
func AuditGroupIDs(items []AuditItem) []string {
	var out []string
	for i := range items {
		if items[i].IsGroup() && items[i].PrincipalID() != "" {
			out = append(out, PrincipalIDOf(items[i].PrincipalID()))
		}
	}
	return out
}

// incomplete says what the graph could not show.
func incomplete(g *GroupGraph) []string {
	var out []string
	seen := map[string]bool{}
	note := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, m := range g.TooDeep {
		note(fmt.Sprintf("the members of group %s are not known: it is nested more than %d groups deep", groupLabel(m.Login, m.Name, m.ID), MaxGroupDepth))
	}
	for _, m := range g.Unresolved {
		note(fmt.Sprintf("the members of group %s are not known: VB365 lists it as a nested group without an ID, and no group of the organization has its login", groupLabel(m.Login, m.Name, m.ID)))
	}
	sort.Strings(out)
	return out
}

// ResolveRestoreAccess computes the whole answer from the facts.
func ResolveRestoreAccess(f *AccessFacts) RestoreAccess {
	covering, excluded := Coverage(f)
	out := RestoreAccess{
		Principal:  f.Principal,
		Roles:      covering,
		Excluded:   excluded,
		Operators:  operators(f, covering),
		Protected:  f.Protected,
		Incomplete: incomplete(&f.Groups),
	}
	out.Audited, out.AuditedWhy, out.AuditedVia = audited(f)
	return out
}

package provider

// The model of vb365_restore_operator_role and its member sets: which
// member list holds which kinds, and the difference between two sets.

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

type roleModel struct {
	ID             types.String   `tfsdk:"id"`
	OrganizationID types.String   `tfsdk:"organization_id"`
	Name           types.String   `tfsdk:"name"`
	Description    types.String   `tfsdk:"description"`
	RoleType       types.String   `tfsdk:"role_type"`
	Operators      *roleOperators `tfsdk:"operators"`
	SelectedItems  *roleMembers   `tfsdk:"selected_items"`
	ExcludedItems  *roleMembers   `tfsdk:"excluded_items"`
}

// roleMembers is one item list (selected_items, excluded_items); the
// operators object (roleOperators) has users and groups only and is
// handled as a roleMembers whose sites and teams stay null.
type roleMembers struct {
	UserIDs  types.Set `tfsdk:"user_ids"`
	GroupIDs types.Set `tfsdk:"group_ids"`
	SiteIDs  types.Set `tfsdk:"site_ids"`
	TeamIDs  types.Set `tfsdk:"team_ids"`
}

// roleOperators is the operators object (users and groups only).
type roleOperators struct {
	UserIDs  types.Set `tfsdk:"user_ids"`
	GroupIDs types.Set `tfsdk:"group_ids"`
}

// roleList describes one member list: its attribute, its API list and the
// kinds it may hold.
type roleList struct {
	attr  string
	list  vb365.RoleList
	kinds []string // vb365.MemberUser, ...
}

var roleLists = []roleList{
	{"operators", vb365.RoleOperators, []string{vb365.MemberUser, vb365.MemberGroup}},
	{"selected_items", vb365.RoleSelectedItems, []string{vb365.MemberUser, vb365.MemberGroup, vb365.MemberSite, vb365.MemberTeam}},
	{"excluded_items", vb365.RoleExcludedItems, []string{vb365.MemberUser, vb365.MemberGroup, vb365.MemberSite, vb365.MemberTeam}},
}

// kindAttr is the attribute of a member kind inside a list object.
var kindAttr = map[string]string{vb365.MemberUser: "user_ids", vb365.MemberGroup: "group_ids", vb365.MemberSite: "site_ids", vb365.MemberTeam: "team_ids"}

// memberIDs is a member list by kind: principal IDs as configured or as
// the server lists them.
type memberIDs map[string][]string

func (r *roleMembers) set(kind string) *types.Set {
	switch kind {
	case vb365.MemberUser:
		return &r.UserIDs
	case vb365.MemberGroup:
		return &r.GroupIDs
	case vb365.MemberSite:
		return &r.SiteIDs
	}
	return &r.TeamIDs
}

// ids reads a list object (nil: none).
func (r *roleMembers) ids(ctx context.Context, kinds []string, diags *diag.Diagnostics) memberIDs {
	out := memberIDs{}
	if r == nil {
		return out
	}
	for _, k := range kinds {
		out[k] = setStrings(ctx, *r.set(k), diags)
	}
	return out
}

// getList returns a list object of the model (nil: none).
func (m *roleModel) getList(attr string) *roleMembers {
	switch attr {
	case "operators":
		if m.Operators == nil {
			return nil
		}
		return &roleMembers{UserIDs: m.Operators.UserIDs, GroupIDs: m.Operators.GroupIDs,
			SiteIDs: types.SetNull(types.StringType), TeamIDs: types.SetNull(types.StringType)}
	case "selected_items":
		return m.SelectedItems
	}
	return m.ExcludedItems
}

// setList stores a list object into the model.
func (m *roleModel) setList(attr string, r *roleMembers) {
	switch attr {
	case "operators":
		if r == nil {
			m.Operators = nil
			return
		}
		m.Operators = &roleOperators{UserIDs: r.UserIDs, GroupIDs: r.GroupIDs}
	case "selected_items":
		m.SelectedItems = r
	default:
		m.ExcludedItems = r
	}
}

func (m memberIDs) count() int {
	n := 0
	for _, ids := range m {
		n += len(ids)
	}
	return n
}

// fromServer builds a list object from the server's members: IDs that
// equal a prior ID ignoring case keep the prior's spelling; a kind with no
// members stays null when it was null before; the whole object is nil when
// it was nil before and the list is empty.
func fromServer(members []vb365.RoleMember, kinds []string, prior *roleMembers) *roleMembers {
	byKind := memberIDs{}
	for _, mem := range members {
		byKind[mem.Kind] = append(byKind[mem.Kind], mem.PrincipalID)
	}
	if prior == nil && len(members) == 0 {
		return nil
	}
	out := &roleMembers{UserIDs: types.SetNull(types.StringType), GroupIDs: types.SetNull(types.StringType),
		SiteIDs: types.SetNull(types.StringType), TeamIDs: types.SetNull(types.StringType)}
	for _, k := range kinds {
		ids := byKind[k]
		var was types.Set
		if prior != nil {
			was = *prior.set(k)
		}
		if len(ids) == 0 && (prior == nil || was.IsNull()) {
			continue
		}
		if prior != nil && !was.IsNull() && !was.IsUnknown() {
			ids = keepSpelling(ids, setStrings(context.Background(), was, &diag.Diagnostics{}))
		}
		sort.Strings(ids)
		*out.set(k) = stringSet(ids)
	}
	return out
}

// keepSpelling replaces each listed ID that names a known one (ignoring
// case, or in the composite form, see vb365.SamePrincipalID) by the known
// spelling.
func keepSpelling(ids, known []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		for _, k := range known {
			if vb365.SamePrincipalID(id, k) {
				out[i] = k
				break
			}
		}
	}
	return out
}

// declares reports whether want holds the member's principal.
func declares(want memberIDs, mem vb365.RoleMember) bool {
	for kind, ids := range want {
		if strings.EqualFold(kind, mem.Kind) && slices.ContainsFunc(ids, func(id string) bool { return vb365.SamePrincipalID(mem.PrincipalID, id) }) {
			return true
		}
	}
	return false
}

// memberDiff compares the wanted principal IDs with the server's members:
// the IDs to add, by kind, and the member IDs to remove. Principals are
// matched with vb365.SamePrincipalID, so that a list answering IDs in
// another form than the configuration's does not make declared members
// look undeclared.
func memberDiff(want memberIDs, have []vb365.RoleMember) (add memberIDs, remove []string) {
	add = memberIDs{}
	for kind, ids := range want {
		for _, id := range ids {
			found := slices.ContainsFunc(have, func(mem vb365.RoleMember) bool {
				return strings.EqualFold(mem.Kind, kind) && vb365.SamePrincipalID(mem.PrincipalID, id)
			})
			if !found {
				add[kind] = append(add[kind], id)
			}
		}
	}
	for _, mem := range have {
		if !declares(want, mem) {
			remove = append(remove, mem.ID)
		}
	}
	return add, remove
}

// movingToSelected splits the member IDs to remove from excluded_items into
// those whose principal selected_items declares (they must leave
// excluded_items before they can be selected) and the rest.
func movingToSelected(excluded []vb365.RoleMember, remove []string, wantSelected memberIDs) (moving, staying []string) {
	for _, mem := range excluded {
		if !slices.ContainsFunc(remove, func(id string) bool { return strings.EqualFold(id, mem.ID) }) {
			continue
		}
		if declares(wantSelected, mem) {
			moving = append(moving, mem.ID)
		} else {
			staying = append(staying, mem.ID)
		}
	}
	return moving, staying
}

// maxListedMembers bounds the members a problem lists.
const maxListedMembers = 10

// removalPlan decides, on a list of a role taken after the adds, which
// members may be removed: those the configuration does not declare. It
// refuses (problem, nothing to remove) when a declared member is not in the
// list, since then the adds did not take effect or the server spells IDs in
// a way that cannot be related to the configuration, and removing "the
// rest" could remove the very members that were meant; and, when keepOne,
// when the list would be left empty.
func removalPlan(l roleList, want memberIDs, listed []vb365.RoleMember, keepOne bool) (remove []string, problem string) {
	missing, remove := memberDiff(want, listed)
	if missing.count() > 0 {
		var lacks, lists []string
		for _, kind := range l.kinds {
			for _, id := range missing[kind] {
				lacks = append(lacks, strings.ToLower(kind)+" "+id)
			}
		}
		for _, mem := range listed {
			lists = append(lists, fmt.Sprintf("%s %s (member ID %s)", strings.ToLower(mem.Kind), mem.PrincipalID, mem.ID))
		}
		if len(lists) == 0 {
			lists = []string{"no members"}
		}
		if len(lists) > maxListedMembers {
			lists = append(lists[:maxListedMembers], fmt.Sprintf("and %d more", len(lists)-maxListedMembers))
		}
		return nil, fmt.Sprintf("%s: after the declared members were added, the server's list still lacks %s (it lists: %s). Nothing was removed, "+
			"so the role keeps the members it has. Apply again; if this repeats, the server answers member IDs in a form the provider "+
			"cannot relate to the configured IDs: please report it with this message.", l.attr, strings.Join(lacks, ", "), strings.Join(lists, "; "))
	}
	if keepOne && len(remove) > 0 && len(remove) == len(listed) {
		return nil, fmt.Sprintf("%s: removing the members the configuration does not declare would leave the role with none, which the server "+
			"does not allow. Nothing was removed.", l.attr)
	}
	return remove, ""
}

// roleDiff names what differs between the plan and a read-back.
func roleDiff(ctx context.Context, plan, got roleModel) string {
	var diffs []string
	for _, a := range []struct {
		name       string
		want, have types.String
	}{{"name", plan.Name, got.Name}, {"description", plan.Description, got.Description}, {"role_type", plan.RoleType, got.RoleType}} {
		if a.want.ValueString() != a.have.ValueString() {
			diffs = append(diffs, fmt.Sprintf("%s = %q (planned %q)", a.name, a.have.ValueString(), a.want.ValueString()))
		}
	}
	var d diag.Diagnostics
	for _, l := range roleLists {
		want, have := plan.getList(l.attr).ids(ctx, l.kinds, &d), got.getList(l.attr).ids(ctx, l.kinds, &d)
		for _, k := range l.kinds {
			for _, id := range want[k] {
				if !containsFold(have[k], id) {
					diffs = append(diffs, fmt.Sprintf("%s.%s lacks %s", l.attr, kindAttr[k], id))
				}
			}
			for _, id := range have[k] {
				if !containsFold(want[k], id) {
					diffs = append(diffs, fmt.Sprintf("%s.%s also has %s", l.attr, kindAttr[k], id))
				}
			}
		}
	}
	return strings.Join(diffs, "; ")
}

package provider

// The model of vb365_restore_operator_role and its member sets: which
// member list holds which kinds, and the difference between two sets.

import (
	"context"
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

// keepSpelling replaces each ID that equals a known one ignoring case by
// the known spelling.
func keepSpelling(ids, known []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		for _, k := range known {
			if strings.EqualFold(k, id) {
				out[i] = k
				break
			}
		}
	}
	return out
}

// memberDiff compares the wanted principal IDs with the server's members:
// the IDs to add, by kind, and the member IDs to remove.
func memberDiff(want memberIDs, have []vb365.RoleMember) (add memberIDs, remove []string) {
	add = memberIDs{}
	for kind, ids := range want {
		for _, id := range ids {
			found := false
			for _, mem := range have {
				if mem.Kind == kind && strings.EqualFold(mem.PrincipalID, id) {
					found = true
					break
				}
			}
			if !found {
				add[kind] = append(add[kind], id)
			}
		}
	}
	for _, mem := range have {
		if !containsFold(want[mem.Kind], mem.PrincipalID) {
			remove = append(remove, mem.ID)
		}
	}
	return add, remove
}

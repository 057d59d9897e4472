package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// TestRemovalPlan: members are removed only when every declared member is
// in the list, matched in any spelling the server answers, and never the
// last one of a list that needs one (issue 20, defect 2).
func TestRemovalPlan(t *testing.T) {
	ops := roleLists[0]
	member := func(memberID, kind, principalID string) vb365.RoleMember {
		return vb365.RoleMember{ID: memberID, Kind: kind, PrincipalID: principalID}
	}
	for _, tc := range []struct {
		name    string
		want    memberIDs
		listed  []vb365.RoleMember
		keepOne bool
		remove  []string
		problem string
	}{
		{"extra removed", memberIDs{vb365.MemberUser: {"u1"}}, []vb365.RoleMember{member("m1", "User", "u1"), member("m2", "User", "u2")}, true, []string{"m2"}, ""},
		{"composite form is the declared member", memberIDs{vb365.MemberUser: {"u1"}}, []vb365.RoleMember{member("m1", "User", "org:1:user:U1")}, true, nil, ""},
		{"kind matters", memberIDs{vb365.MemberGroup: {"x"}}, []vb365.RoleMember{member("m1", "User", "x")}, true, nil, "still lacks group x"},
		{"declared member missing: nothing removed", memberIDs{vb365.MemberUser: {"u1"}}, []vb365.RoleMember{member("u1", "User", "S-1-5-21-1")}, true, nil, "Nothing was removed"},
		{"would be empty", memberIDs{}, []vb365.RoleMember{member("m1", "User", "u1")}, true, nil, "would leave the role with none"},
		{"may be empty", memberIDs{}, []vb365.RoleMember{member("m1", "User", "u1")}, false, []string{"m1"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			remove, problem := removalPlan(ops, tc.want, tc.listed, tc.keepOne)
			if !slices.Equal(remove, tc.remove) || (tc.problem == "") != (problem == "") || !strings.Contains(problem, tc.problem) {
				t.Fatalf("remove %v, problem %q; want %v, %q", remove, problem, tc.remove, tc.problem)
			}
			if problem != "" && !strings.HasPrefix(problem, "operators: ") {
				t.Errorf("the problem does not name the list: %q", problem)
			}
		})
	}
}

// TestMovingToSelected: an excluded member that the configuration selects
// leaves excluded_items first; the others later.
func TestMovingToSelected(t *testing.T) {
	excluded := []vb365.RoleMember{{ID: "m1", Kind: "User", PrincipalID: "u1"}, {ID: "m2", Kind: "User", PrincipalID: "org:1:user:u2"}, {ID: "m3", Kind: "Group", PrincipalID: "g3"}}
	moving, staying := movingToSelected(excluded, []string{"m2", "M3"}, memberIDs{vb365.MemberUser: {"U2"}})
	if !slices.Equal(moving, []string{"m2"}) || !slices.Equal(staying, []string{"m3"}) {
		t.Fatalf("moving %v, staying %v", moving, staying)
	}
}

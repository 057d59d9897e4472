package provider

import (
	"reflect"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

func userItem(itemID, userID string) vb365.AuditItem {
	return vb365.AuditItem{ID: itemID, Type: "User", User: &vb365.User{ID: userID}}
}

func groupItem(itemID, groupID string) vb365.AuditItem {
	return vb365.AuditItem{ID: itemID, Type: "Group", Group: &vb365.Group{ID: groupID}}
}

// TestMembersOf: items grouped by principal, case folded, unknown kinds
// kept apart, duplicates keep every item ID.
func TestMembersOf(t *testing.T) {
	items := []vb365.AuditItem{
		userItem("i1", "U1"),
		userItem("i2", "u1"), // the same user twice, other case
		groupItem("i3", "G1"),
		{ID: "i4", Type: "Team"}, // neither user nor group
		{ID: "i5", Type: "UserV2", User: &vb365.User{ID: "u2"}},
	}
	resolved := map[string]string{"i1": "U1", "i2": "u1", "i3": "G1", "i5": "u2"}
	m := membersOf(items, resolved)
	if got, want := m.users["u1"], (auditMember{id: "U1", itemIDs: []string{"i1", "i2"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("users[u1] = %+v, want %+v", got, want)
	}
	if got := m.ids(false); !reflect.DeepEqual(got, []string{"U1", "u2"}) {
		t.Errorf("user ids = %v", got)
	}
	if got := m.ids(true); !reflect.DeepEqual(got, []string{"G1"}) {
		t.Errorf("group ids = %v", got)
	}
	if len(m.other) != 1 || m.other[0].ID != "i4" {
		t.Errorf("other = %+v", m.other)
	}
}

// TestExtraItemsAndDiff: what the reconciliation removes, and what a
// read-back reports, for a table of lists and configurations.
func TestExtraItemsAndDiff(t *testing.T) {
	m := membersOf(
		[]vb365.AuditItem{userItem("i1", "u1"), userItem("i2", "u2"), userItem("i2b", "u2"), groupItem("i3", "g1"), {ID: "i4", Type: "Team"}},
		map[string]string{"i1": "u1", "i2": "u2", "i2b": "u2", "i3": "g1"},
	)
	for _, tc := range []struct {
		name                   string
		users, groups          []string
		extra                  []string
		missing, notConfigured []string
	}{
		{"all wanted", []string{"u1", "u2"}, []string{"g1"}, nil, nil, nil},
		{"case differs only", []string{"U1", "U2"}, []string{"G1"}, nil, nil, nil},
		{"nothing wanted: every known item goes, the unknown one stays", nil, nil, []string{"i1", "i2", "i2b", "i3"}, nil, []string{"group g1", "user u1", "user u2"}},
		{"a user leaves with both its items", []string{"u1"}, []string{"g1"}, []string{"i2", "i2b"}, nil, []string{"user u2"}},
		{"a wanted principal is missing", []string{"u1", "u2", "u3"}, []string{"g1", "g2"}, nil, []string{"group g2", "user u3"}, nil},
		{"a user ID is not a group ID", []string{"u1", "u2", "g1"}, nil, []string{"i3"}, []string{"user g1"}, []string{"group g1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := extraItems(m, tc.users, tc.groups); !reflect.DeepEqual(got, tc.extra) {
				t.Errorf("extraItems = %v, want %v", got, tc.extra)
			}
			missing, unexpected := diffMembers(m, tc.users, tc.groups)
			if !reflect.DeepEqual(missing, tc.missing) || !reflect.DeepEqual(unexpected, tc.notConfigured) {
				t.Errorf("diffMembers = %v, %v; want %v, %v", missing, unexpected, tc.missing, tc.notConfigured)
			}
		})
	}
}

func TestListOrNone(t *testing.T) {
	if got := listOrNone(nil); got != "none" {
		t.Errorf("listOrNone(nil) = %q", got)
	}
	if got := listOrNone([]string{"a", "b"}); got != "a, b" {
		t.Errorf("listOrNone = %q", got)
	}
}

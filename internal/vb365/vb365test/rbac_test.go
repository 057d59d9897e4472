package vb365test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestRoleQuirksAndHooks: the restore operator role behaviours the public
// evidence leaves open, the list fault that omits a role, and the record
// of the fewest members a role had.
func TestRoleQuirksAndHooks(t *testing.T) {
	s := Start(t, Options{})
	s.SeedDemo()
	org := s.Organization(DemoOrganizationID)
	u0, u1 := org.Users[0], org.Users[1]
	member := func(u *User) string {
		return `{"type":"User","user":{"id":"` + u.ID + `","displayName":"x","name":"` + u.Name + `","type":"User"}}`
	}
	tok := login(t, s, "v8")
	create := `{"name":"Helpdesk","description":"","roleType":"EntireOrganization","operators":[` + member(u0) + `],"selectedItems":[],"excludedItems":[]}`
	status, body := send(t, s, tok, http.MethodPost, "/v8/Organizations/"+org.ID+"/RbacRoles", create)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	var role struct{ ID string }
	_ = json.Unmarshal([]byte(body), &role)
	ops := "/v8/RbacRoles/" + role.ID + "/operators"

	// A second role of the name: refused, unless RoleNamesNotUnique.
	if status, _ := send(t, s, tok, http.MethodPost, "/v8/Organizations/"+org.ID+"/RbacRoles", strings.Replace(create, "Helpdesk", "HELPDESK", 1)); status != http.StatusBadRequest {
		t.Fatalf("a taken name: %d", status)
	}
	// A member already there: refused, unless RoleDuplicateMemberIgnored.
	if status, _ := send(t, s, tok, http.MethodPost, ops, "["+member(u0)+"]"); status != http.StatusBadRequest {
		t.Fatalf("a duplicate member: %d", status)
	}
	s.SetQuirks(Quirks{RoleNamesNotUnique: true, RoleDuplicateMemberIgnored: true, RoleMemberCompositePrincipalIDs: true})
	if status, _ := send(t, s, tok, http.MethodPost, ops, "["+member(u0)+","+member(u1)+"]"); status != http.StatusNoContent {
		t.Fatalf("a duplicate member with RoleDuplicateMemberIgnored: %d", status)
	}
	var listed []struct {
		ID   string
		User struct{ ID string }
	}
	get(t, s, tok, ops, &listed)
	if len(listed) != 2 || listed[0].ID != u0.ID || listed[0].User.ID != org.ID+":1:user:"+u0.ID || listed[1].User.ID != org.ID+":1:user:"+u1.ID {
		t.Fatalf("operators with RoleMemberCompositePrincipalIDs: %+v", listed)
	}
	if status, _ := send(t, s, tok, http.MethodPost, "/v8/Organizations/"+org.ID+"/RbacRoles", strings.Replace(create, "Helpdesk", "HELPDESK", 1)); status != http.StatusCreated {
		t.Fatalf("a taken name with RoleNamesNotUnique: %d", status)
	}

	// OmitRole leaves the role out of both lists, not out of GET by ID.
	// By ID, or by name ignoring case (both roles are named so).
	s.InjectFault(Fault{Route: "GET /Organizations/{organizationId}/RbacRoles", Times: 1, OmitRole: strings.ToUpper(role.ID)})
	s.InjectFault(Fault{Route: "GET /RbacRoles", Times: 1, OmitRole: "helpdesk"})
	var roles []struct{ ID, Name string }
	get(t, s, tok, "/v8/Organizations/"+org.ID+"/RbacRoles", &roles)
	if len(roles) != 1 || roles[0].Name != "HELPDESK" {
		t.Fatalf("organization list omitting %s: %+v", role.ID, roles)
	}
	roles = nil
	get(t, s, tok, "/v8/RbacRoles", &roles)
	if len(roles) != 0 {
		t.Fatalf("list omitting the name helpdesk: %+v", roles)
	}
	if status := get(t, s, tok, "/v8/RbacRoles/"+role.ID, nil); status != http.StatusOK {
		t.Fatalf("GET by ID: %d", status)
	}
	get(t, s, tok, "/v8/Organizations/"+org.ID+"/RbacRoles", &roles)
	if len(roles) != 2 {
		t.Fatalf("after the fault: %+v", roles)
	}

	// RoleLows: the fewest operators after any write.
	if status, _ := send(t, s, tok, http.MethodDelete, ops+"?ids="+u0.ID+","+u1.ID, ""); status != http.StatusNoContent {
		t.Fatalf("remove: %d", status)
	}
	low := s.RoleLows()[role.ID]
	if low.Name != "Helpdesk" || low.Operators != 0 || low.Selected != -1 || low.Writes != 3 {
		t.Fatalf("RoleLows: %+v", low)
	}
}

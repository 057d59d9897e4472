package vb365test

import (
	"net/http"
	"testing"
)

// admin sends an out-of-band request and returns its status.
func admin(t *testing.T, s *Server, method, path string, body string) int {
	t.Helper()
	code, _ := send(t, s, "", method, path, body)
	return code
}

// TestGroupMembersShapeAndAdmin: the Members page per version (totalCount
// before v8), the out-of-band add and remove by mail address.
func TestGroupMembersShapeAndAdmin(t *testing.T) {
	s := Start(t, Options{})
	s.SeedDemo()
	org := s.Organization(DemoOrganizationID)
	hr := org.groupNamed("HR")
	for _, v := range []string{"v6", "v7", "v8"} {
		var page map[string]any
		if code := get(t, s, login(t, s, v), "/"+v+"/Organizations/"+org.ID+"/Groups/"+hr.ID+"/Members", &page); code != http.StatusOK {
			t.Fatalf("%s: HTTP %d", v, code)
		}
		if _, has := page["totalCount"]; has != (v != "v8") {
			t.Errorf("%s: totalCount present = %v", v, has)
		}
		if n := len(page["results"].([]any)); n != 2 {
			t.Errorf("%s: %d members", v, n)
		}
	}
	q := "?organizationId=" + org.ID + "&groupName=HR&memberName=AlexW@contoso.onmicrosoft.com"
	if code := admin(t, s, http.MethodPost, "/_fake/group-members"+q, ""); code != http.StatusNoContent {
		t.Fatalf("add: HTTP %d", code)
	}
	if n := len(s.GroupMembers(org.ID, hr.ID)); n != 3 {
		t.Fatalf("after add: %d members", n)
	}
	if code := admin(t, s, http.MethodDelete, "/_fake/group-members"+q, ""); code != http.StatusNoContent || len(s.GroupMembers(org.ID, hr.ID)) != 2 {
		t.Fatalf("remove: HTTP %d", code)
	}
	if code := admin(t, s, http.MethodPost, "/_fake/group-members?organizationId="+org.ID+"&groupName=HR&memberName=nobody", ""); code != http.StatusNotFound {
		t.Fatalf("unknown member: HTTP %d", code)
	}
}

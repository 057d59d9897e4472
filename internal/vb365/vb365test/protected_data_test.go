package vb365test

import (
	"net/http"
	"testing"
)

// TestProtectedDataVersionsAndAdmin: the protected-data lists exist in v8
// only; /LicensedUsers in every version; the out-of-band removal takes a
// user out of the backup and keeps its licence, not backed up.
func TestProtectedDataVersionsAndAdmin(t *testing.T) {
	s := Start(t, Options{})
	s.SeedDemo()
	for _, v := range []string{"v6", "v7"} {
		if code := get(t, s, login(t, s, v), "/"+v+"/ProtectedUsers", nil); code != http.StatusNotFound {
			t.Errorf("%s /ProtectedUsers: HTTP %d", v, code)
		}
	}
	token := login(t, s, "v8")
	var before, after map[string]any
	get(t, s, token, "/v8/ProtectedUsers?organizationId="+DemoOrganizationID, &before)
	q := "?organizationId=" + DemoOrganizationID + "&userName=MeganB@contoso.onmicrosoft.com"
	if code := admin(t, s, http.MethodPost, "/_fake/protected-users/remove"+q, ""); code != http.StatusNoContent {
		t.Fatalf("remove: HTTP %d", code)
	}
	get(t, s, token, "/v8/ProtectedUsers?organizationId="+DemoOrganizationID, &after)
	if len(before["results"].([]any)) != len(after["results"].([]any))+1 {
		t.Fatalf("before %d, after %d", len(before["results"].([]any)), len(after["results"].([]any)))
	}
	var lic map[string]any
	get(t, s, token, "/v8/LicensedUsers?name=MeganB", &lic)
	if rs := lic["results"].([]any); len(rs) != 1 || rs[0].(map[string]any)["isBackedUp"] != false {
		t.Fatalf("licensed: %v", lic)
	}
	if code := admin(t, s, http.MethodPost, "/_fake/protected-users/remove"+q, ""); code != http.StatusNotFound {
		t.Fatalf("second remove: HTTP %d", code)
	}
}

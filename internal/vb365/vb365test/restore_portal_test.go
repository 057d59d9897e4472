package vb365test

import (
	"net/http"
	"testing"
)

// TestRestorePortalAnonymousAndAdmin: the settings answer without a token
// in every version (restorePortalUri from v7); the out-of-band PUT
// replaces them.
func TestRestorePortalAnonymousAndAdmin(t *testing.T) {
	s := Start(t, Options{})
	if code := admin(t, s, http.MethodPut, "/_fake/restore-portal", `{"enabled": true, "applicationId": "5b1f3c2a-9d8e-4f7a-b6c5-d4e3f2a1b0c9", "portalUri": "https://portal"}`); code != http.StatusNoContent {
		t.Fatalf("PUT: HTTP %d", code)
	}
	for _, v := range []string{"v6", "v7", "v8"} {
		var got map[string]any
		if code := get(t, s, "", "/"+v+"/RestorePortalSettings", &got); code != http.StatusOK {
			t.Fatalf("%s: HTTP %d", v, code)
		}
		if _, has := got["restorePortalUri"]; got["isEnabled"] != true || has != (v != "v6") {
			t.Errorf("%s: %v", v, got)
		}
	}
	if n := s.Count("POST /token"); n != 0 {
		t.Errorf("%d sign-ins", n)
	}
}

package provider

import (
	"strings"
	"testing"
)

// FuzzParseAuditItemID: whatever the import ID, parsing never panics, and
// what it accepts renders back to an ID that parses to the same parts.
func FuzzParseAuditItemID(f *testing.F) {
	for _, s := range []string{
		"6f144e6f-7f59-475f-8e1d-1bfa0b6bb020/user/a54b55d8", "org/GROUP/g", "org/user/AQUAAAAAAAUVAAAA/b64+sid/==",
		"org/team/x", "/user/x", "org/user/", "org/user/..", "../user/x", "", "org",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		org, kind, principal, ok := parseAuditItemID(id)
		if !ok {
			return
		}
		if org == "" || principal == "" || (kind != "user" && kind != "group") || strings.Contains(org, "/") {
			t.Fatalf("parseAuditItemID(%q) = %q, %q, %q", id, org, kind, principal)
		}
		if badID(org) != "" || badID(principal) != "" {
			t.Fatalf("parseAuditItemID(%q) accepted an unusable ID", id)
		}
		o2, k2, p2, ok2 := parseAuditItemID(auditItemID(org, kind, principal))
		if !ok2 || o2 != org || k2 != kind || p2 != principal {
			t.Fatalf("round trip of %q: %q %q %q %v", id, o2, k2, p2, ok2)
		}
	})
}

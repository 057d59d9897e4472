package vb365

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMatchAuditItem(t *testing.T) {
	const id = "a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000"
	items := []AuditItem{
		{ID: "i-name", Type: "User", User: &User{ID: "something-else", Name: "adelev@CONTOSO.onmicrosoft.com"}},
		{ID: "i-msid", Type: "User", User: &User{ID: "other", MSID: "A54B55D8-4A07-4755-9889-5001DED697F0"}},
		{ID: "i-seg", Type: "User", User: &User{ID: auditOrg + ":user:7:" + id}},
		{ID: "i-group", Type: "Group", Group: &Group{ID: id}},
	}
	p := Principal{Type: AuditTypeUser, ID: id, MSID: "a54b55d8-4a07-4755-9889-5001ded697f0", Name: "AdeleV@contoso.onmicrosoft.com"}
	// Strongest first: a segment beats the MSID, which beats the name; the
	// group with the same ID is never a user's item.
	if got := MatchAuditItem(items, p); got == nil || got.ID != "i-seg" {
		t.Fatalf("segment: %+v", got)
	}
	if got := MatchAuditItem(items[:2], p); got == nil || got.ID != "i-msid" {
		t.Fatalf("msid: %+v", got)
	}
	if got := MatchAuditItem(items[:1], p); got == nil || got.ID != "i-name" {
		t.Fatalf("name: %+v", got)
	}
	if got := MatchAuditItem(items[:1], Principal{Type: AuditTypeUser, ID: id}); got != nil {
		t.Fatalf("no name given, still matched %+v", got)
	}
	if got := MatchAuditItem(items, Principal{Type: AuditTypeGroup, ID: id}); got == nil || got.ID != "i-group" {
		t.Fatalf("group: %+v", got)
	}
	// Same name, different known MSID: someone else.
	other := []AuditItem{{ID: "x", Type: "User", User: &User{ID: "y", Name: p.Name, MSID: "00000000-0000-0000-0000-00000000abcd"}}}
	if got := MatchAuditItem(other, p); got != nil {
		t.Fatalf("matched a namesake: %+v", got)
	}
	// The ID itself may hold colons: everything after the third one.
	colon := []AuditItem{{ID: "c", Type: "User", User: &User{ID: "org:user:1:a:b"}}}
	if got := MatchAuditItem(colon, Principal{Type: AuditTypeUser, ID: "a:b"}); got == nil {
		t.Fatal("colon ID not matched")
	}
}

func FuzzIDMatch(f *testing.F) {
	f.Add("org:user:3:abc", "abc")
	f.Add("ABC", "abc")
	f.Add("a:b:c:d:e", "d:e")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, embedded, id string) {
		m := idMatch(embedded, id)
		if (embedded == "" || id == "") && m != matchNone {
			t.Fatalf("idMatch(%q, %q) = %d for an empty side", embedded, id, m)
		}
		if embedded != "" && utf8.ValidString(embedded) && idMatch(embedded, embedded) != matchID {
			t.Fatalf("idMatch(%q, itself) = %d", embedded, idMatch(embedded, embedded))
		}
		if utf8.ValidString(embedded) && utf8.ValidString(id) && idMatch(embedded, strings.ToUpper(id)) != idMatch(embedded, strings.ToLower(id)) &&
			strings.EqualFold(strings.ToUpper(id), strings.ToLower(id)) {
			t.Fatalf("idMatch(%q, %q) depends on case", embedded, id)
		}
	})
}

package vb365test

import (
	"testing"
)

func TestWildcard(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"Adele*", "Adele Vance", true},
		{"adele*", "Adele Vance", true},
		{"*Vance", "Adele Vance", true},
		{"A?ele Vance", "Adele Vance", true},
		{"A?ele", "Adele Vance", false},
		{"*", "", true},
		{"HR", "HR", true},
		{"HR", "HR team", false},
		{"*e*e*", "Adele", true},
		{"?", "", false},
	} {
		if got := wildcard(tc.pattern, tc.s); got != tc.want {
			t.Errorf("wildcard(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

// TestPagingWithSetID pages through 95 users by 40 and checks the links,
// the setId snapshot and the version's totalCount.
func TestPagingWithSetID(t *testing.T) {
	for _, version := range []string{"v8", "v7"} {
		t.Run(version, func(t *testing.T) {
			s := Start(t, Options{})
			org := s.AddOrganization(Organization{Name: "paging.onmicrosoft.com"})
			s.AddUsers(org.ID, 95)
			token := login(t, s, version)
			type page struct {
				Offset     int                          `json:"offset"`
				Limit      int                          `json:"limit"`
				SetID      string                       `json:"setId"`
				TotalCount *int                         `json:"totalCount"`
				Results    []map[string]any             `json:"results"`
				Links      map[string]map[string]string `json:"_links"`
			}
			base := "/" + version + "/Organizations/" + org.ID + "/Users"
			var first page
			get(t, s, token, base+"?limit=40", &first)
			if len(first.Results) != 40 || first.SetID == "" || first.Links["next"]["href"] == "" {
				t.Fatalf("first page: %d results, setId %q, links %v", len(first.Results), first.SetID, first.Links)
			}
			if (version == "v8") != (first.TotalCount == nil) {
				t.Fatalf("%s totalCount = %v", version, first.TotalCount)
			}
			// A user added now is not in the snapshot the setId names.
			s.AddUsers(org.ID, 1)
			var last page
			get(t, s, token, base+"?offset=80&limit=40&setId="+first.SetID, &last)
			if len(last.Results) != 15 || last.Links["next"] != nil {
				t.Fatalf("last page: %d results, links %v", len(last.Results), last.Links)
			}
			var fresh page
			get(t, s, token, base+"?offset=80&limit=40", &fresh)
			if len(fresh.Results) != 16 {
				t.Fatalf("without setId: %d results, want 16", len(fresh.Results))
			}
			var capped page
			get(t, s, token, base+"?limit=20000", &capped)
			if capped.Limit != 10000 || len(capped.Results) != 96 {
				t.Fatalf("limit above the maximum: limit %d, %d results", capped.Limit, len(capped.Results))
			}
			var dflt page
			get(t, s, token, base, &dflt)
			if dflt.Limit != 30 || len(dflt.Results) != 30 {
				t.Fatalf("default page: limit %d, %d results", dflt.Limit, len(dflt.Results))
			}
		})
	}
}

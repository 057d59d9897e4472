package vb365test

import (
	"net/http"
	"slices"
	"testing"
)

func TestPathsAndQueriesIgnoreCase(t *testing.T) {
	s := Start(t, Options{})
	s.SeedDemo()
	token := login(t, s, "V8")
	var page struct {
		Results []map[string]any `json:"results"`
	}
	if code := get(t, s, token, "/v8/organizations/"+DemoOrganizationID+"/USERS?USERNAME=adelev@CONTOSO.onmicrosoft.com", &page); code != 200 {
		t.Fatalf("HTTP %d", code)
	}
	if len(page.Results) != 1 || page.Results[0]["displayName"] != "Adele Vance" {
		t.Fatalf("results %v", page.Results)
	}
	if got := s.Count("GET /Organizations/{organizationId}/Users"); got != 1 {
		t.Fatalf("route count %d", got)
	}
}

// TestRouterOrderFree: which route answers does not depend on the order the
// routes were added in; a fixed segment beats a parameter; a route added
// twice for the same versions is refused.
func TestRouterOrderFree(t *testing.T) {
	fwd := newRouter()
	rev := &router{admin: map[string]func(*call){}}
	for i := len(fwd.routes) - 1; i >= 0; i-- {
		rev.routes = append(rev.routes, fwd.routes[i])
	}
	for _, rt := range fwd.routes {
		segs := slices.Clone(rt.pattern)
		for i := range segs {
			if segs[i] == "{}" {
				segs[i] = "remove" // a parameter that looks like a literal
			}
		}
		for _, v := range []string{"v6", "v7", "v8"} {
			a, _, _ := fwd.match(rt.method, v, segs)
			b, _, _ := rev.match(rt.method, v, segs)
			if (a == nil) != (b == nil) || (a != nil && a.name != b.name) {
				t.Errorf("%s %s %v: forward %v, reverse %v", rt.method, v, segs, a, b)
			}
		}
	}

	for _, order := range [][]string{{"/A/{id}", "/A/remove"}, {"/A/remove", "/A/{id}"}} {
		r := &router{}
		for _, tmpl := range order {
			r.handle(http.MethodPost, tmpl, func(*call) {})
		}
		if got, _, _ := r.match(http.MethodPost, "v8", []string{"a", "remove"}); got == nil || got.name != "POST /A/remove" {
			t.Errorf("order %v: %v", order, got)
		}
	}

	r := &router{}
	r.handle(http.MethodPost, "/A/SendTest", func(*call) {}, onlyVersions("v6", "v7"))
	r.handle(http.MethodPost, "/A/SendTest", func(*call) {}, onlyVersions("v8")) // other versions: fine
	defer func() {
		if recover() == nil {
			t.Error("a route served twice for v7 was accepted")
		}
	}()
	r.handle(http.MethodPost, "/A/SendTest", func(*call) {}, onlyVersions("v7"))
}

package vb365test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// The fake's own tests speak raw HTTP, like any client of the real server.

func login(t *testing.T, s *Server, version string) string {
	t.Helper()
	form := url.Values{"grant_type": {"password"}, "username": {s.Username()}, "password": {s.Password()}}
	resp, err := http.PostForm(s.URL+"/"+version+"/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("token: HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" || tok.ExpiresIn != 3600 {
		t.Fatalf("token answer %+v, %v", tok, err)
	}
	return tok.AccessToken
}

func get(t *testing.T, s *Server, token, path string, out any) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if out != nil && len(body) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, body)
		}
	}
	return resp.StatusCode
}

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

func TestBearerCheckAndExpiry(t *testing.T) {
	s := Start(t, Options{})
	s.SeedDemo()
	var body map[string]any
	if code := get(t, s, "", "/v8/Organizations", &body); code != http.StatusUnauthorized || body["message"] == nil {
		t.Fatalf("no token: HTTP %d %v", code, body)
	}
	token := login(t, s, "v8")
	if code := get(t, s, token, "/v8/Organizations", nil); code != 200 {
		t.Fatalf("HTTP %d", code)
	}
	s.ExpireTokens()
	if code := get(t, s, token, "/v8/Organizations", nil); code != http.StatusUnauthorized {
		t.Fatalf("expired token: HTTP %d", code)
	}
}

func TestBadCredentialsAnswerOAuthError(t *testing.T) {
	s := Start(t, Options{})
	resp, err := http.PostForm(s.URL+"/v8/token", url.Values{"grant_type": {"password"}, "username": {s.Username()}, "password": {"wrong"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != http.StatusBadRequest || body["error"] != "invalid_grant" || body["error_description"] == "" {
		t.Fatalf("HTTP %d %v", resp.StatusCode, body)
	}
}

func TestTokenThrottle(t *testing.T) {
	now := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	s := Start(t, Options{Quirks: Quirks{ThrottleToken: true}})
	s.SetClock(func() time.Time { return now })
	// post returns the status and the Retry-After header of a token request.
	post := func() (int, string) {
		resp, err := http.PostForm(s.URL+"/v8/token", url.Values{"grant_type": {"password"}, "username": {s.Username()}, "password": {s.Password()}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Retry-After")
	}
	if code, _ := post(); code != 200 {
		t.Fatalf("first: HTTP %d", code)
	}
	if code, retryAfter := post(); code != http.StatusTooManyRequests || retryAfter != "1" {
		t.Fatalf("second in the same second: HTTP %d Retry-After %q", code, retryAfter)
	}
	for i := 0; i < 4; i++ {
		now = now.Add(1100 * time.Millisecond)
		if code, _ := post(); code != 200 {
			t.Fatalf("request %d: HTTP %d", i+2, code)
		}
	}
	now = now.Add(1100 * time.Millisecond)
	if code, _ := post(); code != http.StatusTooManyRequests {
		t.Fatalf("sixth in a minute: HTTP %d", code)
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

func TestOrganizationsShapePerVersion(t *testing.T) {
	s := Start(t, Options{})
	s.SeedDemo()
	for _, version := range []string{"v6", "v7"} {
		var orgs []map[string]any
		if code := get(t, s, login(t, s, version), "/"+version+"/Organizations", &orgs); code != 200 || len(orgs) != 2 {
			t.Fatalf("%s: HTTP %d, %d organizations in a bare array", version, code, len(orgs))
		}
		if _, has := orgs[0]["description"]; has != (version == "v7") {
			t.Fatalf("%s: description present = %v", version, has)
		}
	}
	var page struct {
		Results []map[string]any `json:"results"`
	}
	if code := get(t, s, login(t, s, "v8"), "/v8/Organizations", &page); code != 200 || len(page.Results) != 2 {
		t.Fatalf("v8: HTTP %d, %d organizations in a page", code, len(page.Results))
	}
	var nf map[string]any
	if code := get(t, s, login(t, s, "v8"), "/v8/Organizations/11111111-2222-3333-4444-555555555555", &nf); code != 404 || nf["errorCode"] != "ResourceNotFound" {
		t.Fatalf("unknown organization: HTTP %d %v", code, nf)
	}
	if code := get(t, s, "", "/v5/Organizations", nil); code != 404 {
		t.Fatalf("unknown version: HTTP %d", code)
	}
}

func TestFaultsAndRequestLog(t *testing.T) {
	s := Start(t, Options{})
	s.SeedDemo()
	token := login(t, s, "v8")
	s.InjectFault(Fault{Route: "GET /Organizations", Status: 503, Times: 2, RetryAfter: "3"})
	for i, want := range []int{503, 503, 200} {
		if code := get(t, s, token, "/v8/Organizations", nil); code != want {
			t.Fatalf("request %d: HTTP %d, want %d", i, code, want)
		}
	}
	s.InjectFault(Fault{Route: "*", Drop: true, Times: 1})
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/v8/Organizations", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	// A fresh connection: on a reused one net/http would retry the GET itself.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped connection answered HTTP %d", resp.StatusCode)
	}
	counts := s.CountByRoute()
	if counts["POST /token"] != 1 || counts["GET /Organizations"] < 3 {
		t.Fatalf("counts %v", counts)
	}
	if !strings.Contains(s.Requests()[1].Path, "/v8/Organizations") {
		t.Fatalf("log %v", s.Requests())
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

func send(t *testing.T, s *Server, token, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

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

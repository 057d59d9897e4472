package vb365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

const (
	usersRoute = "GET /Organizations/{organizationId}/Users"
	userRoute  = "GET /Organizations/{organizationId}/Users/{userId}"
	orgRoute   = "GET /Organizations/{organizationId}"

	// Patti Fernandez, the hybrid user of SeedDemo: a composite ID with a
	// base64 SID appended, no UUID.
	pattiID = "fafba54d-7ec0-4066-b96d-13be036200f800000000-0000-0000-0000-000000000000AQUAAAAAAAUVAAAAervaJPfu-8CbZ-GQjggAAA"
	// seededUsers is how many users SeedDemo gives Contoso.
	seededUsers = 7
)

// queriesOf returns the parsed queries of the logged requests of a route.
func queriesOf(fake *vb365test.Server, route string) []url.Values {
	var out []url.Values
	for _, r := range fake.Requests() {
		if r.Route == route {
			q, _ := url.ParseQuery(r.Query)
			out = append(out, q)
		}
	}
	return out
}

func TestListUsersPagesLargeOrganization(t *testing.T) {
	for _, v := range []APIVersion{V8, V7} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			fake.AddUsers(vb365test.DemoOrganizationID, 25000)
			const total = 25000 + seededUsers
			ctx := context.Background()

			for _, tc := range []struct {
				pageSize, wantGets, wantLimit int
			}{
				{0, 3, 10000},    // maxPageSize: ceil(25007 / 10000)
				{1000, 26, 1000}, // ceil(25007 / 1000)
			} {
				if v != V8 && tc.pageSize != 0 {
					continue // the small page only in v8: it is slow under -race
				}
				t.Run(fmt.Sprintf("pageSize=%d", tc.pageSize), func(t *testing.T) {
					c := newTestClient(t, fake.URL, withVersion(v))
					fake.ResetRequests()
					users, err := c.ListUsers(ctx, vb365test.DemoOrganizationID, UserFilter{PageSize: tc.pageSize})
					if err != nil {
						t.Fatalf("ListUsers: %v", err)
					}
					if len(users) != total {
						t.Fatalf("got %d users, want %d", len(users), total)
					}
					// Server order, no duplicates, no gaps.
					if users[0].Name != "AdeleV@contoso.onmicrosoft.com" || users[6].ID != pattiID {
						t.Fatalf("first users = %+v / %+v", users[0], users[6])
					}
					seen := make(map[string]bool, total)
					for i, u := range users[seededUsers:] {
						want := fmt.Sprintf("user%05d@contoso.onmicrosoft.com", i+seededUsers+1)
						if u.Name != want || u.DisplayName != fmt.Sprintf("Generated User %05d", i+seededUsers+1) || u.LocationType != "Cloud" || u.Type != "User" {
							t.Fatalf("user %d = %+v, want %s", i+seededUsers, u, want)
						}
						if seen[u.ID] {
							t.Fatalf("duplicate ID %s", u.ID)
						}
						seen[u.ID] = true
					}
					if n := fake.Count(usersRoute); n != tc.wantGets {
						t.Fatalf("%d GETs of %s, want %d", n, usersRoute, tc.wantGets)
					}
					if n := fake.Count("POST /token"); n != 1 {
						t.Fatalf("%d logins, want 1", n)
					}
					qs := queriesOf(fake, usersRoute)
					for i, q := range qs {
						if q.Get("offset") != fmt.Sprint(i*tc.wantLimit) || q.Get("limit") != fmt.Sprint(tc.wantLimit) {
							t.Fatalf("request %d query = %v", i, q)
						}
						if (i == 0) == q.Has("setId") || (i > 0 && q.Get("setId") != qs[1].Get("setId")) {
							t.Fatalf("request %d setId = %q", i, q.Get("setId"))
						}
					}
				})
			}
		})
	}
}

// TestListUsersIgnoresTotalCount: v7 pages carry totalCount, v8 pages do
// not; the client pages the same way and never relies on it.
func TestListUsersTotalCountPerVersion(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	for v, want := range map[APIVersion]bool{V7: true, V8: false} {
		t.Run(string(v), func(t *testing.T) {
			var sawTotal []bool
			hc := &http.Client{Transport: pageSniffer(func(r *http.Request) (*http.Response, error) {
				resp, err := http.DefaultTransport.RoundTrip(r)
				if err != nil || !strings.HasSuffix(r.URL.Path, "/Users") {
					return resp, err
				}
				b, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				var m map[string]json.RawMessage
				_ = json.Unmarshal(b, &m)
				_, ok := m["totalCount"]
				sawTotal = append(sawTotal, ok)
				resp.Body = io.NopCloser(strings.NewReader(string(b)))
				return resp, nil
			})}
			c := newTestClient(t, fake.URL, withVersion(v), func(cfg *Config) { cfg.HTTPClient = hc })
			users, err := c.ListUsers(context.Background(), vb365test.DemoOrganizationID, UserFilter{PageSize: 3})
			if err != nil || len(users) != seededUsers {
				t.Fatalf("ListUsers = %d users, %v", len(users), err)
			}
			if fmt.Sprint(sawTotal) != fmt.Sprint([]bool{want, want, want}) {
				t.Fatalf("totalCount present per page = %v, want %v", sawTotal, want)
			}
		})
	}
}

type pageSniffer func(*http.Request) (*http.Response, error)

func (f pageSniffer) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestListUsersFilters(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	names := func(us []User) string {
		var s []string
		for _, u := range us {
			s = append(s, u.Name)
		}
		return strings.Join(s, ",")
	}
	for _, tc := range []struct {
		f         UserFilter
		want      string
		wantQuery string
	}{
		{UserFilter{UserName: "pattif@CONTOSO.onmicrosoft.com"}, "PattiF@contoso.onmicrosoft.com", "limit=10000&offset=0&userName=pattif%40CONTOSO.onmicrosoft.com"},
		{UserFilter{DisplayName: "A*"}, "AdeleV@contoso.onmicrosoft.com,AlexW@contoso.onmicrosoft.com", "displayName=A%2A&limit=10000&offset=0"},
		{UserFilter{DisplayName: "?egan bowen"}, "MeganB@contoso.onmicrosoft.com", ""},
		{UserFilter{LocationFilter: "Hybrid"}, "PattiF@contoso.onmicrosoft.com", "limit=10000&locationFilter=Hybrid&offset=0"},
		{UserFilter{LocationFilter: "OnPremises"}, "", ""},
		{UserFilter{LocationFilter: "CloudOrHybrid", DisplayName: "*e*"}, "AdeleV@contoso.onmicrosoft.com,AlexW@contoso.onmicrosoft.com,MeganB@contoso.onmicrosoft.com,NestorW@contoso.onmicrosoft.com,ceo@contoso.onmicrosoft.com,shared-finance@contoso.onmicrosoft.com,PattiF@contoso.onmicrosoft.com", ""},
		{UserFilter{LocationFilter: "Cloud", DisplayName: "P*"}, "", ""},
		{UserFilter{UserName: "nobody@contoso.onmicrosoft.com"}, "", ""},
	} {
		fake.ResetRequests()
		users, err := c.ListUsers(ctx, vb365test.DemoOrganizationID, tc.f)
		if err != nil {
			t.Fatalf("ListUsers(%+v): %v", tc.f, err)
		}
		if got := names(users); got != tc.want {
			t.Errorf("ListUsers(%+v) = %s, want %s", tc.f, got, tc.want)
		}
		if tc.wantQuery != "" {
			qs := queriesOf(fake, usersRoute)
			if len(qs) != 1 || qs[0].Encode() != tc.wantQuery {
				t.Errorf("ListUsers(%+v) queries = %v, want %s", tc.f, qs, tc.wantQuery)
			}
		}
	}
	// An invalid location filter is the server's 400.
	if _, err := c.ListUsers(ctx, vb365test.DemoOrganizationID, UserFilter{LocationFilter: "Everywhere"}); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("bad locationFilter: %v", err)
	}
}

func TestGetUserCompositeID(t *testing.T) {
	for _, v := range []APIVersion{V8, V7} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			c := newTestClient(t, fake.URL, withVersion(v))
			ctx := context.Background()
			fake.ResetRequests()
			u, err := c.GetUser(ctx, vb365test.DemoOrganizationID, pattiID)
			if err != nil {
				t.Fatalf("GetUser: %v", err)
			}
			want := User{
				ID: pattiID, Name: "PattiF@contoso.onmicrosoft.com", DisplayName: "Patti Fernandez", Type: "User",
				LocationType: "Hybrid", OnPremisesSID: "S-1-5-21-620408442-2499537385-1871349438-2190",
				MSID: "fafba54d-7ec0-4066-b96d-13be036200f8",
			}
			if v == V7 {
				want.MSID = "" // msid is v8
			}
			links := u.Links
			u.Links = nil
			if !reflect.DeepEqual(*u, want) {
				t.Fatalf("user = %+v\nwant   %+v", *u, want)
			}
			if links["self"] == nil || links["self"].Href != "/"+string(v)+"/Organizations/"+vb365test.DemoOrganizationID+"/Users/"+pattiID {
				t.Fatalf("self link = %+v", links["self"])
			}
			reqs := fake.Requests()
			if len(reqs) != 2 || reqs[1].Route != userRoute || reqs[1].Path != "/"+string(v)+"/Organizations/"+vb365test.DemoOrganizationID+"/Users/"+pattiID {
				t.Fatalf("requests = %+v", reqs)
			}
		})
	}
}

func TestGetUserNotFound(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	_ = c.Login(ctx)

	// A missing user: two requests (the user, then the organization).
	fake.ResetRequests()
	missing := "0e9c4a4e-0000-4000-8000-00000000009900000000-0000-0000-0000-000000000000"
	u, err := c.GetUser(ctx, vb365test.DemoOrganizationID, missing)
	var nf *NotFoundError
	if u != nil || !errors.As(err, &nf) || nf.Kind != "user" || nf.Key != "id" || nf.Value != missing || IsOrganizationNotFound(err) {
		t.Fatalf("GetUser(missing) = %v, %#v", u, err)
	}
	if got := fake.CountByRoute(); got[userRoute] != 1 || got[orgRoute] != 1 || len(got) != 2 {
		t.Fatalf("requests = %v", got)
	}

	// A missing organization.
	const noOrg = "11111111-2222-3333-4444-555555555555"
	u, err = c.GetUser(ctx, noOrg, pattiID)
	if u != nil || !IsOrganizationNotFound(err) || !errors.Is(err, ErrNotFound) || err.Error() != `no organization with id "`+noOrg+`"` {
		t.Fatalf("GetUser(unknown org) = %v, %v", u, err)
	}
	users, err := c.ListUsers(ctx, noOrg, UserFilter{})
	if users != nil || !IsOrganizationNotFound(err) {
		t.Fatalf("ListUsers(unknown org) = %v, %v", users, err)
	}

	// Other failures pass through unchanged, and without the extra request.
	fake.InjectFault(vb365test.Fault{Route: userRoute, Status: http.StatusForbidden})
	fake.ResetRequests()
	if _, err := c.GetUser(ctx, vb365test.DemoOrganizationID, pattiID); !errors.Is(err, ErrForbidden) || errors.Is(err, ErrNotFound) {
		t.Fatalf("GetUser(403) = %v", err)
	}
	if n := fake.Count(orgRoute); n != 0 {
		t.Fatalf("%d organization requests after a 403", n)
	}
}

func TestFindUserByNameLargeOrganization(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	fake.AddUsers(vb365test.DemoOrganizationID, 25000)
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	_ = c.Login(ctx)

	for name, wantID := range map[string]string{
		"PattiF@contoso.onmicrosoft.com":    pattiID,
		"pattif@CONTOSO.ONMICROSOFT.COM":    pattiID,
		"user24999@contoso.onmicrosoft.com": "",
	} {
		fake.ResetRequests()
		u, err := c.FindUserByName(ctx, vb365test.DemoOrganizationID, name)
		if err != nil {
			t.Fatalf("FindUserByName(%q): %v", name, err)
		}
		if !strings.EqualFold(u.Name, name) || (wantID != "" && u.ID != wantID) {
			t.Fatalf("FindUserByName(%q) = %+v", name, u)
		}
		// One request to the users routes, whatever the organization's size.
		if got := fake.CountByRoute(); got[usersRoute] != 1 || len(got) != 1 {
			t.Fatalf("FindUserByName(%q) requests = %v, want 1", name, got)
		}
		if q := queriesOf(fake, usersRoute)[0]; q.Get("userName") != name || q.Get("limit") != "10000" {
			t.Fatalf("query = %v", q)
		}
	}

	// No match names what was searched.
	u, err := c.FindUserByName(ctx, vb365test.DemoOrganizationID, "nobody@contoso.onmicrosoft.com")
	var nf *NotFoundError
	if u != nil || !errors.As(err, &nf) || IsOrganizationNotFound(err) {
		t.Fatalf("miss = %v, %v", u, err)
	}
	if want := `no user with name "nobody@contoso.onmicrosoft.com" in organization ` + vb365test.DemoOrganizationID; err.Error() != want {
		t.Fatalf("miss message = %q, want %q", err, want)
	}
	// A prefix is not a match, even if a server matched it.
	if _, err := c.FindUserByName(ctx, vb365test.DemoOrganizationID, "PattiF"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("prefix: %v", err)
	}
	if _, err := c.FindUserByName(ctx, "11111111-2222-3333-4444-555555555555", "PattiF@contoso.onmicrosoft.com"); !IsOrganizationNotFound(err) {
		t.Fatalf("unknown org: %v", err)
	}
}

func TestFindUserByDisplayName(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	fake.AddUsers(vb365test.DemoOrganizationID, 25000)
	fake.AddUser(vb365test.DemoOrganizationID, vb365test.User{Name: "AdeleV2@contoso.onmicrosoft.com", DisplayName: "Adele Vance", ID: "adele-two-id"})
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	_ = c.Login(ctx)
	org := vb365test.DemoOrganizationID

	// Exact, ignoring case; and a wildcard with one match.
	for _, dn := range []string{"megan bowen", "Patti*", "?atti Fernandez", "Generated User 12345"} {
		fake.ResetRequests()
		u, err := c.FindUserByDisplayName(ctx, org, dn)
		if err != nil {
			t.Fatalf("FindUserByDisplayName(%q): %v", dn, err)
		}
		if dn == "Patti*" && u.ID != pattiID {
			t.Fatalf("Patti* = %+v", u)
		}
		if dn == "Generated User 12345" && u.Name != "user12345@contoso.onmicrosoft.com" {
			t.Fatalf("generated = %+v", u)
		}
		if got := fake.CountByRoute(); got[usersRoute] != 1 || len(got) != 1 {
			t.Fatalf("%q: requests = %v, want 1", dn, got)
		}
	}

	// Ambiguous: both Adeles, names and IDs.
	_, err := c.FindUserByDisplayName(ctx, org, "Adele Vance")
	var amb *AmbiguousError
	if !errors.As(err, &amb) || amb.Kind != "user" || amb.Key != "display_name" || amb.OrganizationID != org || amb.Truncated {
		t.Fatalf("ambiguous = %#v", err)
	}
	want := []Match{
		{ID: "a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000", Name: "AdeleV@contoso.onmicrosoft.com", DisplayName: "Adele Vance"},
		{ID: "adele-two-id", Name: "AdeleV2@contoso.onmicrosoft.com", DisplayName: "Adele Vance"},
	}
	if !reflect.DeepEqual(amb.Matches, want) {
		t.Fatalf("matches = %+v", amb.Matches)
	}

	// A wildcard matching the whole organization stops after the first page.
	fake.ResetRequests()
	_, err = c.FindUserByDisplayName(ctx, org, "Generated*")
	if !errors.As(err, &amb) || len(amb.Matches) != 10000 || !amb.Truncated || !strings.HasPrefix(err.Error(), "10000 or more users") {
		t.Fatalf("wide wildcard = %d matches, truncated %v", len(amb.Matches), amb.Truncated)
	}
	if n := fake.Count(usersRoute); n != 1 {
		t.Fatalf("wide wildcard: %d requests, want 1", n)
	}

	// No match.
	_, err = c.FindUserByDisplayName(ctx, org, "Nobody*")
	if want := `no user with display_name "Nobody*" in organization ` + org; err == nil || err.Error() != want || !errors.Is(err, ErrNotFound) {
		t.Fatalf("miss = %v", err)
	}
}

// TestUsersAndGroupsContract runs the four operations through the OpenAPI
// validator of each version: requests and answers must match the documents.
func TestUsersAndGroupsContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7} {
		t.Run(string(v), func(t *testing.T) {
			val, err := contract.Load(string(v))
			if err != nil {
				t.Fatal(err)
			}
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			fake.AddGroup(vb365test.DemoOrganizationID, vb365test.Group{Name: "Sales@contoso.onmicrosoft.com", DisplayName: "Sales", LocationType: "Hybrid",
				OnPremisesSID: "S-1-5-21-1-2-3-1001", ID: vb365test.HybridPrincipalID("0b1c2d3e-0000-4000-8000-000000000777", "AQUAAAAAAAUVAAAAgroup")})
			c := newTestClient(t, fake.URL, withVersion(v), func(cfg *Config) {
				cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport)}
			})
			ctx := context.Background()
			org := vb365test.DemoOrganizationID

			users, err := c.ListUsers(ctx, org, UserFilter{PageSize: 3}) // three pages, with setId
			if err != nil || len(users) != seededUsers {
				t.Fatalf("ListUsers: %d, %v", len(users), err)
			}
			if _, err := c.ListUsers(ctx, org, UserFilter{UserName: "PattiF@contoso.onmicrosoft.com", DisplayName: "P*", LocationFilter: "CloudOrHybrid"}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetUser(ctx, org, pattiID); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetUser(ctx, org, "missing"); !errors.Is(err, ErrNotFound) {
				t.Fatal(err)
			}
			if _, err := c.FindUserByDisplayName(ctx, org, "A*"); !errors.Is(err, ErrAmbiguous) {
				t.Fatal(err)
			}
			groups, err := c.ListGroups(ctx, org, GroupFilter{PageSize: 2})
			if err != nil || len(groups) != 4 {
				t.Fatalf("ListGroups: %d, %v", len(groups), err)
			}
			if _, err := c.ListGroups(ctx, org, GroupFilter{GroupName: "hr@contoso.onmicrosoft.com", DisplayName: "H?", LocationFilter: "Any"}); err != nil {
				t.Fatal(err)
			}
			for _, g := range groups {
				if _, err := c.GetGroup(ctx, org, g.ID); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := c.GetGroup(ctx, "11111111-2222-3333-4444-555555555555", "x"); !IsOrganizationNotFound(err) {
				t.Fatal(err)
			}
			if vs := val.Violations(); len(vs) > 0 {
				t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
			}
			routes := val.Routes()
			for _, op := range []string{"/Organizations/{organizationId}/Users", "/Organizations/{organizationId}/Users/{userId}", "/Organizations/{organizationId}/Groups", "/Organizations/{organizationId}/Groups/{groupId}"} {
				if routes["GET /"+string(v)+op] == 0 {
					t.Errorf("GET /%s%s was not validated; routes = %v", v, op, routes)
				}
			}
		})
	}
}

// A looked-up principal must be the one asked for.
func TestGetPrincipalChecksID(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	u := demoUser(t, fake, "ceo@contoso.onmicrosoft.com")
	other := demoUser(t, fake, "AlexW@contoso.onmicrosoft.com")
	c := newTestClient(t, fake.URL)
	for name, body := range map[string]string{
		"empty object": `{}`,
		"another user": `{"id":"` + other.ID + `","name":"AlexW@contoso.onmicrosoft.com"}`,
		"empty body":   ``,
	} {
		fake.ClearFaults()
		fake.InjectFault(vb365test.Fault{Route: "GET /Organizations/{organizationId}/Users/{userId}", Body: ptr(body)})
		if got, err := c.GetUser(context.Background(), auditOrg, u.ID); !errors.Is(err, ErrBadAnswer) {
			t.Fatalf("%s: GetUser = %+v, %v; want ErrBadAnswer", name, got, err)
		}
	}
	fake.ClearFaults()
	// The same ID in other case is the same user.
	if got, err := c.GetUser(context.Background(), auditOrg, strings.ToUpper(u.ID)); err != nil && !errors.Is(err, ErrNotFound) {
		t.Fatalf("GetUser upper case: %+v, %v", got, err)
	}
}

package vb365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func TestListOrganizationsV8Paged(t *testing.T) {
	// A small default page limit: the client must not rely on the default.
	fake := vb365test.Start(t, vb365test.Options{DefaultPageLimit: 5})
	for i := 1; i <= 25; i++ {
		fake.AddOrganization(vb365test.Organization{Name: fmt.Sprintf("tenant%02d.onmicrosoft.com", i), Description: fmt.Sprintf("Tenant %d", i)})
	}
	c := newTestClient(t, fake.URL)
	orgs, err := c.ListOrganizations(context.Background())
	if err != nil {
		t.Fatalf("ListOrganizations: %v", err)
	}
	if len(orgs) != 25 {
		t.Fatalf("got %d organizations, want 25", len(orgs))
	}
	for i, o := range orgs {
		want := fmt.Sprintf("tenant%02d.onmicrosoft.com", i+1)
		if o.Name != want || o.OfficeName != want || o.Description != fmt.Sprintf("Tenant %d", i+1) || o.ID == "" || o.Type != "Office365" || o.Region != "Worldwide" {
			t.Fatalf("org %d = %+v", i, o)
		}
		if o.Links["self"] == nil || o.Links["self"].Href != "/v8/Organizations/"+o.ID {
			t.Fatalf("org %d self link = %+v", i, o.Links["self"])
		}
	}
	var gets []vb365test.LoggedRequest
	for _, r := range fake.Requests() {
		if r.Route == "GET /Organizations" {
			gets = append(gets, r)
		}
	}
	if len(gets) != 1 {
		t.Fatalf("%d GET /Organizations, want exactly 1", len(gets))
	}
	q, _ := url.ParseQuery(gets[0].Query)
	if q.Get("offset") != "0" || q.Get("limit") != "10000" || q.Has("setId") || gets[0].Version != "v8" {
		t.Fatalf("query = %q (version %s), want offset=0 limit=10000", gets[0].Query, gets[0].Version)
	}
}

func TestListOrganizationsBareArray(t *testing.T) {
	for _, v := range []APIVersion{V6, V7} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			c := newTestClient(t, fake.URL, withVersion(v))
			orgs, err := c.ListOrganizations(context.Background())
			if err != nil {
				t.Fatalf("ListOrganizations: %v", err)
			}
			if len(orgs) != 2 || orgs[0].ID != vb365test.DemoOrganizationID || orgs[0].Name != vb365test.DemoOrganization || orgs[1].Type != "Hybrid" {
				t.Fatalf("orgs = %+v", orgs)
			}
			// v6 has no description; v7 has it.
			wantDesc := "Contoso production tenant"
			if v == V6 {
				wantDesc = ""
			}
			if orgs[0].Description != wantDesc {
				t.Fatalf("description = %q, want %q", orgs[0].Description, wantDesc)
			}
			reqs := fake.Requests()
			last := reqs[len(reqs)-1]
			q, _ := url.ParseQuery(last.Query)
			if last.Route != "GET /Organizations" || last.Version != string(v) || q.Has("offset") || q.Has("limit") || last.Path != "/"+string(v)+"/Organizations" {
				t.Fatalf("request = %+v, want a plain GET /%s/Organizations", last, v)
			}
		})
	}
}

func TestGetOrganization(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	ctx := context.Background()

	org, err := c.GetOrganization(ctx, vb365test.DemoOrganizationID)
	if err != nil {
		t.Fatalf("GetOrganization: %v", err)
	}
	want := Organization{
		ID: vb365test.DemoOrganizationID, Name: vb365test.DemoOrganization, OfficeName: vb365test.DemoOrganization,
		Description: "Contoso production tenant", Type: "Office365", Region: "Worldwide",
		IsExchangeOnline: true, IsSharePointOnline: true, IsTeamsOnline: true,
		MSID: "1c2d3e4f-0000-4000-8000-000000000001",
	}
	links := org.Links
	org.Links = nil
	if !reflect.DeepEqual(*org, want) {
		t.Fatalf("org = %+v\nwant  %+v", *org, want)
	}
	if links["users"] == nil || links["users"].Href != "/v8/Organizations/"+vb365test.DemoOrganizationID+"/Users" {
		t.Fatalf("users link = %+v", links["users"])
	}

	// GUIDs compare without case on the server.
	if o, err := c.GetOrganization(ctx, strings.ToUpper(vb365test.DemoOrganizationID)); err != nil || o.Name != vb365test.DemoOrganization {
		t.Fatalf("upper-case ID: %v, %v", o, err)
	}

	for _, id := range []string{"0e9c4a4e-0000-4000-8000-000000000099", "a/b?c#d"} {
		o, err := c.GetOrganization(ctx, id)
		if !errors.Is(err, ErrNotFound) || o != nil {
			t.Fatalf("GetOrganization(%q) = %v, %v; want ErrNotFound", id, o, err)
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.ErrorCode != "ResourceNotFound" || !strings.Contains(apiErr.Message, id) {
			t.Fatalf("GetOrganization(%q) err = %+v", id, err)
		}
	}
	// The odd ID was sent as one escaped segment, not as a path or query.
	reqs := fake.Requests()
	last := reqs[len(reqs)-1]
	if q, _ := url.ParseQuery(last.Query); last.Route != "GET /Organizations/{organizationId}" || q.Has("c") {
		t.Fatalf("last request = %+v", last)
	}
}

func TestFindOrganizationByName(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	fake.AddOrganization(vb365test.Organization{Name: "Northwind", OfficeName: "northwind.onmicrosoft.com"})
	c := newTestClient(t, fake.URL)
	ctx := context.Background()

	for name, wantName := range map[string]string{
		"CONTOSO.onmicrosoft.com":   vb365test.DemoOrganization,
		"Fabrikam.OnMicrosoft.com":  "fabrikam.onmicrosoft.com",
		"northwind":                 "Northwind",
		"NorthWind.onmicrosoft.com": "Northwind", // by the Microsoft 365 name
	} {
		org, err := c.FindOrganizationByName(ctx, name)
		if err != nil {
			t.Fatalf("FindOrganizationByName(%q): %v", name, err)
		}
		if org.Name != wantName {
			t.Fatalf("FindOrganizationByName(%q) = %q, want %q", name, org.Name, wantName)
		}
	}
	if org, err := c.FindOrganizationByName(ctx, vb365test.DemoOrganization); err != nil || org.ID != vb365test.DemoOrganizationID {
		t.Fatalf("exact name: %v, %v", org, err)
	}

	org, err := c.FindOrganizationByName(ctx, "missing.onmicrosoft.com")
	if org != nil || !errors.Is(err, ErrNotFound) {
		t.Fatalf("miss = %v, %v; want ErrNotFound", org, err)
	}
	if err.Error() != `no organization with name "missing.onmicrosoft.com"` {
		t.Fatalf("miss message = %q", err)
	}
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Kind != "organization" || nf.Value != "missing.onmicrosoft.com" {
		t.Fatalf("miss err = %#v", err)
	}
	// A prefix is not a match.
	if _, err := c.FindOrganizationByName(ctx, "contoso"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("prefix matched: %v", err)
	}
}

func TestOrganizationsToleratesNullsAndUnknownEnums(t *testing.T) {
	for _, v := range []APIVersion{V6, V7, V8} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{NullsInNonNullable: true, UnknownEnumValues: true}})
			fake.SeedDemo()
			fake.UpdateOrganization(vb365test.DemoOrganizationID, func(o *vb365test.Organization) {
				o.OfficeName = ""
				o.Description = ""
				o.MSID = ""
			})
			c := newTestClient(t, fake.URL, withVersion(v))
			ctx := context.Background()

			org, err := c.GetOrganization(ctx, vb365test.DemoOrganizationID)
			if err != nil {
				t.Fatalf("GetOrganization: %v", err)
			}
			if org.Name != vb365test.DemoOrganization || org.OfficeName != "" || org.Description != "" || org.MSID != "" || org.Region != "Unknown" || !org.IsTeamsOnline {
				t.Fatalf("org = %+v", org)
			}
			orgs, err := c.ListOrganizations(ctx)
			if err != nil {
				t.Fatalf("ListOrganizations: %v", err)
			}
			if len(orgs) != 2 || orgs[0].OfficeName != "" || orgs[1].Region != "Unknown" || orgs[1].OfficeName != "fabrikam.onmicrosoft.com" {
				t.Fatalf("orgs = %+v", orgs)
			}
			// The name lookup still works when officeName is null.
			if o, err := c.FindOrganizationByName(ctx, "Contoso.onmicrosoft.com"); err != nil || o.ID != vb365test.DemoOrganizationID {
				t.Fatalf("FindOrganizationByName: %v, %v", o, err)
			}
		})
	}
}

// pagedServer serves total items "item-N" in pages. It answers at most
// maxLimit per page (a server capping the requested limit), issues a setId
// and, when links is set, a _links.next while more remain.
type pagedServer struct {
	t        *testing.T
	total    int
	maxLimit int
	links    bool
	setID    string

	mu      sync.Mutex
	queries []url.Values
}

func (p *pagedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/v8/token" {
		writeToken(w, "access", "refresh")
		return
	}
	if r.URL.Path != "/v8/Things" {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	p.mu.Lock()
	p.queries = append(p.queries, q)
	p.mu.Unlock()
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > p.maxLimit {
		limit = p.maxLimit
	}
	if q.Get("setId") != "" && q.Get("setId") != p.setID {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"message":"unknown setId"}`))
		return
	}
	end := min(offset+limit, p.total)
	results := []string{}
	for i := offset; i < end; i++ {
		results = append(results, fmt.Sprintf("item-%d", i))
	}
	links := map[string]any{"self": map[string]string{"href": fmt.Sprintf("/v8/Things?offset=%d&limit=%d", offset, limit)}}
	if p.links && end < p.total {
		links["next"] = map[string]string{"href": fmt.Sprintf("/v8/Things?offset=%d&limit=%d&setId=%s", end, limit, p.setID)}
	}
	body := map[string]any{"offset": offset, "limit": limit, "setId": p.setID, "results": results, "_links": links}
	if !p.links {
		// A server that sends no links at all.
		delete(body, "_links")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(body)
}

func (p *pagedServer) Queries() []url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]url.Values(nil), p.queries...)
}

func collectPages(t *testing.T, c *Client, query url.Values, pageSize int) ([]string, []int) {
	t.Helper()
	var all []string
	var sizes []int
	err := listPages(context.Background(), c, "Things", query, pageSize, func(p []string) error {
		all = append(all, p...)
		sizes = append(sizes, len(p))
		return nil
	})
	if err != nil {
		t.Fatalf("listPages: %v", err)
	}
	return all, sizes
}

func checkItems(t *testing.T, items []string, total int) {
	t.Helper()
	if len(items) != total {
		t.Fatalf("got %d items, want %d", len(items), total)
	}
	for i, it := range items {
		if it != fmt.Sprintf("item-%d", i) {
			t.Fatalf("item %d = %q", i, it)
		}
	}
}

func TestListPagesThreePagesWithSetID(t *testing.T) {
	ps := &pagedServer{t: t, total: 25, maxLimit: 10000, links: true, setID: "3f1c0b8e-set"}
	srv := httptest.NewServer(ps)
	defer srv.Close()
	c := newTestClient(t, srv.URL)

	items, sizes := collectPages(t, c, url.Values{"userName": {"a@b"}}, 10)
	checkItems(t, items, 25)
	if fmt.Sprint(sizes) != "[10 10 5]" {
		t.Fatalf("page sizes = %v", sizes)
	}
	qs := ps.Queries()
	if len(qs) != 3 {
		t.Fatalf("%d requests, want 3", len(qs))
	}
	for i, q := range qs {
		if q.Get("offset") != strconv.Itoa(i*10) || q.Get("limit") != "10" || q.Get("userName") != "a@b" {
			t.Fatalf("request %d query = %v", i, q)
		}
		wantSet := ps.setID
		if i == 0 {
			wantSet = ""
		}
		if q.Get("setId") != wantSet {
			t.Fatalf("request %d setId = %q, want %q", i, q.Get("setId"), wantSet)
		}
	}
}

func TestListPagesServerCapsLimit(t *testing.T) {
	// The client asks for 10000; the server answers limit=1000 pages with a
	// next link. Every page is fetched.
	ps := &pagedServer{t: t, total: 2500, maxLimit: 1000, links: true, setID: "capped-set"}
	srv := httptest.NewServer(ps)
	defer srv.Close()
	c := newTestClient(t, srv.URL)

	items, sizes := collectPages(t, c, nil, 0)
	checkItems(t, items, 2500)
	if fmt.Sprint(sizes) != "[1000 1000 500]" {
		t.Fatalf("page sizes = %v", sizes)
	}
	qs := ps.Queries()
	if len(qs) != 3 {
		t.Fatalf("%d requests, want 3", len(qs))
	}
	for i, q := range qs {
		if q.Get("limit") != "10000" || q.Get("offset") != strconv.Itoa(i*1000) {
			t.Fatalf("request %d query = %v", i, q)
		}
		if i > 0 && q.Get("setId") != "capped-set" {
			t.Fatalf("request %d setId = %q", i, q.Get("setId"))
		}
	}
}

func TestListPagesCappedWithoutLinks(t *testing.T) {
	// No _links at all: a full page (results == the answered limit) means
	// there may be more; the short page ends the listing.
	ps := &pagedServer{t: t, total: 2000, maxLimit: 1000, links: false, setID: "s"}
	srv := httptest.NewServer(ps)
	defer srv.Close()
	c := newTestClient(t, srv.URL)

	items, sizes := collectPages(t, c, nil, 0)
	checkItems(t, items, 2000)
	if fmt.Sprint(sizes) != "[1000 1000]" {
		t.Fatalf("page sizes = %v", sizes)
	}
	// The third request finds an empty page and stops.
	if qs := ps.Queries(); len(qs) != 3 || qs[2].Get("offset") != "2000" {
		t.Fatalf("queries = %v", qs)
	}
}

func TestListPagesFullLastPageCostsNoExtraRequest(t *testing.T) {
	// 2000 items in pages of 1000: the second page is full but has no next
	// link, so the listing ends there (no third, empty request).
	ps := &pagedServer{t: t, total: 2000, maxLimit: 1000, links: true, setID: "s"}
	srv := httptest.NewServer(ps)
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	items, _ := collectPages(t, c, nil, 1000)
	checkItems(t, items, 2000)
	if n := len(ps.Queries()); n != 2 {
		t.Fatalf("%d requests, want 2", n)
	}
}

func TestListPagesSinglePageAndEmpty(t *testing.T) {
	for _, total := range []int{0, 7} {
		ps := &pagedServer{t: t, total: total, maxLimit: 10000, links: true, setID: "s"}
		srv := httptest.NewServer(ps)
		c := newTestClient(t, srv.URL)
		items, _ := collectPages(t, c, nil, 0)
		checkItems(t, items, total)
		if n := len(ps.Queries()); n != 1 {
			t.Fatalf("total %d: %d requests, want 1", total, n)
		}
		srv.Close()
	}
}

func TestListPagesCallbackErrorStops(t *testing.T) {
	ps := &pagedServer{t: t, total: 30, maxLimit: 10000, links: true, setID: "s"}
	srv := httptest.NewServer(ps)
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	stop := errors.New("stop")
	err := listPages(context.Background(), c, "Things", nil, 10, func([]string) error { return stop })
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the callback's error", err)
	}
	if n := len(ps.Queries()); n != 1 {
		t.Fatalf("%d requests after the callback failed, want 1", n)
	}
}

func TestListPagesAgainstFake(t *testing.T) {
	// The fake's own paging (setId cache, next links) with a small page.
	fake := vb365test.Start(t, vb365test.Options{})
	for i := 0; i < 12; i++ {
		fake.AddOrganization(vb365test.Organization{Name: fmt.Sprintf("org%02d", i)})
	}
	c := newTestClient(t, fake.URL)
	var names []string
	err := listPages(context.Background(), c, "Organizations", nil, 5, func(p []Organization) error {
		for _, o := range p {
			names = append(names, o.Name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 12 || names[0] != "org00" || names[11] != "org11" {
		t.Fatalf("names = %v", names)
	}
	var qs []url.Values
	for _, r := range fake.Requests() {
		if r.Route == "GET /Organizations" {
			q, _ := url.ParseQuery(r.Query)
			qs = append(qs, q)
		}
	}
	if len(qs) != 3 || qs[0].Has("setId") || qs[1].Get("setId") == "" || qs[2].Get("setId") != qs[1].Get("setId") || qs[2].Get("offset") != "10" {
		t.Fatalf("queries = %v", qs)
	}
}

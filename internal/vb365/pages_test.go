package vb365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

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
	for p, err := range listPages[string](context.Background(), c, "Things", query, pageSize) {
		if err != nil {
			t.Fatalf("listPages: %v", err)
		}
		all = append(all, p...)
		sizes = append(sizes, len(p))
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

// A caller that stops ranging after the first page (here with an error of
// its own) stops the paging: no second request.
func TestListPagesStopsWhenTheCallerStops(t *testing.T) {
	ps := &pagedServer{t: t, total: 30, maxLimit: 10000, links: true, setID: "s"}
	srv := httptest.NewServer(ps)
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	stop := errors.New("stop")
	err := func() error {
		for _, err := range listPages[string](context.Background(), c, "Things", nil, 10) {
			if err != nil {
				return err
			}
			return stop
		}
		return nil
	}()
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the caller's error", err)
	}
	if n := len(ps.Queries()); n != 1 {
		t.Fatalf("%d requests after the caller stopped, want 1", n)
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
	for p, err := range listPages[Organization](context.Background(), c, "Organizations", nil, 5) {
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range p {
			names = append(names, o.Name)
		}
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

// A server or proxy that ignores offset and always links a next page.
func TestPagingStopsOnRepeatedPages(t *testing.T) {
	for name, body := range map[string]func(*http.Request, int) string{
		"offset echoed": func(*http.Request, int) string {
			return `{"offset":0,"limit":2,"results":[{"id":"u1"},{"id":"u2"}],"_links":{"next":{"href":"x"}}}`
		},
		"no offset echoed": func(*http.Request, int) string {
			return `{"limit":2,"results":[{"id":"u1"},{"id":"u2"}],"_links":{"next":{"href":"x"}}}`
		},
		"more than totalCount": func(r *http.Request, n int) string {
			return fmt.Sprintf(`{"limit":2,"totalCount":3,"results":[{"id":"u%d"},{"id":"v%d"}],"_links":{"next":{"href":"x"}}}`, n, n)
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv, n := rawPages(t, body)
			c := newTestClient(t, srv.URL)
			users, err := c.ListUsers(context.Background(), "org", UserFilter{PageSize: 2})
			if !errors.Is(err, ErrBadAnswer) {
				t.Fatalf("err = %v (%d users), want ErrBadAnswer", err, len(users))
			}
			if got := n.Load(); got > 3 {
				t.Fatalf("%d requests, want at most 3", got)
			}
		})
	}
}

// FuzzListPages serves a fuzzed page for every request: the listing must
// end (an error or a result) within a few requests and never panic.
func FuzzListPages(f *testing.F) {
	f.Add(`{"offset":0,"limit":2,"results":[{"id":"u1"},{"id":"u2"}],"_links":{"next":{"href":"x"}}}`)
	f.Add(`{"limit":2,"totalCount":1,"results":[{"id":"u1"},{"id":"u2"}]}`)
	f.Add(`{"results":null}`)
	f.Add(`[]`)
	f.Add(``)
	f.Add(`{"results":[{"id":1}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v8/token" {
				writeToken(w, "access-token-1", "refresh-token-1")
				return
			}
			n.Add(1)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
		}))
		defer srv.Close()
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = -1 })
		_, err := c.ListUsers(context.Background(), "org", UserFilter{PageSize: 2})
		if got := n.Load(); got > 3 {
			t.Fatalf("%d requests for one repeating page (err %v)", got, err)
		}
	})
}

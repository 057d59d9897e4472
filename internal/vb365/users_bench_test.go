package vb365

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

const benchUsers = 25000

// BenchmarkListUsers lists an organization of 25,000 users (plus the 7 of
// SeedDemo) page by page at the largest page size.
//
//   - fake: against the fake server in this process, so ns/op and
//     allocs/op include the server rendering the pages;
//   - replay: the same pages, recorded once and served as bytes, so the
//     numbers are the client's own (HTTP, JSON decoding, paging).
//
// Custom metrics: requests/op (GETs of the users list per ListUsers),
// ns/user, allocs/user.
func BenchmarkListUsers(b *testing.B) {
	fake := vb365test.Start(b, vb365test.Options{})
	fake.SeedDemo()
	fake.AddUsers(vb365test.DemoOrganizationID, benchUsers)
	const total = benchUsers + 7

	b.Run("fake", func(b *testing.B) {
		benchListUsers(b, fake.URL, total, func() int { return fake.Count("GET /Organizations/{organizationId}/Users") }, fake.ResetRequests)
	})

	replay := recordPages(b, fake)
	srv := httptest.NewServer(replay)
	b.Cleanup(srv.Close)
	b.Run("replay", func(b *testing.B) {
		benchListUsers(b, srv.URL, total, replay.count, replay.reset)
	})
}

func benchListUsers(b *testing.B, serverURL string, total int, count func() int, reset func()) {
	c, err := New(Config{URL: serverURL, Username: vb365test.DefaultUsername, Password: vb365test.DefaultPassword, Timeout: testTimeout})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Login(ctx); err != nil {
		b.Fatal(err)
	}
	reset()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		users, err := c.ListUsers(ctx, vb365test.DemoOrganizationID, UserFilter{})
		if err != nil {
			b.Fatal(err)
		}
		if len(users) != total {
			b.Fatalf("%d users, want %d", len(users), total)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	n := float64(b.N)
	b.ReportMetric(float64(count())/n, "requests/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n/float64(total), "ns/user")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/n/float64(total), "allocs/user")
}

// replayServer serves recorded users pages by offset.
type replayServer struct {
	pages map[string][]byte // offset -> body
	token []byte
	gets  chan struct{}
}

func (r *replayServer) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path == "/v8/token" {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(r.token)
		return
	}
	body, ok := r.pages[req.URL.Query().Get("offset")]
	if !ok {
		http.NotFound(w, req)
		return
	}
	select {
	case r.gets <- struct{}{}:
	default:
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(body)
}

func (r *replayServer) count() int { return len(r.gets) }
func (r *replayServer) reset() {
	for len(r.gets) > 0 {
		<-r.gets
	}
}

// recordPages fetches every page of the fake's users list once, raw.
func recordPages(b *testing.B, fake *vb365test.Server) *replayServer {
	b.Helper()
	get := func(method, path string, q url.Values, hdr http.Header, form url.Values) []byte {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, fake.URL+path+"?"+q.Encode(), body)
		for k, v := range hdr {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, out)
		}
		return out
	}
	token := get(http.MethodPost, "/v8/token", nil, http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		url.Values{"grant_type": {"password"}, "username": {fake.Username()}, "password": {fake.Password()}})
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(token, &tok); err != nil {
		b.Fatal(err)
	}
	r := &replayServer{pages: map[string][]byte{}, token: token, gets: make(chan struct{}, 1<<20)}
	setID := ""
	for offset := 0; ; offset += maxPageSize {
		q := url.Values{"offset": {fmt.Sprint(offset)}, "limit": {fmt.Sprint(maxPageSize)}}
		if setID != "" {
			q.Set("setId", setID)
		}
		body := get(http.MethodGet, "/v8/Organizations/"+vb365test.DemoOrganizationID+"/Users", q, http.Header{"Authorization": {"Bearer " + tok.AccessToken}}, nil)
		var p page[User]
		if err := json.Unmarshal(body, &p); err != nil {
			b.Fatal(err)
		}
		r.pages[fmt.Sprint(offset)] = body
		setID = *p.SetID
		if p.Links["next"] == nil {
			return r
		}
	}
}

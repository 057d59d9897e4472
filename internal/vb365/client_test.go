package vb365

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// A request in flight ends when its context does: the server holds the
// answer until the client goes away, so a client that ignored the
// cancellation would wait forever (and the test would hit go test's
// timeout); nothing here depends on how long anything takes.
func TestContextCancelDuringSlowRequest(t *testing.T) {
	arrived := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v8/token" {
			writeToken(w, "access", "refresh")
			return
		}
		close(arrived)
		select {
		case <-r.Context().Done(): // the client went away
		case <-release:
		}
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	if err := c.Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, err := c.ListOrganizations(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !strings.Contains(err.Error(), "GET /v8/Organizations") {
		t.Fatalf("err = %q, want the request named", err)
	}
}

// A wait between attempts ends when the context does. The server asks for
// an hour (and the client may wait that long): a client that ignored the
// cancellation would sleep past go test's timeout. The context is cancelled
// once the client has begun to wait, so the sleep itself is interrupted.
func TestContextCancelDuringBackoff(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.RetryAfterMax = time.Hour })
	if err := c.Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusServiceUnavailable, RetryAfter: "3600"})
	ctx, cancel := context.WithCancel(context.Background())
	var waits []time.Duration
	c.sleep = func(sctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		cancel()
		return sleepCtx(sctx, d)
	}
	_, err := c.ListOrganizations(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(waits) != 1 || waits[0] != time.Hour {
		t.Fatalf("waits = %v, want one of 1h (the server's Retry-After)", waits)
	}
	if n := fake.Count("GET /Organizations"); n != 1 {
		t.Fatalf("GET sent %d times, want 1", n)
	}
}

func TestContextAlreadyCancelled(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	c := newTestClient(t, fake.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.ListOrganizations(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := fake.Count(""); n != 0 {
		t.Fatalf("%d requests sent with a cancelled context", n)
	}
}

func TestRequestHeaders(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	var seen []http.Header
	var mu sync.Mutex
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})
	c := newTestClient(t, fake.URL, func(cfg *Config) {
		cfg.UserAgent = "ua-test/1"
		cfg.HTTPClient = &http.Client{Transport: rt}
	})
	if _, err := c.GetOrganization(context.Background(), vb365test.DemoOrganizationID); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 {
		t.Fatalf("%d requests, want 2", len(seen))
	}
	tok, get := seen[0], seen[1]
	if tok.Get("Authorization") != "" {
		t.Error("the token request carries an Authorization header")
	}
	if tok.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("token Content-Type = %q", tok.Get("Content-Type"))
	}
	if !strings.HasPrefix(get.Get("Authorization"), "Bearer ") || len(get.Get("Authorization")) < 20 {
		t.Errorf("Authorization = %q", get.Get("Authorization"))
	}
	if get.Get("Accept") != "application/json" || get.Get("User-Agent") != "ua-test/1" || get.Get("Content-Type") != "" {
		t.Errorf("GET headers = %v", get)
	}
}

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A 200 that holds no JSON, or a page without results, is an error
// naming the request, never an empty list.
func TestEmptyAnswersAreErrors(t *testing.T) {
	for name, body := range map[string]string{
		"empty":        "",
		"whitespace":   " \n\t",
		"null":         "null",
		"results null": `{"offset":0,"limit":10000,"results":null}`,
		"no results":   `{"offset":0,"limit":10000}`,
		"html":         "<html><body>Sign in to the proxy</body></html>",
	} {
		t.Run(name, func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			fake.InjectFault(vb365test.Fault{Route: "GET /Organizations/{organizationId}/Users", Body: ptr(body), ContentType: "application/json"})
			fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Body: ptr(body)})
			c := newTestClient(t, fake.URL)
			users, err := c.ListUsers(context.Background(), auditOrg, UserFilter{})
			if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "/v8/Organizations/"+auditOrg+"/Users") {
				t.Fatalf("ListUsers = %d users, %v; want ErrBadAnswer naming the request", len(users), err)
			}
			orgs, err := c.ListOrganizations(context.Background())
			if !errors.Is(err, ErrBadAnswer) {
				t.Fatalf("ListOrganizations = %d, %v; want ErrBadAnswer", len(orgs), err)
			}
		})
	}
	// An object endpoint with no other check: an empty 200 is not a set
	// of empty settings.
	for _, body := range []string{"", " \r\n", "null"} {
		fake := vb365test.Start(t, vb365test.Options{})
		fake.InjectFault(vb365test.Fault{Route: "GET /AuditEmailSettings", Body: ptr(body), ContentType: "application/json"})
		got, err := newTestClient(t, fake.URL).GetAuditEmailSettings(context.Background())
		if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "GET /v8/AuditEmailSettings") {
			t.Fatalf("GetAuditEmailSettings(%q) = %+v, %v; want ErrBadAnswer", body, got, err)
		}
	}
}

// Bodies are capped.
func TestBodiesCapped(t *testing.T) {
	big := `{"offset":0,"limit":10000,"results":[` + strings.Repeat(`{"id":"x"},`, 200000) + `{"id":"y"}]}`
	srv, _ := rawPages(t, func(*http.Request, int) string { return big })
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxResponseBytes = 1 << 20 })
	_, err := c.ListUsers(context.Background(), "org", UserFilter{})
	if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "larger than the client's limit of 1 MiB") {
		t.Fatalf("err = %v", err)
	}
	// An error body is capped at 1 MiB, whatever the success cap.
	huge := strings.Repeat("x", 3<<20)
	fake := vb365test.Start(t, vb365test.Options{})
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: 400, Body: &huge})
	c2 := newTestClient(t, fake.URL)
	if _, err := c2.ListOrganizations(context.Background()); !errors.Is(err, ErrBadAnswer) {
		t.Fatalf("err = %v, want ErrBadAnswer for a 3 MiB error body", err)
	}
}

// An answer that is not what the API sends, an HTML page or a bare array,
// says what it is.
func TestAnswerErrorsSayWhatIsWrong(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()

	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Body: ptr("<html><title>Proxy login</title></html>"), ContentType: "text/html"})
	_, err := newTestClient(t, fake.URL).ListOrganizations(context.Background())
	if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "text/html") || !strings.Contains(err.Error(), "Proxy login") {
		t.Fatalf("HTML: %v", err)
	}
	fake.ClearFaults()

	// A v7 server answers a bare array where v8 pages.
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Body: ptr(`[{"id":"x"}]`), ContentType: "application/json"})
	_, err = newTestClient(t, fake.URL).ListOrganizations(context.Background())
	if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "api_version") {
		t.Fatalf("bare array: %v", err)
	}
}

// A token rejected again right after the re-authentication (expired twice
// in a row, as the fault storm found) gets one more new token; the same
// token rejected twice does not loop.
func TestReauthenticatesPerRejectedToken(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	if err := c.Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Times: 2, ExpireTokens: true})
	if _, err := c.ListOrganizations(context.Background()); err != nil {
		t.Fatalf("ListOrganizations after two expiries: %v", err)
	}
	if n := fake.Count("GET /Organizations"); n != 3 {
		t.Fatalf("sent %d times, want 3", n)
	}
	// A server that rejects every token: bounded by MaxRetries, no loop.
	fake.ClearFaults()
	fake.ResetRequests()
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", ExpireTokens: true})
	c2 := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	if _, err := c2.ListOrganizations(context.Background()); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if n := fake.Count("GET /Organizations"); n != 3 {
		t.Fatalf("sent %d times, want 3 (one new token per rejection, MaxRetries 2)", n)
	}
}

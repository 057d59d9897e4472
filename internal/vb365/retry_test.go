package vb365

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"1", time.Second, true},
		{"0", 0, true},
		{" 120 ", 2 * time.Minute, true},
		{"", 0, false},
		{"-3", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"Mon, 01 Jan 2024 10:00:05 GMT", 5 * time.Second, true},
		{"Monday, 01-Jan-24 10:00:30 GMT", 30 * time.Second, true}, // RFC 850
		{"Mon Jan  1 10:01:00 2024", time.Minute, true},            // ANSI C
		{"Mon, 01 Jan 2024 09:59:00 GMT", 0, true},                 // in the past: retry now
		// Far too large for a time.Duration: must not wrap to a negative
		// or short wait (the caller caps it at RetryAfterMax).
		{"9999999999", -1, true},
		{"18446744074", -1, true},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if tt.want == -1 {
			if !ok || got < time.Hour {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want a long positive wait", tt.in, got, ok)
			}
			continue
		}
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRetry429RetryAfterSeconds(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	rec := recordSleeps(c)
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusTooManyRequests, RetryAfter: "2", Times: 1})

	orgs, err := c.ListOrganizations(context.Background())
	if err != nil {
		t.Fatalf("ListOrganizations: %v", err)
	}
	if len(orgs) != 2 {
		t.Fatalf("got %d organizations, want 2", len(orgs))
	}
	if w := rec.Waits(); len(w) != 1 || w[0] != 2*time.Second {
		t.Fatalf("waits = %v, want [2s] from Retry-After", w)
	}
	want := []string{"POST /token 200", "GET /Organizations 429", "GET /Organizations 200"}
	if got := routeLog(fake); !equalStrings(got, want) {
		t.Fatalf("fake log = %v, want %v", got, want)
	}
}

func TestRetry429RetryAfterHTTPDate(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	rec := recordSleeps(c)
	at := time.Now().Add(4 * time.Second).UTC().Format(http.TimeFormat)
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations/{organizationId}", Status: http.StatusTooManyRequests, RetryAfter: at, Times: 1})

	org, err := c.GetOrganization(context.Background(), vb365test.DemoOrganizationID)
	if err != nil {
		t.Fatalf("GetOrganization: %v", err)
	}
	if org.Name != vb365test.DemoOrganization {
		t.Fatalf("name = %q", org.Name)
	}
	w := rec.Waits()
	// The date has a one-second resolution: the wait is in (2s, 4s].
	if len(w) != 1 || w[0] <= 2*time.Second || w[0] > 4*time.Second {
		t.Fatalf("waits = %v, want one wait of about 3-4s from the HTTP date", w)
	}
}

func TestRetry429CappedByRetryAfterMax(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.RetryAfterMax = 7 * time.Second })
	rec := recordSleeps(c)
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusTooManyRequests, RetryAfter: "3600", Times: 1})
	if _, err := c.ListOrganizations(context.Background()); err != nil {
		t.Fatalf("ListOrganizations: %v", err)
	}
	if w := rec.Waits(); len(w) != 1 || w[0] != 7*time.Second {
		t.Fatalf("waits = %v, want [7s] (RetryAfterMax)", w)
	}
}

// A 429 with Retry-After is waited out for RateLimitWait (here 2s of 1s
// waits), not for MaxRetries attempts.
func TestRetry429ExhaustedIsRateLimited(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = 2; cfg.RateLimitWait = 2 * time.Second })
	rec := recordSleeps(c)
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusTooManyRequests, RetryAfter: "1"})
	_, err := c.ListOrganizations(context.Background())
	if !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || !strings.Contains(apiErr.Message, "quota exceeded") {
		t.Fatalf("err = %#v, want a 429 APIError with the throttle text", err)
	}
	if n := fake.Count("GET /Organizations"); n != 3 {
		t.Fatalf("GET /Organizations sent %d times, want 3 (1 + 2s of 1s waits)", n)
	}
	if w := rec.Waits(); len(w) != 2 || w[0] != time.Second || w[1] != time.Second {
		t.Fatalf("waits = %v, want [1s 1s]", w)
	}
}

func TestRetry5xxBurstSucceeds(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	rec := recordSleeps(c)
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusServiceUnavailable, Times: 3})

	orgs, err := c.ListOrganizations(context.Background())
	if err != nil {
		t.Fatalf("ListOrganizations: %v", err)
	}
	if len(orgs) != 2 {
		t.Fatalf("got %d organizations, want 2", len(orgs))
	}
	if n := fake.Count("GET /Organizations"); n != 4 {
		t.Fatalf("GET /Organizations sent %d times, want 4", n)
	}
	// Exponential backoff from RetryWaitMin (1ms) capped at RetryWaitMax
	// (5ms), with jitter in [7/8, 1] of the step.
	w := rec.Waits()
	steps := []time.Duration{time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond}
	if len(w) != len(steps) {
		t.Fatalf("waits = %v, want %d", w, len(steps))
	}
	for i, d := range steps {
		if w[i] < d-d/8 || w[i] > d {
			t.Errorf("wait %d = %v, want in [%v, %v]", i, w[i], d-d/8, d)
		}
	}
}

func TestBackoffCappedAtRetryWaitMax(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", func(cfg *Config) {
		cfg.RetryWaitMin = 100 * time.Millisecond
		cfg.RetryWaitMax = time.Second
	})
	for attempt := 0; attempt < 70; attempt++ {
		d := c.backoff(attempt)
		if d <= 0 || d > time.Second {
			t.Fatalf("backoff(%d) = %v, want in (0, 1s]", attempt, d)
		}
	}
	if d := c.backoff(10); d < time.Second-time.Second/8 {
		t.Fatalf("backoff(10) = %v, want close to RetryWaitMax", d)
	}
}

func TestRetry5xxExhausted(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations/{organizationId}", Status: http.StatusInternalServerError})

	_, err := c.GetOrganization(context.Background(), vb365test.DemoOrganizationID)
	if !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v, want ErrServer", err)
	}
	if errors.Is(err, ErrNotFound) {
		t.Fatalf("a 500 must not match ErrNotFound")
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Message != "Injected fault: Internal Server Error" {
		t.Fatalf("err = %#v", err)
	}
	if n := fake.Count("GET /Organizations/{organizationId}"); n != 3 {
		t.Fatalf("sent %d times, want 3 (1 + MaxRetries)", n)
	}
}

func TestNegativeMaxRetriesDisablesRetries(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = -1 })
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusBadGateway})
	if _, err := c.ListOrganizations(context.Background()); !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v, want ErrServer", err)
	}
	if n := fake.Count("GET /Organizations"); n != 1 {
		t.Fatalf("sent %d times, want 1", n)
	}
}

func TestPostNotRetriedOn500(t *testing.T) {
	var posts, puts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v8/token":
			writeToken(w, "access-1", "refresh-1")
		case r.Method == http.MethodPost:
			posts.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"message":"boom","errorCode":null,"stackTrace":null}`)
		case r.Method == http.MethodPut:
			// A PUT is idempotent: 500 twice, then 204.
			if puts.Add(1) <= 2 {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	rec := recordSleeps(c)

	err := c.do(context.Background(), request{
		method: http.MethodPost, path: "Organizations/x/AuditItems",
		body: []map[string]any{{"type": "User"}}, wantStatus: http.StatusNoContent,
	}, nil)
	if !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v, want ErrServer", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "boom" || apiErr.Method != "POST" || apiErr.Path != "/v8/Organizations/x/AuditItems" {
		t.Fatalf("err = %#v", err)
	}
	if n := posts.Load(); n != 1 {
		t.Fatalf("POST sent %d times, want 1 (not idempotent)", n)
	}
	if w := rec.Waits(); len(w) != 0 {
		t.Fatalf("waited %v for a non-idempotent request", w)
	}

	err = c.do(context.Background(), request{method: http.MethodPut, path: "AuditEmailSettings", body: map[string]any{"enableNotification": false}, idempotent: true}, nil)
	if err != nil {
		t.Fatalf("PUT: %v", err)
	}
	if n := puts.Load(); n != 3 {
		t.Fatalf("PUT sent %d times, want 3", n)
	}
}

func TestPostRetriedOn429(t *testing.T) {
	var posts atomic.Int32
	var bodies []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v8/token" {
			writeToken(w, "access-1", "refresh-1")
			return
		}
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		if posts.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	rec := recordSleeps(c)
	err := c.do(context.Background(), request{method: http.MethodPost, path: "Organizations/x/AuditItems", body: []string{"a"}}, nil)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	if posts.Load() != 2 {
		t.Fatalf("POST sent %d times, want 2 (a 429 was not processed)", posts.Load())
	}
	// The body is sent again in full on the retry.
	if len(bodies) != 2 || bodies[0] != `["a"]` || bodies[1] != `["a"]` {
		t.Fatalf("bodies = %q", bodies)
	}
	if w := rec.Waits(); len(w) != 1 || w[0] != time.Second {
		t.Fatalf("waits = %v, want [1s]", w)
	}
}

func TestDroppedConnectionRetried(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	log := &recLogger{}
	// No keep-alive: the drop hits a fresh connection, which net/http does
	// not retry by itself, so the client's own retry is what is tested.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	ct := &countingTransport{next: tr}
	c := newTestClient(t, fake.URL, func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: ct, Timeout: testTimeout}
		cfg.Logger = log
	})
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Drop: true, Times: 1})

	orgs, err := c.ListOrganizations(context.Background())
	if err != nil {
		t.Fatalf("ListOrganizations: %v", err)
	}
	if len(orgs) != 2 {
		t.Fatalf("got %d organizations", len(orgs))
	}
	// Counted as the client sent it (the fake logs a dropped request only
	// after closing the connection, which may be after the retry returned).
	if n := ct.count("GET /v8/Organizations"); n != 2 {
		t.Fatalf("GET /Organizations sent %d times, want 2", n)
	}
	ce := log.find("VB365 API connection error")
	if len(ce) != 1 || ce[0].fields["retryable"] != true {
		t.Fatalf("connection error logs = %+v, want one retryable", ce)
	}
}

func TestDroppedConnectionNotRetriedForPost(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	ct := &countingTransport{next: tr}
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: ct, Timeout: testTimeout} })
	if err := c.Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	fake.InjectFault(vb365test.Fault{Route: "*", Drop: true, Times: 1})
	err := c.do(context.Background(), request{method: http.MethodPost, path: "token/logout"}, nil)
	var te *TransportError
	if !errors.As(err, &te) || te.Method != "POST" || te.Path != "/v8/token/logout" {
		t.Fatalf("err = %#v, want a TransportError", err)
	}
	if !IsConnectionError(err) {
		t.Fatalf("err = %v, want a connection error", err)
	}
	// Counted as the client sent it: once do has returned, no attempt is
	// left to come (the fake logs a dropped request only after closing
	// the connection, which may be after the client saw the error).
	if n := ct.count("POST /v8/token/logout"); n != 1 {
		t.Fatalf("logout sent %d times, want 1", n)
	}
}

// While the server sends Retry-After, the client waits for the time
// budget, not for max_retries attempts.
func TestRateLimitWaitIndependentOfMaxRetries(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	rec := recordSleeps(c)
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusTooManyRequests, RetryAfter: "1", Times: 30})
	if _, err := c.ListOrganizations(context.Background()); err != nil {
		t.Fatalf("ListOrganizations after 30 throttled answers: %v", err)
	}
	if w := rec.Waits(); len(w) != 30 {
		t.Fatalf("%d waits, want 30", len(w))
	}
	// Without Retry-After the attempts count: 1 + MaxRetries.
	fake.ClearFaults()
	fake.ResetRequests()
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusTooManyRequests})
	if _, err := c.ListOrganizations(context.Background()); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	if n := fake.Count("GET /Organizations"); n != 3 {
		t.Fatalf("sent %d times, want 3", n)
	}
	// Retry-After: 0 forever does not spin: each wait counts for at least
	// RetryWaitMin against the budget.
	fake.ClearFaults()
	fake.ResetRequests()
	c2 := newTestClient(t, fake.URL, func(cfg *Config) { cfg.RateLimitWait = 10 * time.Millisecond })
	recordSleeps(c2)
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusTooManyRequests, RetryAfter: "0"})
	if _, err := c2.ListOrganizations(context.Background()); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	if n := fake.Count("GET /Organizations"); n != 11 {
		t.Fatalf("sent %d times, want 11 (10ms budget of 1ms waits)", n)
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "1", "120", "-1", " 5 ", "9999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT", "soon", "1.5"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if ok && d < 0 {
			t.Fatalf("parseRetryAfter(%q) = %v, negative", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("parseRetryAfter(%q) = %v with ok false", v, d)
		}
	})
}

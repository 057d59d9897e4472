package vb365

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// ---- shared test helpers ----

// testTimeout bounds one attempt of every test client: far beyond what any
// load makes a request to an in-process server take. Tests count requests,
// and a request that timed out is sent again: with 10 s, a 10,000-item page
// under -race on a busy 2-core machine timed out and was counted twice
// (TestRestoreSessionsPaging saw 8 requests for 25,000 sessions, want 3). A
// request that really hangs is caught by go test's -timeout, with stacks.
// Tests of the timeout itself set their own.
const testTimeout = time.Hour

// newTestClient builds a client for a server URL with the fake's default
// credentials and small retry waits; mods adjust the Config.
func newTestClient(t testing.TB, serverURL string, mods ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		URL:          serverURL,
		Username:     vb365test.DefaultUsername,
		Password:     vb365test.DefaultPassword,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		Timeout:      testTimeout,
	}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func noMask(s string) string { return s }

func withVersion(v APIVersion) func(*Config) { return func(c *Config) { c.APIVersion = v } }

// sleepRecorder replaces Client.sleep: it records the requested waits and
// returns at once (or runs hook, e.g. to advance a fake clock).
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
	hook  func(d time.Duration)
}

func (r *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.waits = append(r.waits, d)
	hook := r.hook
	r.mu.Unlock()
	if hook != nil {
		hook(d)
	}
	return ctx.Err()
}

func (r *sleepRecorder) Waits() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.waits...)
}

func recordSleeps(c *Client) *sleepRecorder {
	r := &sleepRecorder{}
	c.sleep = r.sleep
	return r
}

// logEntry is one call of the recording Logger.
type logEntry struct {
	level, msg string
	fields     map[string]any
}

type recLogger struct {
	mu      sync.Mutex
	entries []logEntry
}

func (l *recLogger) add(level, msg string, fields map[string]any) {
	cp := make(map[string]any, len(fields))
	for k, v := range fields {
		cp[k] = v
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{level, msg, cp})
}

func (l *recLogger) Debug(_ context.Context, msg string, f map[string]any) { l.add("debug", msg, f) }
func (l *recLogger) Trace(_ context.Context, msg string, f map[string]any) { l.add("trace", msg, f) }
func (l *recLogger) Warn(_ context.Context, msg string, f map[string]any)  { l.add("warn", msg, f) }

func (l *recLogger) Entries() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logEntry(nil), l.entries...)
}

// find returns the entries with message msg.
func (l *recLogger) find(msg string) []logEntry {
	var out []logEntry
	for _, e := range l.Entries() {
		if e.msg == msg {
			out = append(out, e)
		}
	}
	return out
}

// sentRequest is one request seen by the recording transport.
type sentRequest struct {
	Method, Path, ContentType, Authorization string
	Form                                     url.Values
	Body                                     string
}

// recTransport records every request (its body re-readable) before passing
// it on.
type recTransport struct {
	base http.RoundTripper
	mu   sync.Mutex
	reqs []sentRequest
}

func (rt *recTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	sr := sentRequest{Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), Authorization: r.Header.Get("Authorization"), Body: string(body)}
	if strings.HasPrefix(sr.ContentType, "application/x-www-form-urlencoded") {
		sr.Form, _ = url.ParseQuery(string(body))
	}
	rt.mu.Lock()
	rt.reqs = append(rt.reqs, sr)
	rt.mu.Unlock()
	base := rt.base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(r)
}

func (rt *recTransport) Requests() []sentRequest {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]sentRequest(nil), rt.reqs...)
}

// tokenForms returns the forms posted to the token endpoint.
func (rt *recTransport) tokenForms() []url.Values {
	var out []url.Values
	for _, r := range rt.Requests() {
		if strings.HasSuffix(strings.ToLower(r.Path), "/token") {
			out = append(out, r.Form)
		}
	}
	return out
}

func withRecorder(rt *recTransport) func(*Config) {
	return func(c *Config) { c.HTTPClient = &http.Client{Transport: rt, Timeout: testTimeout} }
}

// routeLog renders the fake's request log as "ROUTE STATUS" lines.
func routeLog(s *vb365test.Server) []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, fmt.Sprintf("%s %d", r.Route, r.Status))
	}
	return out
}

// waitForCount waits up to a second for the fake to log n requests on route.
func waitForCount(t *testing.T, s *vb365test.Server, route string, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for s.Count(route) < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// tokenJSON is a token endpoint answer for raw handlers.
func writeToken(w http.ResponseWriter, access, refresh string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": access, "refresh_token": refresh, "token_type": "bearer", "expires_in": 3600,
		"userName": vb365test.DefaultUsername, ".issued": "Mon, 01 Jan 2024 10:00:00 GMT", ".expires": "Mon, 01 Jan 2024 11:00:00 GMT",
	})
}

// ---- Retry-After / 429 ----

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

// ---- 5xx and connection errors ----

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
	c := newTestClient(t, fake.URL, func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: tr, Timeout: testTimeout}
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
	waitForCount(t, fake, "GET /Organizations", 2)
	if n := fake.Count("GET /Organizations"); n != 2 {
		t.Fatalf("GET /Organizations reached the fake %d times, want 2", n)
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
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: tr, Timeout: testTimeout} })
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
	// The fake logs a dropped request only after closing the connection,
	// so its entry may land just after the client saw the error.
	waitForCount(t, fake, "POST /token/logout", 1)
	time.Sleep(20 * time.Millisecond)
	if n := fake.Count("POST /token/logout"); n != 1 {
		t.Fatalf("logout sent %d times, want 1", n)
	}
}

func TestConnectionRefusedIsConnectionError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	c := newTestClient(t, u, func(cfg *Config) { cfg.MaxRetries = 1 })
	rec := recordSleeps(c)
	err := c.Login(context.Background())
	if !IsConnectionError(err) {
		t.Fatalf("err = %v (%T), want a connection error", err, err)
	}
	if errors.Is(err, ErrAuthentication) {
		t.Fatalf("a refused connection is not an authentication failure: %v", err)
	}
	if w := rec.Waits(); len(w) != 1 {
		t.Fatalf("waits = %v, want one retry", w)
	}
}

// ---- context cancellation ----

func TestContextCancelDuringSlowRequest(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	c := newTestClient(t, fake.URL)
	if err := c.Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Latency: 5 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.ListOrganizations(ctx)
	took := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if took > time.Second {
		t.Fatalf("took %v, want < 1s", took)
	}
	if !strings.Contains(err.Error(), "GET /v8/Organizations") {
		t.Fatalf("err = %q, want the request named", err)
	}
}

func TestContextCancelDuringBackoff(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	// Real sleeps here: the server asks for 30s, the context ends after 50ms.
	c := newTestClient(t, fake.URL)
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusServiceUnavailable, RetryAfter: "30"})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.ListOrganizations(ctx)
	took := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if took > time.Second {
		t.Fatalf("took %v, want < 1s", took)
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

// ---- error decoding ----

func TestNotFound(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	_, err := c.GetOrganization(context.Background(), "11111111-2222-3333-4444-555555555555")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err %T is not an APIError", err)
	}
	if apiErr.StatusCode != 404 || apiErr.ErrorCode != "ResourceNotFound" ||
		apiErr.Message != "Organization with ID 11111111-2222-3333-4444-555555555555 was not found." ||
		apiErr.Path != "/v8/Organizations/11111111-2222-3333-4444-555555555555" {
		t.Fatalf("apiErr = %+v", apiErr)
	}
	if n := fake.Count("GET /Organizations/{organizationId}"); n != 1 {
		t.Fatalf("a 404 was retried: %d requests", n)
	}
}

func TestNewAPIErrorBodies(t *testing.T) {
	html := "<html><head><title>502 Bad Gateway</title></head><body>" + strings.Repeat("<p>nginx</p>", 200) + "</body></html>"
	tests := []struct {
		name      string
		status    int
		body      string
		code, msg string
		is        error
	}{
		{"v8", 404, `{"message":"Organization was not found.","errorCode":"ResourceNotFound","stackTrace":null}`, "ResourceNotFound", "Organization was not found.", ErrNotFound},
		{"v8 code only", 400, `{"message":"Access denied.","errorCode":"ResourceAccessDenied","stackTrace":"at X.Y()"}`, "ResourceAccessDenied", "Access denied.", ErrForbidden},
		{"v8 conflict", 400, `{"message":"busy","errorCode":"OperationConflict","stackTrace":null}`, "OperationConflict", "busy", ErrConflict},
		{"v7 null code", 500, `{"message":"Unexpected.","errorCode":null}`, "", "Unexpected.", ErrServer},
		{"v6", 403, `{"message":"Forbidden."}`, "", "Forbidden.", ErrForbidden},
		{"oauth", 400, `{"error":"invalid_grant","error_description":"The user name or password is incorrect."}`, "invalid_grant", "The user name or password is incorrect.", ErrBadRequest},
		{"401 default", 401, `{"message":"Authorization has been denied for this request."}`, "", "Authorization has been denied for this request.", ErrUnauthorized},
		{"empty", 409, ``, "", "", ErrConflict},
		{"text", 429, "API calls quota exceeded! maximum admitted 1 per Second.", "", "API calls quota exceeded! maximum admitted 1 per Second.", ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAPIError("GET", "/v8/Organizations/x", tt.status, "", []byte(tt.body), noMask)
			if e.StatusCode != tt.status || e.ErrorCode != tt.code || e.Message != tt.msg {
				t.Fatalf("got %+v, want code %q message %q", e, tt.code, tt.msg)
			}
			if !errors.Is(e, tt.is) {
				t.Fatalf("%v does not match %v", e, tt.is)
			}
		})
	}
	t.Run("html", func(t *testing.T) {
		e := newAPIError("GET", "/v8/Organizations", 502, "", []byte("\n"+html), noMask)
		if len(e.Message) != maxErrorBody+len("...") || !strings.HasPrefix(e.Message, "<html><head><title>502 Bad Gateway") || !strings.HasSuffix(e.Message, "...") {
			t.Fatalf("message (%d bytes) = %q", len(e.Message), e.Message)
		}
		if !errors.Is(e, ErrServer) || errors.Is(e, ErrNotFound) {
			t.Fatal("a 502 should match ErrServer only")
		}
		if len(e.Error()) > 600 {
			t.Fatalf("Error() is %d bytes long", len(e.Error()))
		}
	})
}

func TestAPIErrorString(t *testing.T) {
	tests := []struct {
		e    APIError
		want string
	}{
		{APIError{StatusCode: 404, ErrorCode: "ResourceNotFound", Message: "Organization was not found.", Method: "GET", Path: "/v8/Organizations/1"},
			"GET /v8/Organizations/1: HTTP 404 ResourceNotFound: Organization was not found."},
		{APIError{StatusCode: 403, Message: "Forbidden.", Method: "PUT", Path: "/v6/AuditEmailSettings"},
			"PUT /v6/AuditEmailSettings: HTTP 403: Forbidden."},
		{APIError{StatusCode: 500, Method: "POST", Path: "/v8/token"}, "POST /v8/token: HTTP 500"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	nf := &NotFoundError{Kind: "user", Key: "name", Value: "a@b", Scope: `in organization "contoso"`}
	if got := nf.Error(); got != `no user with name "a@b" in organization "contoso"` || !errors.Is(nf, ErrNotFound) {
		t.Errorf("NotFoundError = %q", got)
	}
}

// ---- TLS ----

func TestTLSCertificates(t *testing.T) {
	fake := vb365test.StartTLS(t, vb365test.Options{})
	fake.SeedDemo()
	ctx := context.Background()

	t.Run("untrusted", func(t *testing.T) {
		c := newTestClient(t, fake.URL)
		rec := recordSleeps(c)
		err := c.Login(ctx)
		if !IsCertificateError(err) {
			t.Fatalf("err = %v (%T), want a certificate error", err, err)
		}
		if errors.Is(err, ErrAuthentication) {
			t.Fatal("a certificate error is not an authentication failure")
		}
		if w := rec.Waits(); len(w) != 0 {
			t.Fatalf("a certificate error was retried: waits %v", w)
		}
		if IsCertificateError(errors.New("x509 lookalike")) || IsCertificateError(nil) {
			t.Fatal("IsCertificateError false positive")
		}
	})
	t.Run("insecure", func(t *testing.T) {
		c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.Insecure = true })
		orgs, err := c.ListOrganizations(ctx)
		if err != nil || len(orgs) != 2 {
			t.Fatalf("ListOrganizations = %d, %v", len(orgs), err)
		}
	})
	t.Run("ca", func(t *testing.T) {
		pemText := fake.CertificatePEM()
		if !strings.HasPrefix(pemText, "-----BEGIN CERTIFICATE-----") {
			t.Fatalf("CertificatePEM = %q", pemText)
		}
		c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.CACertPEM = pemText })
		org, err := c.GetOrganization(ctx, vb365test.DemoOrganizationID)
		if err != nil || org.Name != vb365test.DemoOrganization {
			t.Fatalf("GetOrganization = %v, %v", org, err)
		}
	})
}

// ---- New ----

func TestNewValidation(t *testing.T) {
	ok := Config{URL: "https://vb365.example:4443", Username: "u", Password: "p"}
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"empty URL", func(c *Config) { c.URL = "  " }, "URL is empty"},
		{"no scheme", func(c *Config) { c.URL = "vb365.example:4443" }, "needs a scheme"},
		{"no scheme host only", func(c *Config) { c.URL = "vb365.example" }, "needs a scheme"},
		{"ftp", func(c *Config) { c.URL = "ftp://vb365.example" }, "needs a scheme"},
		{"no host", func(c *Config) { c.URL = "https://" }, "has no host"},
		{"bad URL", func(c *Config) { c.URL = "https://vb365 example:4443/%zz" }, "does not parse"},
		{"unknown version", func(c *Config) { c.APIVersion = "v5" }, `unsupported VB365 REST API version "v5": supported are v6, v7, v8`},
		{"no username", func(c *Config) { c.Username = "" }, "username and password are required"},
		{"no password", func(c *Config) { c.Password = "" }, "username and password are required"},
		{"insecure and CA", func(c *Config) { c.Insecure = true; c.CACertPEM = "x" }, "mutually exclusive"},
		{"bad CA", func(c *Config) {
			c.CACertPEM = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"
		}, "holds no certificate"},
		{"CA not PEM", func(c *Config) { c.CACertPEM = "hello" }, "holds no certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.change(&cfg)
			c, err := New(cfg)
			if err == nil {
				t.Fatalf("New succeeded: %+v", c)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %q, want it to contain %q", err, tt.want)
			}
		})
	}

	c, err := New(Config{URL: " https://vb365.example:4443/proxy/?x=1#f ", Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if c.APIVersion() != V8 || c.BaseURL() != "https://vb365.example:4443/proxy" {
		t.Fatalf("version %q, base %q", c.APIVersion(), c.BaseURL())
	}
	if got := c.url("Organizations/"+escape("a/b c"), url.Values{"limit": {"1"}}); got != "https://vb365.example:4443/proxy/v8/Organizations/a%2Fb%20c?limit=1" {
		t.Fatalf("url = %q", got)
	}
	if c.cfg.MaxRetries != 5 || c.cfg.RetryWaitMin != 500*time.Millisecond || c.cfg.Timeout != 60*time.Second || c.cfg.UserAgent != "terraform-provider-vb365" {
		t.Fatalf("defaults = %+v", c.cfg)
	}
	c6, err := New(Config{URL: "http://h", Username: "u", Password: "p", APIVersion: V6})
	if err != nil || c6.APIVersion() != V6 {
		t.Fatalf("v6: %v", err)
	}
}

func TestParseAPIVersion(t *testing.T) {
	for in, want := range map[string]APIVersion{"": V8, "v8": V8, "V7": V7, " 6 ": V6} {
		got, err := ParseAPIVersion(in)
		if err != nil || got != want {
			t.Errorf("ParseAPIVersion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseAPIVersion("5"); err == nil || !strings.Contains(err.Error(), `"v5"`) {
		t.Errorf("ParseAPIVersion(5) err = %v", err)
	}
	if V6.SupportsEmailOAuth() || !V7.SupportsEmailOAuth() || !V8.SupportsEmailOAuth() {
		t.Error("SupportsEmailOAuth is wrong")
	}
}

// ---- headers and redaction ----

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

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestLogsRedactSecrets(t *testing.T) {
	const (
		password     = "S3cr3t-Pa55word!"
		accessToken  = "ACCESS-7f3a9c0e51b2"
		accessToken2 = "ACCESS-second-88d1"
		refreshToken = "REFRESH-4d7c0c1e2b0f"
		refresh2     = "REFRESH-second-0c0c"
		userPassword = "smtp-Pa55-0f9e8d"
	)
	var tokenCalls, puts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v8/token":
			if tokenCalls.Add(1) == 1 {
				writeToken(w, accessToken, refreshToken)
			} else {
				writeToken(w, accessToken2, refresh2)
			}
		case r.Method == http.MethodPut:
			// First answer 401 (forcing a refresh), then echo the body
			// back, password included, as a careless server might.
			if puts.Add(1) == 1 {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = io.WriteString(w, `{"message":"Authorization has been denied for this request."}`)
				return
			}
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(b)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	log := &recLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Password = password; cfg.Logger = log })

	body := map[string]any{
		"enableNotification": true, "smtpServer": "smtp.contoso.com", "port": 587,
		"useAuthentication": true, "userName": "notify@contoso.com", "userPassword": userPassword,
		"nested": []any{map[string]any{"password": password, "ok": "visible"}},
	}
	var out map[string]any
	if err := c.do(context.Background(), request{method: http.MethodPut, path: "AuditEmailSettings", body: body, idempotent: true}, &out); err != nil {
		t.Fatalf("PUT: %v", err)
	}
	if out["userPassword"] != userPassword {
		t.Fatalf("the echo did not decode: %v", out)
	}
	if s := c.authStats(); s.Logins != 1 || s.Refreshes != 1 {
		t.Fatalf("authStats = %+v, want one login and one refresh", s)
	}

	entries := log.Entries()
	if len(entries) < 6 {
		t.Fatalf("only %d log entries", len(entries))
	}
	secrets := []string{password, accessToken, accessToken2, refreshToken, refresh2, userPassword}
	sawBody, sawTrace := false, false
	for _, e := range entries {
		for k, v := range e.fields {
			s := fmt.Sprint(v)
			for _, sec := range secrets {
				if strings.Contains(s, sec) || strings.Contains(k, sec) {
					t.Errorf("log %q field %s = %q leaks %q", e.msg, k, s, sec)
				}
			}
		}
		if e.msg == "VB365 API request" && e.fields["method"] == "PUT" {
			sawBody = true
			if b := fmt.Sprint(e.fields["body"]); !strings.Contains(b, `"userPassword":"***"`) || !strings.Contains(b, `"smtpServer":"smtp.contoso.com"`) || !strings.Contains(b, `"ok":"visible"`) {
				t.Errorf("logged body = %s", b)
			}
		}
		if e.level == "trace" && strings.Contains(fmt.Sprint(e.fields["body"]), "userPassword") {
			sawTrace = true
		}
	}
	if !sawBody || !sawTrace {
		t.Fatalf("request body logged %v, response body traced %v", sawBody, sawTrace)
	}
}

func TestRedactJSON(t *testing.T) {
	got := redactJSON([]byte(`{"Password":"p","access_token":"a","refresh_token":null,"list":[{"userPassword":"u","code":"c"}],"name":"n"}`))
	want := `{"Password":"***","access_token":"***","list":[{"code":"***","userPassword":"***"}],"name":"n","refresh_token":null}`
	if got != want {
		t.Fatalf("redactJSON = %s\nwant        %s", got, want)
	}
	if got := redactJSON([]byte("password=hunter2")); strings.Contains(got, "hunter2") {
		t.Fatalf("non-JSON body logged verbatim: %s", got)
	}
	if got := redactJSON(bytes.Repeat([]byte("a"), maxLoggedBody+1)); got != fmt.Sprintf("<%d bytes>", maxLoggedBody+1) {
		t.Fatalf("large body = %s", got)
	}
}

// TestRetryConfigEncoding: 0 is the default, NoRetries and NoRateLimitWait
// disable, any other negative value is refused naming the field.
func TestRetryConfigEncoding(t *testing.T) {
	base := Config{URL: "https://vb365.example:4443", Username: "u", Password: "p"}
	for _, tc := range []struct {
		retries   int
		wait      time.Duration
		wantR     int
		wantW     time.Duration
		wantField string
	}{
		{0, 0, DefaultMaxRetries, DefaultRateLimitWait, ""},
		{NoRetries, NoRateLimitWait, 0, 0, ""},
		{3, time.Minute, 3, time.Minute, ""},
		{-2, 0, 0, 0, "max_retries"},
		{0, -time.Second, 0, 0, "rate_limit_timeout"},
	} {
		cfg := base
		cfg.MaxRetries, cfg.RateLimitWait = tc.retries, tc.wait
		c, err := New(cfg)
		var ce *ConfigError
		switch {
		case tc.wantField != "":
			if !errors.As(err, &ce) || ce.Field != tc.wantField {
				t.Errorf("%+v: err = %v, want a ConfigError for %s", tc, err, tc.wantField)
			}
		case err != nil:
			t.Errorf("%+v: %v", tc, err)
		case c.cfg.MaxRetries != tc.wantR || c.cfg.RateLimitWait != tc.wantW:
			t.Errorf("%+v: MaxRetries %d, RateLimitWait %s", tc, c.cfg.MaxRetries, c.cfg.RateLimitWait)
		}
	}
}

package vb365

// Helpers shared by the client's tests: test clients, and recorders of
// sleeps, logs and requests.

import (
	"bytes"
	"context"
	"encoding/json"
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

type roundTripFunc func(*http.Request) (*http.Response, error)

func ptr[T any](v T) *T { return &v }

// rawPages answers every users page with the given function.
func rawPages(t *testing.T, page func(r *http.Request, n int) string) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v8/token" {
			writeToken(w, "access-token-1", "refresh-token-1")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, page(r, int(n.Add(1))))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// countingTransport counts requests per "METHOD path" and can hold the
// answer of chosen requests until released.
type countingTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	n    map[string]int
	// hold, when set, is called with each request (after the server
	// answered) and may block.
	hold func(r *http.Request, n int)
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	c.mu.Lock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	key := r.Method + " " + r.URL.Path
	c.n[key]++
	n := c.n[key]
	hold := c.hold
	c.mu.Unlock()
	if hold != nil {
		hold(r, n)
	}
	return resp, err
}

func (c *countingTransport) count(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[key]
}

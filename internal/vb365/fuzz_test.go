package vb365

// Fuzz targets for everything the client reads from a server it does not
// control. `go test` runs their seed corpus; `make fuzz` fuzzes each one
// briefly (CI does too).

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

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

func FuzzNewAPIError(f *testing.F) {
	f.Add(404, "application/json", `{"message":"Organization was not found.","errorCode":"ResourceNotFound"}`, "hunter2")
	f.Add(400, "", `{"error":"invalid_grant","error_description":"bad hunter2"}`, "hunter2")
	f.Add(502, "text/html", "<html>"+strings.Repeat("x", 2000)+"</html>", "x")
	f.Add(500, "text/plain", "", "")
	// A secret across the 512-byte cut of a non-JSON body.
	f.Add(502, "text/html", strings.Repeat("y", 505)+"Secret-4711-abc", "Secret-4711-abc")
	f.Fuzz(func(t *testing.T, status int, ctype, body, secret string) {
		var s secretSet
		s.remember(secret)
		e := newAPIError("GET", "/v8/x", status, ctype, []byte(body), s.mask)
		// What the server wrote (message and code) never shows the secret.
		// (A "secret" that is part of the client's own framing words, such
		// as " " or "body", is not the server's text.)
		framing := "a " + ctype + " body, not JSON: " + Redacted
		for _, msg := range []string{e.Message, e.ErrorCode} {
			if strings.Trim(secret, "*") != "" && !strings.Contains(framing, secret) && strings.Contains(msg, secret) {
				t.Fatalf("the error shows the secret %q: %q", secret, msg)
			}
		}
		// Non-JSON bodies are cut; a JSON message is the server's own.
		if !json.Valid([]byte(body)) && len(e.Message) > maxErrorBody*4+64 {
			t.Fatalf("message of %d bytes from a non-JSON body", len(e.Message))
		}
		_ = errors.Is(e, ErrNotFound)
	})
}

func FuzzRedact(f *testing.F) {
	f.Add(`{"password":"p","nested":[{"userPassword":"q"}],"to":"a"}`, "p", "the password p was wrong")
	f.Add(`not json`, "x*", "xx* and x*")
	f.Add(`{"a":"b"}`, `qu"ote\`, `echo qu\"ote\\ here`)
	f.Fuzz(func(t *testing.T, body, secret, text string) {
		out := redactJSON([]byte(body))
		if len(body) > 0 && json.Valid([]byte(body)) && len(body) <= maxLoggedBody && !json.Valid([]byte(out)) {
			t.Fatalf("redactJSON(%q) = %q, not JSON", body, out)
		}
		var s secretSet
		s.remember(secret)
		s.rememberBody([]byte(body))
		masked := s.mask(text)
		if strings.Trim(secret, "*") != "" && strings.Contains(masked, secret) {
			t.Fatalf("mask(%q) = %q still holds %q", text, masked, secret)
		}
	})
}

func FuzzIDMatch(f *testing.F) {
	f.Add("org:user:3:abc", "abc")
	f.Add("ABC", "abc")
	f.Add("a:b:c:d:e", "d:e")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, embedded, id string) {
		m := idMatch(embedded, id)
		if (embedded == "" || id == "") && m != matchNone {
			t.Fatalf("idMatch(%q, %q) = %d for an empty side", embedded, id, m)
		}
		if embedded != "" && utf8.ValidString(embedded) && idMatch(embedded, embedded) != matchID {
			t.Fatalf("idMatch(%q, itself) = %d", embedded, idMatch(embedded, embedded))
		}
		if utf8.ValidString(embedded) && utf8.ValidString(id) && idMatch(embedded, strings.ToUpper(id)) != idMatch(embedded, strings.ToLower(id)) &&
			strings.EqualFold(strings.ToUpper(id), strings.ToLower(id)) {
			t.Fatalf("idMatch(%q, %q) depends on case", embedded, id)
		}
	})
}

func FuzzAuditItemsDecode(f *testing.F) {
	f.Add(`[{"id":"i1","type":"User","user":{"id":"u1","name":"a@b"}}]`, "u1")
	f.Add(`[{"id":"i2","type":"UserV2","user":{"id":"o:user:1:u1"}},{"id":"i3","type":"Group","group":{"id":"g"}}]`, "u1")
	f.Add(`[{"id":"i4","type":"Mystery","user":{"id":"u"},"group":{"id":"g"}}]`, "g")
	f.Add(`[{"id":"i5"}]`, "")
	f.Fuzz(func(t *testing.T, body, principalID string) {
		var items []AuditItem
		if json.Unmarshal([]byte(body), &items) != nil {
			return
		}
		for i := range items {
			it := &items[i]
			if it.IsUser() && it.IsGroup() {
				t.Fatalf("%+v is both a user and a group", it)
			}
			_ = it.NormalizedType()
			_ = it.PrincipalID()
		}
		for _, kind := range []string{AuditTypeUser, AuditTypeGroup} {
			if it := MatchAuditItem(items, Principal{Type: kind, ID: principalID}); it != nil && !strings.EqualFold(it.NormalizedType(), kind) {
				t.Fatalf("a %s matched item %+v", kind, it)
			}
		}
	})
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

func FuzzTokenResponse(f *testing.F) {
	f.Add(200, `{"access_token":"a-token","refresh_token":"r","expires_in":3600}`)
	f.Add(200, `{"token_type":"bearer"}`)
	f.Add(400, `{"error":"invalid_grant"}`)
	f.Add(200, `{"access_token":"a","expires_in":-5}`)
	f.Add(404, `<html>not here</html>`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 200 || status > 599 {
			return
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		}))
		defer srv.Close()
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = -1; cfg.RateLimitWait = -1 })
		err := c.Login(context.Background())
		if err == nil && (status >= 300 || c.auth.tok == nil || c.auth.tok.access == "") {
			t.Fatalf("Login succeeded on HTTP %d %q", status, body)
		}
		if err != nil && strings.Contains(err.Error(), vb365test.DefaultPassword) {
			t.Fatalf("the error shows the password: %v", err)
		}
	})
}

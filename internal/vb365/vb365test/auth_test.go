package vb365test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"
)

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

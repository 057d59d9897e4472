package vb365test

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

type issuedToken struct {
	access         string
	refresh        string
	expires        time.Time
	refreshExpires time.Time
}

// authRoutes adds the auth routes.
func authRoutes(r *router) {
	r.handle(http.MethodPost, "/token", (*call).token, anonymous, onV5(http.StatusOK))
	r.handle(http.MethodPost, "/token/logout", (*call).logout, onlyVersions("v7", "v8"), succeeds(http.StatusOK, http.StatusOK, http.StatusNoContent))
	r.handle(http.MethodGet, "/ServiceInstance", (*call).serviceInstance)
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// tokenForm reads the token request as a form or, as the spec also allows,
// as JSON.
func (c *call) tokenForm() (url.Values, error) {
	ct, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if ct == "application/json" {
		var m map[string]any
		if err := json.NewDecoder(c.r.Body).Decode(&m); err != nil {
			return nil, err
		}
		v := url.Values{}
		for k, val := range m {
			v.Set(k, fmt.Sprint(val))
		}
		return v, nil
	}
	if err := c.r.ParseForm(); err != nil {
		return nil, err
	}
	return c.r.PostForm, nil
}

// oauthError answers 400 in the OAuth form the token endpoint uses.
func (c *call) oauthError(code, description string) {
	c.writeJSON(http.StatusBadRequest, map[string]any{"error": code, "error_description": description})
}

func (c *call) token() {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.opts.Quirks.ThrottleToken {
		if wait, limited := s.throttled(now); limited {
			c.w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds()+0.999)))
			c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			c.w.WriteHeader(http.StatusTooManyRequests)
			_, _ = fmt.Fprint(c.w, "API calls quota exceeded! maximum admitted 1 per Second.")
			return
		}
	}
	form, err := c.tokenForm()
	if err != nil {
		c.oauthError("invalid_request", "The request body could not be read.")
		return
	}
	// v5 has no antiforgery token. A v5 server probably ignores the unknown
	// field [I]; the fake refuses it, so that a client sending v7's field
	// to v5 fails its tests.
	if c.version == "v5" && form.Has("disable_antiforgery_token") {
		c.oauthError("invalid_request", "The parameter disable_antiforgery_token is not supported.")
		return
	}
	switch form.Get("grant_type") {
	case "password":
		if !strings.EqualFold(form.Get("username"), s.opts.Username) || form.Get("password") != s.opts.Password {
			c.oauthError("invalid_grant", "The user name or password is incorrect.")
			return
		}
	case "refresh_token":
		if s.opts.Quirks.StrictAntiforgery && c.fromV7() && !strings.EqualFold(form.Get("disable_antiforgery_token"), "true") {
			c.oauthError("invalid_grant", "The antiforgery token is missing.")
			return
		}
		old, ok := s.refresh[form.Get("refresh_token")]
		if !ok || now.After(old.refreshExpires) {
			c.oauthError("invalid_grant", "The refresh token is invalid or expired.")
			return
		}
		// Refresh tokens are single use.
		delete(s.refresh, old.refresh)
	case "":
		c.oauthError("unsupported_grant_type", "The grant_type is missing.")
		return
	default:
		c.oauthError("unsupported_grant_type", "The grant_type is not supported.")
		return
	}
	t := &issuedToken{
		access:         randomToken(32),
		refresh:        randomToken(24),
		expires:        now.Add(s.opts.TokenLifetime),
		refreshExpires: now.Add(s.opts.RefreshTokenLifetime),
	}
	s.tokens[t.access] = t
	s.refresh[t.refresh] = t
	body := map[string]any{
		"access_token":  t.access,
		"token_type":    "bearer",
		"expires_in":    int64(s.opts.TokenLifetime / time.Second),
		"refresh_token": t.refresh,
		"userName":      s.opts.Username,
		".issued":       now.UTC().Format(http.TimeFormat),
		".expires":      t.expires.UTC().Format(http.TimeFormat),
	}
	c.writeJSON(http.StatusOK, body)
}

// throttled applies 1 request per second and 5 per minute; it records the
// request when it is let through.
func (s *Server) throttled(now time.Time) (time.Duration, bool) {
	kept := s.throttle[:0]
	for _, t := range s.throttle {
		if now.Sub(t) < time.Minute {
			kept = append(kept, t)
		}
	}
	s.throttle = kept
	if n := len(kept); n > 0 && now.Sub(kept[n-1]) < time.Second {
		return time.Second - now.Sub(kept[n-1]), true
	}
	if len(kept) >= 5 {
		return time.Minute - now.Sub(kept[0]), true
	}
	s.throttle = append(s.throttle, now)
	return 0, false
}

func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[h[len(prefix):]]
	return ok && s.now().Before(t.expires)
}

func (c *call) logout() {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	h := c.r.Header.Get("Authorization")
	if len(h) > 7 {
		if t, ok := s.tokens[h[7:]]; ok {
			delete(s.tokens, t.access)
			delete(s.refresh, t.refresh)
		}
	}
	c.noContent(c.success())
}

func (c *call) serviceInstance() {
	c.writeJSON(http.StatusOK, map[string]any{"installationId": "8a1e2f5c-3d4b-4c6a-9e7f-0b1c2d3e4f50", "version": "8.1.0.305"})
}

// ExpireTokens makes every access token issued so far expire now; refresh
// tokens stay valid. The next call with an old token gets 401.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, t := range s.tokens {
		t.expires = now.Add(-time.Second)
	}
}

// RevokeTokens forgets every access and refresh token (a server restart).
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]*issuedToken{}
	s.refresh = map[string]*issuedToken{}
}

package vb365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// tokenResponse is OAuthTokenResponse. .issued and .expires are not parsed:
// the server writes them as RFC 1123 text although the spec says date-time;
// expiry is computed from expires_in.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	UserName     string `json:"userName"`
}

type token struct {
	access  string
	refresh string
	expiry  time.Time
	// refreshAt is when the token is renewed, shortly before expiry.
	refreshAt time.Time
}

// authenticator owns the token of one Client: one login shared by every
// caller, renewed with the refresh token before it runs out, and replaced by
// a fresh password login when the refresh fails. The real /token endpoint is
// rate-limited (about 1 request/s and 5/min), so nothing here logs in per
// request.
type authenticator struct {
	c *Client
	// sem serialises logins and refreshes; a channel so a caller can give
	// up waiting when its context ends.
	sem chan struct{}
	tok *token
	now func() time.Time
	// failed is the LoginError of a sign-in that failed: returned from then
	// on, without another request.
	failed error
	// cache, when configured, hands the token to later walks; loaded is
	// set once it was prepared and read, cacheStatus says what was found.
	cache       *tokenCache
	loaded      bool
	cacheStatus TokenCacheStatus

	logins    atomic.Int64
	refreshes atomic.Int64
	cached    atomic.Int64
}

func newAuthenticator(c *Client) *authenticator {
	return &authenticator{c: c, sem: make(chan struct{}, 1), now: time.Now}
}

// authStats counts the token requests a Client made, and the tokens it
// took from the token cache.
type authStats struct {
	Logins    int64
	Refreshes int64
	Cached    int64
}

// authStats reports how many password logins and refreshes the client made.
func (c *Client) authStats() authStats {
	return authStats{Logins: c.auth.logins.Load(), Refreshes: c.auth.refreshes.Load(), Cached: c.auth.cached.Load()}
}

// Login signs in now and keeps the token for later calls. Calls sign in
// by themselves when needed: the provider does not call Login, so that a
// Terraform walk that makes no API call makes no token request.
func (c *Client) Login(ctx context.Context) error {
	_, err := c.auth.token(ctx)
	return err
}

func (a *authenticator) lock(ctx context.Context) error {
	select {
	case a.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (a *authenticator) unlock() { <-a.sem }

// token returns a valid access token, logging in or refreshing as needed.
func (a *authenticator) token(ctx context.Context) (string, error) {
	if err := a.lock(ctx); err != nil {
		return "", err
	}
	defer a.unlock()
	if a.failed != nil {
		return "", a.failed
	}
	if a.tok == nil {
		a.loadCache(ctx)
	}
	now := a.now()
	if a.tok != nil && now.Before(a.tok.refreshAt) {
		return a.tok.access, nil
	}
	if a.tok != nil && a.tok.refresh != "" {
		err := a.exchange(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {a.tok.refresh}})
		if err == nil {
			a.refreshes.Add(1)
			return a.tok.access, nil
		}
		if ctx.Err() != nil {
			return "", err
		}
		a.c.log.Debug(ctx, "VB365 token refresh failed, logging in again", map[string]any{"error": err.Error()})
	}
	err := a.exchange(ctx, url.Values{
		"grant_type": {"password"},
		"username":   {a.c.cfg.Username},
		"password":   {a.c.cfg.Password},
	})
	if err != nil {
		a.tok = nil
		if ctx.Err() != nil {
			return "", err // this caller gave up; the next one may sign in
		}
		a.failed = &LoginError{URL: a.c.base.Redacted(), Err: err}
		return "", a.failed
	}
	a.logins.Add(1)
	return a.tok.access, nil
}

// CheckTokenCache prepares the configured token cache now instead of at
// the first API call, and reads its token (a local file; no request), so
// that the caller can report at once what the client would otherwise only
// log: why the cache cannot be used (a relative path, not a directory,
// another user's, writable by others, not writable), or why its token was
// ignored. Without a configured cache it returns the zero status.
func (c *Client) CheckTokenCache(ctx context.Context) TokenCacheStatus {
	a := c.auth
	if err := a.lock(ctx); err != nil {
		return TokenCacheStatus{}
	}
	defer a.unlock()
	a.loadCache(ctx)
	return a.cacheStatus
}

// loadCache prepares the token cache and takes its token, once per client.
// Callers hold a.sem.
func (a *authenticator) loadCache(ctx context.Context) {
	if a.cache == nil || a.loaded {
		return
	}
	a.loaded = true
	if reason := a.cache.prepare(); reason != "" {
		a.cacheStatus.Unusable = reason
		a.cache = nil
		a.c.log.Warn(ctx, "VB365 token cache not used", map[string]any{"reason": reason})
		return
	}
	t, ignored, quiet := a.cache.load(a.now())
	switch {
	case t != nil:
		a.c.secrets.remember(t.access)
		a.tok = t
		a.cached.Add(1)
		a.c.log.Debug(ctx, "VB365 token taken from the token cache", map[string]any{"expires": t.expiry.UTC().Format(time.RFC3339)})
	case ignored != "":
		a.cacheStatus.Ignored = ignored
		a.c.log.Warn(ctx, "VB365 cached token ignored", map[string]any{"reason": ignored})
	default:
		a.c.log.Debug(ctx, "VB365 token cache holds no usable token", map[string]any{"reason": quiet})
	}
}

// invalidate forgets the token used by a request that got a 401, unless a
// concurrent caller already replaced it. The refresh token is kept, so the
// next call tries a refresh before a password login.
func (a *authenticator) invalidate(access string) {
	a.sem <- struct{}{}
	defer a.unlock()
	if a.tok != nil && a.tok.access == access {
		a.tok.refreshAt = time.Time{}
	}
}

func (a *authenticator) exchange(ctx context.Context, form url.Values) error {
	if a.c.spec.antiforgeryField {
		form.Set("disable_antiforgery_token", "true")
	}
	var tr tokenResponse
	grant := form.Get("grant_type")
	a.c.log.Debug(ctx, "VB365 token request", map[string]any{"grant_type": grant})
	err := a.c.do(ctx, request{
		method:     http.MethodPost,
		path:       "token",
		form:       form,
		wantStatus: http.StatusOK,
		idempotent: true,
		anonymous:  true,
	}, &tr)
	if err != nil {
		return a.tokenError(err)
	}
	if tr.AccessToken == "" {
		return &BadAnswerError{Method: http.MethodPost, Path: "/" + string(a.c.version) + "/token", Status: http.StatusOK,
			Reason: fmt.Sprintf("the token endpoint answered without an access_token; is %s the VB365 REST API, and %s its version (api_version)?", a.c.base.Redacted(), a.c.version)}
	}
	a.c.secrets.remember(tr.AccessToken, tr.RefreshToken)
	lifetime := time.Duration(tr.ExpiresIn) * time.Second
	if lifetime <= 0 {
		// Documented default: 60 minutes.
		lifetime = time.Hour
	}
	// Renew a little before expiry: 10% of the lifetime, at most a minute.
	margin := min(lifetime/10, time.Minute)
	now := a.now()
	a.tok = &token{
		access:    tr.AccessToken,
		refresh:   tr.RefreshToken,
		expiry:    now.Add(lifetime),
		refreshAt: now.Add(lifetime - margin),
	}
	if a.cache != nil {
		if err := a.cache.store(a.tok); err != nil {
			a.c.log.Warn(ctx, "VB365 token cache not written", map[string]any{"error": a.c.secrets.mask(err.Error())})
		}
	}
	return nil
}

// oauthRefusals are the OAuth error codes that mean the credentials (or
// the refresh token) were refused; only these are ErrAuthentication.
var oauthRefusals = map[string]bool{"invalid_grant": true, "invalid_client": true, "unauthorized_client": true}

// tokenError says what a failed token request most likely means: refused
// credentials only when the server says so in OAuth terms; otherwise the
// URL, the scheme or the API version.
func (a *authenticator) tokenError(err error) error {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return err
	}
	endpoint := a.c.base.Redacted() + "/" + string(a.c.version) + "/token"
	switch {
	case oauthRefusals[strings.ToLower(apiErr.ErrorCode)]:
		return fmt.Errorf("%w: %w", ErrAuthentication, apiErr)
	case apiErr.StatusCode == http.StatusNotFound || apiErr.StatusCode == http.StatusMethodNotAllowed:
		return fmt.Errorf("%w (no token endpoint at %s: check the path of url and api_version, %s)", apiErr, endpoint, a.c.version)
	case apiErr.StatusCode == http.StatusBadRequest && strings.Contains(strings.ToLower(apiErr.Message), "https"):
		return fmt.Errorf("%w (the server expects HTTPS: write url with https://)", apiErr)
	case apiErr.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("%w: %w", ErrAuthentication, apiErr)
	case apiErr.StatusCode == http.StatusBadRequest:
		return fmt.Errorf("%w (the token endpoint %s refused the request without an OAuth error code; is url the VB365 REST API, and %s its version?)", apiErr, endpoint, a.c.version)
	}
	return err
}

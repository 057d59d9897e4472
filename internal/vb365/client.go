// Package vb365 is a thin client for the Veeam Backup for Microsoft 365
// (VB365) REST API: authentication, organizations, users, groups, sites,
// teams, audit items, restore operator roles, restore sessions and the audit
// and job e-mail settings. It knows HTTP and VB365, and nothing of Terraform.
//
// One file per API area; the request loop is client.go, its configuration
// config.go.
package vb365

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Client talks to one VB365 server. It is safe for concurrent use; one
// Client logs in once and shares its token across every caller.
type Client struct {
	base    *url.URL
	version APIVersion
	spec    versionSpec
	http    *http.Client
	cfg     Config
	log     Logger
	auth    *authenticator
	sleep   func(ctx context.Context, d time.Duration) error
	// secrets are masked in every server message and log (redact.go).
	secrets secretSet
	// audit shares audit-item lists per organization (audit_items.go).
	audit listCache[AuditItem]
	// roles shares restore operator role lists per organization.
	roles listCache[RestoreOperatorRole]
	// jobs shares an organization's backup job list (backup_jobs.go).
	jobs listCache[BackupJob]
	// dir answers user and group lookups from their lists (directory.go).
	dir directory
	// groups shares group member lists within a walk (group_members.go).
	groups groupWalk
	// objectStorages remembers the v6/v7 object storages (object_storages.go).
	objectStorages objectStorageCache

	// listThreshold replaces ListThreshold when positive (tests).
	listThreshold int
}

// New validates cfg (Config.resolve) and returns a Client. It does not
// contact the server; call Login to check the credentials early.
func New(cfg Config) (*Client, error) {
	cfg, base, spec, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		tr, err := newTransport(cfg)
		if err != nil {
			return nil, err
		}
		hc = &http.Client{Transport: tr, Timeout: cfg.Timeout}
	}
	c := &Client{base: base, version: cfg.APIVersion, spec: spec, http: withRedirectsRefused(hc), cfg: cfg, log: cfg.Logger, sleep: sleepCtx}
	c.audit.label, c.roles.label, c.jobs.label = "audit items", "restore operator roles", "backup jobs"
	c.secrets.remember(cfg.Password)
	c.auth = newAuthenticator(c)
	if cfg.TokenCacheDir != "" {
		c.auth.cache = newTokenCache(cfg.TokenCacheDir, base.String(), cfg.APIVersion, cfg.Username, cfg.Password, cfg.passwordCheckIterations)
	}
	return c, nil
}

// APIVersion returns the version prefix the client uses.
func (c *Client) APIVersion() APIVersion { return c.version }

// BaseURL returns the server URL without the version prefix.
func (c *Client) BaseURL() string { return c.base.String() }

// request describes one API call.
type request struct {
	method string
	// path below the version prefix, with every ID already escaped.
	path  string
	query url.Values
	// body is encoded as JSON when not nil.
	body any
	// form is sent form-encoded (the token endpoint) when not nil.
	form url.Values
	// wantStatus is the documented success status of this version; any 2xx
	// is accepted, another one is logged.
	wantStatus int
	// idempotent requests are retried after 5xx and connection errors;
	// every request is retried after 429.
	idempotent bool
	// anonymous requests carry no bearer token.
	anonymous bool
}

// escape turns an opaque ID into one path segment.
func escape(id string) string { return url.PathEscape(id) }

func (c *Client) url(path string, q url.Values) string {
	s := c.base.String() + "/" + string(c.version) + "/" + path
	if len(q) > 0 {
		s += "?" + q.Encode()
	}
	return s
}

// encode renders the request body and remembers its secrets.
func (c *Client) encode(req request) ([]byte, string, error) {
	switch {
	case req.form != nil:
		for _, k := range []string{"password", "refresh_token", "assertion", "client_secret"} {
			c.secrets.remember(req.form.Get(k))
		}
		return []byte(req.form.Encode()), "application/x-www-form-urlencoded", nil
	case req.body != nil:
		b, err := json.Marshal(req.body)
		if err != nil {
			return nil, "", fmt.Errorf("encoding %s %s: %w", req.method, req.path, err)
		}
		c.secrets.rememberBody(b)
		return b, "application/json", nil
	}
	return nil, "", nil
}

// answer is what one attempt got: a response with its (capped) body, or a
// transport error.
type answer struct {
	resp *http.Response
	body []byte
	err  error
	// tooLarge: the body was cut at the cap.
	tooLarge bool
}

// attempt sends req once.
func (c *Client) attempt(ctx context.Context, req request, target, logPath string, payload []byte, contentType, token string, n int) answer {
	hreq, err := http.NewRequestWithContext(ctx, req.method, target, bytes.NewReader(payload))
	if err != nil {
		return answer{err: fmt.Errorf("building %s %s: %w", req.method, logPath, err)}
	}
	if payload == nil {
		hreq.Body, hreq.ContentLength = http.NoBody, 0
	}
	if contentType != "" {
		hreq.Header.Set("Content-Type", contentType)
	}
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", c.cfg.UserAgent)
	if token != "" {
		hreq.Header.Set("Authorization", "Bearer "+token)
	}
	fields := map[string]any{"method": req.method, "path": logPath, "attempt": n}
	if len(req.query) > 0 {
		fields["query"] = c.secrets.mask(req.query.Encode())
	}
	if req.body != nil {
		fields["body"] = c.secrets.mask(redactJSON(payload))
	}
	c.log.Debug(ctx, "VB365 API request", fields)

	start := time.Now()
	resp, err := c.http.Do(hreq)
	if err != nil {
		return answer{err: err}
	}
	limit := int64(maxErrorResponseBytes)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		limit = c.cfg.MaxResponseBytes
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	_ = resp.Body.Close()
	if rerr != nil {
		return answer{err: rerr}
	}
	a := answer{resp: resp, body: body}
	if int64(len(body)) > limit {
		a.body, a.tooLarge = body[:limit], true
	}
	c.log.Debug(ctx, "VB365 API response", map[string]any{
		"method": req.method, "path": logPath, "status": resp.StatusCode,
		"duration_ms": time.Since(start).Milliseconds(), "bytes": len(a.body),
	})
	return a
}

// do sends req, retrying as the policy in retry.go allows, and decodes a
// JSON answer into out (when out is not nil).
func (c *Client) do(ctx context.Context, req request, out any) error {
	if f, lacked := c.version.lacks(req.path); lacked {
		return &UnsupportedError{Feature: f, Version: c.version}
	}
	payload, contentType, err := c.encode(req)
	if err != nil {
		return err
	}
	target := c.url(req.path, req.query)
	logPath := "/" + string(c.version) + "/" + req.path

	// One new token per token the server rejects (an expiry, a restart),
	// at most max(1, MaxRetries) times: a token refused twice is not
	// replaced again, so a server that refuses every token ends the loop.
	rejected, reauths := "", 0
	retries := 0
	var throttled time.Duration
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		var token string
		if !req.anonymous {
			t, err := c.auth.token(ctx)
			if err != nil {
				return err
			}
			token = t
		}
		a := c.attempt(ctx, req, target, logPath, payload, contentType, token, n)
		if a.err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return fmt.Errorf("%s %s: %w", req.method, logPath, ctxErr)
			}
			permanent, hint := permanentTransportError(a.err)
			retryable := req.idempotent && !permanent
			c.log.Debug(ctx, "VB365 API connection error", map[string]any{"method": req.method, "path": logPath, "error": c.secrets.mask(a.err.Error()), "retryable": retryable})
			if retryable && retries < c.cfg.MaxRetries {
				if serr := c.sleep(ctx, c.backoff(retries)); serr != nil {
					return serr
				}
				retries++
				continue
			}
			return &TransportError{Method: req.method, Path: logPath, Err: a.err, Hint: hint}
		}
		resp := a.resp
		ctype := mediaType(resp.Header.Get("Content-Type"))
		if a.tooLarge {
			limit := c.cfg.MaxResponseBytes
			if resp.StatusCode < 200 || resp.StatusCode >= 300 {
				limit = maxErrorResponseBytes
			}
			return &BadAnswerError{Method: req.method, Path: logPath, Status: resp.StatusCode, ContentType: ctype,
				Reason: fmt.Sprintf("the body is larger than the client's limit of %d MiB; is a proxy in front of VB365 answering instead of it?", limit>>20)}
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			if req.wantStatus != 0 && resp.StatusCode != req.wantStatus {
				c.log.Debug(ctx, "VB365 API answered an undocumented success status", map[string]any{"path": logPath, "status": resp.StatusCode, "documented": req.wantStatus})
			}
			c.log.Trace(ctx, "VB365 API response body", map[string]any{"path": logPath, "body": c.secrets.mask(redactJSON(a.body))})
			if out == nil {
				return nil
			}
			return c.decodeAnswer(req.method, logPath, resp.StatusCode, ctype, a.body, out)
		}

		apiErr := newAPIError(req.method, logPath, resp.StatusCode, ctype, a.body, c.secrets.mask)
		if resp.StatusCode == http.StatusUnauthorized && !req.anonymous && token != rejected && reauths < max(1, c.cfg.MaxRetries) {
			// The token expired early or the server restarted: get a new
			// one (refresh, then password) and send again.
			rejected = token
			reauths++
			c.auth.invalidate(token)
			continue
		}
		if resp.StatusCode == http.StatusTooManyRequests {
			if wait, told, ok := c.throttleWait(resp.Header, throttled); told {
				if !ok {
					return apiErr
				}
				c.log.Debug(ctx, "VB365 API throttled, waiting as told", map[string]any{"path": logPath, "wait_ms": wait.Milliseconds(), "waited_ms": throttled.Milliseconds()})
				if serr := c.sleep(ctx, wait); serr != nil {
					return serr
				}
				throttled += wait
				continue
			}
		}
		if (resp.StatusCode == http.StatusTooManyRequests || (resp.StatusCode >= 500 && req.idempotent)) && retries < c.cfg.MaxRetries {
			wait := c.backoff(retries)
			if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				wait = min(ra, c.cfg.RetryAfterMax)
			}
			c.log.Debug(ctx, "VB365 API retrying", map[string]any{"path": logPath, "status": resp.StatusCode, "wait_ms": wait.Milliseconds()})
			if serr := c.sleep(ctx, wait); serr != nil {
				return serr
			}
			retries++
			continue
		}
		return apiErr
	}
}

// mediaType is the media type of a Content-Type header, for messages:
// without parameters, and cut to maxMediaType bytes (it is the server's
// text, of any length).
func mediaType(h string) string {
	if h == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(h)
	if err != nil {
		mt = h
	}
	return cutText(mt, maxMediaType)
}

const maxMediaType = 64

// cutText cuts s to at most n bytes (plus "..."), on a rune boundary.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// decodeAnswer decodes a success body into out. A JSON endpoint that
// answers no JSON is an error, never an empty result.
func (c *Client) decodeAnswer(method, logPath string, status int, ctype string, body []byte, out any) error {
	bad := func(reason string) error {
		return &BadAnswerError{Method: method, Path: logPath, Status: status, ContentType: ctype, Reason: c.secrets.mask(reason)}
	}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return bad("the body is empty where JSON was expected")
	case bytes.Equal(trimmed, []byte("null")):
		return bad("the body is JSON null where an object or a list was expected")
	case trimmed[0] != '{' && trimmed[0] != '[':
		return bad("it is not JSON: " + describeNonJSON(ctype, []byte(c.secrets.mask(string(trimmed)))) + "; is url the VB365 REST API (scheme, host, port and path)?")
	}
	if err := json.Unmarshal(body, out); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" && (te.Value == "array" || te.Value == "object") {
			return bad(fmt.Sprintf("a JSON %s came where this API version (%s) sends %s; does the server speak another REST API version? Check api_version",
				te.Value, c.version, map[string]string{"array": "an object", "object": "a list"}[te.Value]))
		}
		return bad("decoding failed: " + err.Error())
	}
	return nil
}

// checkID makes sure a GET by ID answered the object asked for (IDs compare
// ignoring case): an empty or foreign object must never reach a write.
func (c *Client) checkID(path, kind, asked, got string) error {
	if strings.EqualFold(asked, got) {
		return nil
	}
	reason := fmt.Sprintf("it is a %s without an id", kind)
	if got != "" {
		reason = fmt.Sprintf("it is %s %q, not the %q asked for", kind, got, asked)
	}
	return &BadAnswerError{Method: http.MethodGet, Path: "/" + string(c.version) + "/" + path, Status: http.StatusOK, Reason: reason}
}

// Package vb365 is a thin client for the Veeam Backup for Microsoft 365
// (VB365) REST API: authentication, organizations, users, groups, audit items
// and audit e-mail settings. It knows HTTP and VB365, and nothing of Terraform.
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

// Config configures a Client. URL, Username and Password are required.
type Config struct {
	// URL of the VB365 REST API, e.g. https://vb365.contoso.local:4443.
	// A path (for a reverse proxy) is kept; the version prefix is appended.
	URL      string
	Username string
	Password string
	// APIVersion is the path prefix, v8 when empty.
	APIVersion APIVersion

	// Insecure skips TLS certificate verification.
	Insecure bool
	// CACertPEM is one or more PEM certificates trusted in addition to the
	// system pool (VB365 ships a self-signed certificate).
	CACertPEM string

	// Timeout bounds one HTTP attempt. Default 60s.
	Timeout time.Duration
	// MaxRetries bounds the retries of one request after 5xx, a connection
	// error or a 429 without Retry-After. 0 means the default (5); NoRetries
	// disables them.
	MaxRetries int
	// RateLimitWait bounds the time one request spends waiting while the
	// server answers 429 with Retry-After, independently of MaxRetries.
	// 0 means the default (5 minutes); NoRateLimitWait disables those waits.
	RateLimitWait time.Duration
	// MaxResponseBytes caps a success body (64 MiB by default); error
	// bodies are capped at 1 MiB.
	MaxResponseBytes int64
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between
	// retries; a Retry-After header wins but is capped at RetryAfterMax.
	RetryWaitMin  time.Duration
	RetryWaitMax  time.Duration
	RetryAfterMax time.Duration

	// TokenCacheDir, when set, keeps the access token in a file there for
	// the clients of later Terraform walks (token_cache.go). Off when empty.
	// It must be an absolute path; CheckTokenCache says why it cannot be
	// used.
	TokenCacheDir string
	// passwordCheckIterations replaces DefaultPasswordCheckIterations
	// when positive (tests).
	passwordCheckIterations int

	// HTTPClient replaces the client built from the TLS settings above
	// (tests use it to count or validate traffic).
	HTTPClient *http.Client
	// Logger receives request logs with secrets masked. Optional.
	Logger Logger
	// UserAgent is sent with every request.
	UserAgent string
}

// Logger receives the client's logs. Fields never hold secrets.
type Logger interface {
	Warn(ctx context.Context, msg string, fields map[string]any)
	Debug(ctx context.Context, msg string, fields map[string]any)
	Trace(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

func (nopLogger) Warn(context.Context, string, map[string]any)  {}
func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Trace(context.Context, string, map[string]any) {}

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
	// dir answers principal lookups from a listing (directory.go).
	dir directory

	// listThreshold replaces ListThreshold when positive (tests).
	listThreshold int
}

// New validates cfg and returns a Client. It does not contact the server;
// call Login to check the credentials early.
func New(cfg Config) (*Client, error) {
	base, err := ParseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultAPIVersion
	}
	spec, ok := versions[cfg.APIVersion]
	if !ok {
		return nil, &ConfigError{Field: "api_version", Msg: fmt.Sprintf("unsupported VB365 REST API version %q: supported are %s", cfg.APIVersion, strings.Join(SupportedAPIVersions(), ", "))}
	}
	if cfg.Username == "" {
		return nil, &ConfigError{Field: "username", Msg: "the VB365 username and password are required"}
	}
	if cfg.Password == "" {
		return nil, &ConfigError{Field: "password", Msg: "the VB365 username and password are required"}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	switch {
	case cfg.MaxRetries == NoRetries:
		cfg.MaxRetries = 0
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		return nil, &ConfigError{Field: "max_retries", Msg: fmt.Sprintf("max_retries cannot be negative (%d)", cfg.MaxRetries)}
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = 500 * time.Millisecond
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = 30 * time.Second
	}
	if cfg.RetryAfterMax <= 0 {
		cfg.RetryAfterMax = 2 * time.Minute
	}
	switch {
	case cfg.RateLimitWait == NoRateLimitWait:
		cfg.RateLimitWait = 0
	case cfg.RateLimitWait == 0:
		cfg.RateLimitWait = DefaultRateLimitWait
	case cfg.RateLimitWait < 0:
		return nil, &ConfigError{Field: "rate_limit_timeout", Msg: fmt.Sprintf("the rate-limit wait cannot be negative (%s)", cfg.RateLimitWait)}
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "terraform-provider-vb365"
	}
	hc := cfg.HTTPClient
	if hc == nil {
		tr, err := newTransport(cfg)
		if err != nil {
			return nil, err
		}
		hc = &http.Client{Transport: tr, Timeout: cfg.Timeout}
	}
	log := cfg.Logger
	if log == nil {
		log = nopLogger{}
	}
	c := &Client{base: base, version: cfg.APIVersion, spec: spec, http: withRedirectsRefused(hc), cfg: cfg, log: log, sleep: sleepCtx}
	c.secrets.remember(cfg.Password)
	c.auth = newAuthenticator(c)
	if cfg.TokenCacheDir != "" {
		c.auth.cache = newTokenCache(cfg.TokenCacheDir, base.String(), cfg.APIVersion, cfg.Username, cfg.Password, cfg.passwordCheckIterations)
	}
	return c, nil
}

// Defaults of Config.
const (
	DefaultRateLimitWait = 5 * time.Minute
	DefaultMaxRetries    = 5

	// NoRetries, as Config.MaxRetries, disables retries (0 means the
	// default); NoRateLimitWait, as Config.RateLimitWait, disables waiting
	// out 429s.
	NoRetries                             = -1
	NoRateLimitWait         time.Duration = -1
	DefaultMaxResponseBytes               = 64 << 20
	// maxErrorResponseBytes caps an error body.
	maxErrorResponseBytes = 1 << 20
)

// ParseURL checks a VB365 URL as New does: an http or https scheme, a host,
// no user name or password in it (they belong in username and password,
// and a URL is printed in messages). It returns the URL without query,
// fragment and trailing slash. Errors are *ConfigError for "url" and never
// contain a password written into the URL.
func ParseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, &ConfigError{Field: "url", Msg: "the VB365 URL is empty"}
	}
	base, err := url.Parse(raw)
	if err != nil {
		return nil, &ConfigError{Field: "url", Msg: "the VB365 URL does not parse: write it as https://host:4443"}
	}
	if base.User != nil {
		return nil, &ConfigError{Field: "url", Msg: fmt.Sprintf("the VB365 URL %s holds a user name or password; remove them from the URL and set username and password instead", base.Redacted())}
	}
	scheme := strings.ToLower(base.Scheme)
	if !strings.Contains(raw, "://") {
		if strings.Contains(raw, "@") {
			// "admin:pw@host" parses as an opaque URL: never echo it.
			return nil, &ConfigError{Field: "url", Msg: "the VB365 URL has no scheme and seems to hold a user name or password; remove them from the URL, set username and password instead, and write the URL as https://host:4443"}
		}
		return nil, &ConfigError{Field: "url", Msg: fmt.Sprintf("the VB365 URL %q has no scheme; it needs a scheme, http or https: write https://host:4443", raw)}
	}
	if scheme != "https" && scheme != "http" {
		return nil, &ConfigError{Field: "url", Msg: fmt.Sprintf("the VB365 URL %q has the scheme %q; it needs a scheme of http or https: write https://host:4443", base.Redacted(), base.Scheme)}
	}
	base.Scheme = scheme
	if base.Host == "" {
		return nil, &ConfigError{Field: "url", Msg: fmt.Sprintf("the VB365 URL %q has no host", base.Redacted())}
	}
	base.Path = strings.TrimRight(base.Path, "/")
	base.RawPath = ""
	base.RawQuery, base.Fragment = "", ""
	return base, nil
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

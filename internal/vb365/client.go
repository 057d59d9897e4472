// Package vb365 is a thin client for the Veeam Backup for Microsoft 365
// (VB365) REST API: authentication, organizations, users, groups, audit items
// and audit e-mail settings. It knows HTTP and VB365, and nothing of Terraform.
package vb365

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
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
	// MaxRetries bounds the retries of one request after 429, 5xx or a
	// connection error. Default 5; negative disables retries.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between
	// retries; a Retry-After header wins but is capped at RetryAfterMax.
	RetryWaitMin  time.Duration
	RetryWaitMax  time.Duration
	RetryAfterMax time.Duration

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
	Debug(ctx context.Context, msg string, fields map[string]any)
	Trace(ctx context.Context, msg string, fields map[string]any)
}

type nopLogger struct{}

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
	// audit shares audit-item lists per organization (audit_items.go).
	audit auditCache
}

// New validates cfg and returns a Client. It does not contact the server;
// call Login to check the credentials early.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.URL) == "" {
		return nil, errors.New("the VB365 URL is empty")
	}
	base, err := url.Parse(strings.TrimSpace(cfg.URL))
	if err != nil {
		return nil, fmt.Errorf("the VB365 URL %q does not parse: %w", cfg.URL, err)
	}
	if base.Scheme != "https" && base.Scheme != "http" {
		return nil, fmt.Errorf("the VB365 URL %q needs a scheme: write https://host:4443", cfg.URL)
	}
	if base.Host == "" {
		return nil, fmt.Errorf("the VB365 URL %q has no host", cfg.URL)
	}
	base.Path = strings.TrimRight(base.Path, "/")
	base.RawQuery, base.Fragment = "", ""

	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultAPIVersion
	}
	spec, ok := versions[cfg.APIVersion]
	if !ok {
		return nil, fmt.Errorf("unsupported VB365 REST API version %q: supported are %s", cfg.APIVersion, strings.Join(SupportedAPIVersions(), ", "))
	}
	if cfg.Username == "" || cfg.Password == "" {
		return nil, errors.New("the VB365 username and password are required")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 5
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
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
	c := &Client{base: base, version: cfg.APIVersion, spec: spec, http: hc, cfg: cfg, log: log, sleep: sleepCtx}
	c.auth = newAuthenticator(c)
	return c, nil
}

// APIVersion returns the version prefix the client uses.
func (c *Client) APIVersion() APIVersion { return c.version }

// BaseURL returns the server URL without the version prefix.
func (c *Client) BaseURL() string { return c.base.String() }

func newTransport(cfg Config) (*http.Transport, error) {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		base = &http.Transport{Proxy: http.ProxyFromEnvironment}
	}
	tr := base.Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.Insecure && cfg.CACertPEM != "" {
		return nil, errors.New("insecure and ca_cert_pem are mutually exclusive")
	}
	if cfg.Insecure {
		tr.TLSClientConfig.InsecureSkipVerify = true //nolint:gosec // the user asked for it explicitly
	}
	if cfg.CACertPEM != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(cfg.CACertPEM)) {
			return nil, errors.New("the CA certificate PEM holds no certificate that parses")
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	return tr, nil
}

// IsCertificateError reports whether err comes from TLS certificate
// verification (unknown authority, wrong host name, expired certificate).
func IsCertificateError(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		cerr x509.CertificateInvalidError
	)
	return errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &cerr)
}

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

// do sends req, retrying as allowed, and decodes a JSON answer into out
// (when out is not nil and the answer has a body).
func (c *Client) do(ctx context.Context, req request, out any) error {
	var payload []byte
	contentType := ""
	switch {
	case req.form != nil:
		payload = []byte(req.form.Encode())
		contentType = "application/x-www-form-urlencoded"
	case req.body != nil:
		b, err := json.Marshal(req.body)
		if err != nil {
			return fmt.Errorf("encoding %s %s: %w", req.method, req.path, err)
		}
		payload = b
		contentType = "application/json"
	}
	target := c.url(req.path, req.query)
	logPath := "/" + string(c.version) + "/" + req.path

	reauthenticated := false
	for attempt := 0; ; attempt++ {
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
		hreq, err := http.NewRequestWithContext(ctx, req.method, target, bytes.NewReader(payload))
		if err != nil {
			return fmt.Errorf("building %s %s: %w", req.method, logPath, err)
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
		fields := map[string]any{"method": req.method, "path": logPath, "attempt": attempt + 1}
		if len(req.query) > 0 {
			fields["query"] = req.query.Encode()
		}
		if req.body != nil {
			fields["body"] = redactJSON(payload)
		}
		c.log.Debug(ctx, "VB365 API request", fields)

		start := time.Now()
		resp, err := c.http.Do(hreq)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return fmt.Errorf("%s %s: %w", req.method, logPath, ctxErr)
			}
			retryable := req.idempotent && !IsCertificateError(err)
			c.log.Debug(ctx, "VB365 API connection error", map[string]any{"method": req.method, "path": logPath, "error": err.Error(), "retryable": retryable})
			if retryable && attempt < c.cfg.MaxRetries {
				if serr := c.sleep(ctx, c.backoff(attempt)); serr != nil {
					return serr
				}
				continue
			}
			return &TransportError{Method: req.method, Path: logPath, Err: err}
		}
		body, rerr := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if rerr != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return fmt.Errorf("%s %s: %w", req.method, logPath, ctxErr)
			}
			if req.idempotent && attempt < c.cfg.MaxRetries {
				if serr := c.sleep(ctx, c.backoff(attempt)); serr != nil {
					return serr
				}
				continue
			}
			return &TransportError{Method: req.method, Path: logPath, Err: rerr}
		}
		c.log.Debug(ctx, "VB365 API response", map[string]any{
			"method": req.method, "path": logPath, "status": resp.StatusCode,
			"duration_ms": time.Since(start).Milliseconds(), "bytes": len(body),
		})
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			if req.wantStatus != 0 && resp.StatusCode != req.wantStatus {
				c.log.Debug(ctx, "VB365 API answered an undocumented success status", map[string]any{"path": logPath, "status": resp.StatusCode, "documented": req.wantStatus})
			}
			c.log.Trace(ctx, "VB365 API response body", map[string]any{"path": logPath, "body": redactJSON(body)})
			if out == nil || len(bytes.TrimSpace(body)) == 0 {
				return nil
			}
			if err := json.Unmarshal(body, out); err != nil {
				return fmt.Errorf("decoding the answer of %s %s: %w", req.method, logPath, err)
			}
			return nil
		}

		apiErr := newAPIError(req.method, logPath, resp.StatusCode, body)
		switch {
		case resp.StatusCode == http.StatusUnauthorized && !req.anonymous && !reauthenticated:
			// The token expired early or the server restarted: get a new
			// one (refresh, then password) and retry once.
			reauthenticated = true
			c.auth.invalidate(token)
			attempt--
			continue
		case resp.StatusCode == http.StatusTooManyRequests && attempt < c.cfg.MaxRetries,
			resp.StatusCode >= 500 && req.idempotent && attempt < c.cfg.MaxRetries:
			wait := c.backoff(attempt)
			if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				wait = min(ra, c.cfg.RetryAfterMax)
			}
			c.log.Debug(ctx, "VB365 API retrying", map[string]any{"path": logPath, "status": resp.StatusCode, "wait_ms": wait.Milliseconds()})
			if serr := c.sleep(ctx, wait); serr != nil {
				return serr
			}
			continue
		}
		return apiErr
	}
}

// TransportError is a request that got no HTTP answer (connection refused,
// TLS failure, timeout) after the allowed retries.
type TransportError struct {
	Method, Path string
	Err          error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// IsConnectionError reports whether err means the server could not be
// reached (as opposed to an answer the server gave).
func IsConnectionError(err error) bool {
	var te *TransportError
	if !errors.As(err, &te) {
		return false
	}
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &ne) || errors.As(err, &oe)
}

func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.RetryWaitMin << min(attempt, 16)
	if d <= 0 || d > c.cfg.RetryWaitMax {
		d = c.cfg.RetryWaitMax
	}
	// Up to 25% jitter so parallel callers do not retry in lockstep.
	jitter := time.Duration(time.Now().UnixNano() % int64(d/4+1))
	return d - d/8 + jitter/2
}

// parseRetryAfter reads seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var secs int
	if _, err := fmt.Sscanf(v, "%d", &secs); err == nil && fmt.Sprint(secs) == v {
		if secs < 0 {
			return 0, false
		}
		// Saturate instead of overflowing time.Duration (the caller caps
		// the wait at RetryAfterMax anyway).
		if secs > int(math.MaxInt64/int64(time.Second)) {
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

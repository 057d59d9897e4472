package vb365

import (
	"context"
	"fmt"
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

// resolve checks cfg and fills in its defaults: the URL parsed
// (ParseURL), the API version known, the credentials present, the retry
// settings decoded (0 is the default, NoRetries and NoRateLimitWait turn
// them off, any other negative value is refused naming its attribute).
// Errors are *ConfigError.
func (cfg Config) resolve() (Config, *url.URL, versionSpec, error) {
	base, err := ParseURL(cfg.URL)
	if err != nil {
		return cfg, nil, versionSpec{}, err
	}
	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultAPIVersion
	}
	spec, ok := versions[cfg.APIVersion]
	if !ok {
		return cfg, nil, versionSpec{}, &ConfigError{Field: "api_version", Msg: fmt.Sprintf("unsupported VB365 REST API version %q: supported are %s", cfg.APIVersion, strings.Join(SupportedAPIVersions(), ", "))}
	}
	if cfg.Username == "" {
		return cfg, nil, versionSpec{}, &ConfigError{Field: "username", Msg: "the VB365 username and password are required"}
	}
	if cfg.Password == "" {
		return cfg, nil, versionSpec{}, &ConfigError{Field: "password", Msg: "the VB365 username and password are required"}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.MaxRetries, err = orDefault(cfg.MaxRetries, DefaultMaxRetries, NoRetries, "max_retries", "max_retries"); err != nil {
		return cfg, nil, versionSpec{}, err
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
	if cfg.RateLimitWait, err = orDefault(cfg.RateLimitWait, DefaultRateLimitWait, NoRateLimitWait, "rate_limit_timeout", "the rate-limit wait"); err != nil {
		return cfg, nil, versionSpec{}, err
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "terraform-provider-vb365"
	}
	if cfg.Logger == nil {
		cfg.Logger = nopLogger{}
	}
	return cfg, base, spec, nil
}

// orDefault decodes a setting where 0 means the default and off turns it
// off (0); any other negative value is refused, naming field.
func orDefault[T int | time.Duration](v, def, off T, field, what string) (T, error) {
	switch {
	case v == off:
		return 0, nil
	case v == 0:
		return def, nil
	case v < 0:
		return v, &ConfigError{Field: field, Msg: fmt.Sprintf("%s cannot be negative (%v)", what, v)}
	}
	return v, nil
}

package vb365

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

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

// A password written into url is refused, and never printed.
func TestURLUserinfoRefused(t *testing.T) {
	for _, raw := range []string{"http://admin:s3cr3t-pw@vb365.example:4443", "https://admin@vb365.example", "admin:s3cr3t-pw@vb365.example:4443"} {
		_, err := New(Config{URL: raw, Username: "u", Password: "p"})
		var cerr *ConfigError
		if !errors.As(err, &cerr) || cerr.Field != "url" || !strings.Contains(err.Error(), "user name or password") {
			t.Fatalf("New(%q) = %v, want a ConfigError for url", raw, err)
		}
		if strings.Contains(err.Error(), "s3cr3t-pw") {
			t.Fatalf("the error prints the password: %v", err)
		}
	}
}

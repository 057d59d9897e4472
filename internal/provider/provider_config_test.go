package provider

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// wantDiag is one expected diagnostic: its severity, the attribute it is
// on, its summary, and text its detail must hold.
type wantDiag struct {
	severity diag.Severity
	attr     string
	summary  string
	detail   string
}

func errorOn(attr, summary, detail string) wantDiag {
	return wantDiag{diag.SeverityError, attr, summary, detail}
}

// checkDiags compares diagnostics with want, in order.
func checkDiags(t *testing.T, got diag.Diagnostics, want []wantDiag) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d diagnostics, want %d:\n%s", len(got), len(want), frameworkDiagsText(got))
	}
	for i, w := range want {
		d := got[i]
		attr := ""
		if dp, ok := d.(diag.DiagnosticWithPath); ok {
			attr = dp.Path().String()
		}
		if d.Severity() != w.severity || attr != w.attr || d.Summary() != w.summary || !strings.Contains(d.Detail(), w.detail) {
			t.Errorf("diagnostic %d: %s on %q: %q: %q\nwant %s on %q: %q holding %q", i, d.Severity(), attr, d.Summary(), d.Detail(), w.severity, w.attr, w.summary, w.detail)
		}
	}
}

func frameworkDiagsText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Severity().String() + ": " + d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

// TestResolveConfig: every way a provider block and the environment
// become the client's configuration or diagnostics naming the attribute:
// each environment fallback, an attribute winning over its variable, the
// defaults, the normalisations, each conflict, each bad value, unknowns.
func TestResolveConfig(t *testing.T) {
	// block is a provider block with nothing set.
	block := func() providerModel {
		return providerModel{
			URL: types.StringNull(), Username: types.StringNull(), Password: types.StringNull(), Insecure: types.BoolNull(),
			CACertPEM: types.StringNull(), APIVersion: types.StringNull(), RequestTimeout: types.StringNull(),
			MaxRetries: types.Int64Null(), RateLimit: types.StringNull(), TokenCacheDir: types.StringNull(),
		}
	}
	// credentials sets url, username and password in the block.
	credentials := func(m *providerModel) {
		m.URL, m.Username, m.Password = types.StringValue("https://vb365.contoso.local:4443"), types.StringValue("u"), types.StringValue("p")
	}
	const userAgent = "terraform-provider-vb365/1.2.3 (+https://registry.terraform.io/providers/terraform-vb365/vb365)"
	// defaults is what the credentials alone resolve to.
	defaults := func() vb365.Config {
		return vb365.Config{
			URL: "https://vb365.contoso.local:4443", Username: "u", Password: "p", APIVersion: vb365.DefaultAPIVersion,
			Timeout: 60 * time.Second, MaxRetries: vb365.DefaultMaxRetries, RateLimitWait: vb365.DefaultRateLimitWait,
			Logger: tflogLogger{secrets: []string{"p"}}, UserAgent: userAgent,
		}
	}
	const pem = "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n"

	cases := []struct {
		name  string
		set   func(*providerModel)
		env   map[string]string
		want  func(*vb365.Config) // changes to defaults(); nil with errors
		diags []wantDiag
	}{
		{name: "the credentials alone: every default", set: credentials, want: func(*vb365.Config) {}},
		{
			name: "everything from the environment",
			env: map[string]string{
				envURL: "https://env.contoso.local:4443", envUsername: "env-user", envPassword: "env-pw", envInsecure: "true",
				envAPIVersion: "v7", envTimeout: "2m", envMaxRetries: "3", envRateLimit: "30s", envTokenCache: "/var/cache/vb365",
			},
			want: func(c *vb365.Config) {
				c.URL, c.Username, c.Password, c.Insecure = "https://env.contoso.local:4443", "env-user", "env-pw", true
				c.APIVersion, c.Timeout, c.MaxRetries, c.RateLimitWait = "v7", 2*time.Minute, 3, 30*time.Second
				c.TokenCacheDir, c.Logger = "/var/cache/vb365", tflogLogger{secrets: []string{"env-pw"}}
			},
		},
		{name: "VB365_CA_CERT_PEM", set: credentials, env: map[string]string{envCACertPEM: pem}, want: func(c *vb365.Config) { c.CACertPEM = pem }},
		{
			name: "an attribute wins over its variable",
			set: func(m *providerModel) {
				credentials(m)
				m.Insecure, m.APIVersion, m.RequestTimeout = types.BoolValue(false), types.StringValue("v6"), types.StringValue("10s")
				m.MaxRetries, m.RateLimit, m.TokenCacheDir = types.Int64Value(7), types.StringValue("1m"), types.StringValue("/block")
			},
			env: map[string]string{
				envURL: "https://env.contoso.local:4443", envUsername: "env-user", envPassword: "env-pw", envInsecure: "true",
				envAPIVersion: "v7", envTimeout: "2m", envMaxRetries: "3", envRateLimit: "30s", envTokenCache: "/env", envCACertPEM: "",
			},
			want: func(c *vb365.Config) {
				c.APIVersion, c.Timeout, c.MaxRetries, c.RateLimitWait, c.TokenCacheDir = "v6", 10*time.Second, 7, time.Minute, "/block"
			},
		},
		{
			name: "normalised as the validators read them",
			set: func(m *providerModel) {
				credentials(m)
				m.APIVersion, m.RequestTimeout, m.RateLimit, m.MaxRetries = types.StringValue("V7"), types.StringValue(" 60s "), types.StringValue("0s"), types.Int64Value(0)
			},
			want: func(c *vb365.Config) {
				c.APIVersion, c.RateLimitWait, c.MaxRetries = "v7", vb365.NoRateLimitWait, vb365.NoRetries
			},
		},
		{
			name: "api_version without its v, no retries from the environment",
			set:  func(m *providerModel) { credentials(m); m.APIVersion = types.StringValue("8") },
			env:  map[string]string{envMaxRetries: "0"},
			want: func(c *vb365.Config) { c.APIVersion, c.MaxRetries = "v8", vb365.NoRetries },
		},
		{
			name:  "nothing set",
			diags: []wantDiag{errorOn("url", "Missing VB365 URL", "VB365_URL"), errorOn("username", "Missing VB365 username", "VB365_USERNAME"), errorOn("password", "Missing VB365 password", "VB365_PASSWORD")},
		},
		{
			name:  "url without a scheme",
			set:   func(m *providerModel) { credentials(m); m.URL = types.StringValue("vb365.contoso.local:4443") },
			diags: []wantDiag{errorOn("url", "Invalid VB365 URL", "For example: https://vb365.contoso.local:4443.")},
		},
		{
			name:  "VB365_URL with a password",
			set:   func(m *providerModel) { m.Username, m.Password = types.StringValue("u"), types.StringValue("p") },
			env:   map[string]string{envURL: "https://admin:pw-in-url-31337@vb365.example:4443"},
			diags: []wantDiag{errorOn("url", "Invalid VB365 URL", "user name or password")},
		},
		{
			name: "insecure with ca_cert_pem",
			set: func(m *providerModel) {
				credentials(m)
				m.Insecure, m.CACertPEM = types.BoolValue(true), types.StringValue(pem)
			},
			diags: []wantDiag{errorOn("ca_cert_pem", "Conflicting VB365 TLS settings", "not both")},
		},
		{
			name:  "VB365_INSECURE with ca_cert_pem",
			set:   func(m *providerModel) { credentials(m); m.CACertPEM = types.StringValue(pem) },
			env:   map[string]string{envInsecure: "true"},
			diags: []wantDiag{errorOn("ca_cert_pem", "Conflicting VB365 TLS settings", "not both")},
		},
		{
			name:  "insecure with VB365_CA_CERT_PEM",
			set:   func(m *providerModel) { credentials(m); m.Insecure = types.BoolValue(true) },
			env:   map[string]string{envCACertPEM: pem},
			diags: []wantDiag{errorOn("ca_cert_pem", "Conflicting VB365 TLS settings", "not both")},
		},
		{
			name: "insecure = false beats VB365_INSECURE: no conflict",
			set: func(m *providerModel) {
				credentials(m)
				m.Insecure, m.CACertPEM = types.BoolValue(false), types.StringValue(pem)
			},
			env:  map[string]string{envInsecure: "true"},
			want: func(c *vb365.Config) { c.CACertPEM = pem },
		},
		{
			name:  "VB365_INSECURE not a boolean",
			set:   credentials,
			env:   map[string]string{envInsecure: "yes please"},
			diags: []wantDiag{errorOn("insecure", "Invalid VB365 provider configuration", `must be true or false, not "yes please"`)},
		},
		{
			name:  "an unknown api_version",
			set:   func(m *providerModel) { credentials(m); m.APIVersion = types.StringValue("v4") },
			diags: []wantDiag{errorOn("api_version", "Invalid VB365 API version", "supported are v5, v6, v7, v8")},
		},
		{
			name:  "VB365_API_VERSION unknown",
			set:   credentials,
			env:   map[string]string{envAPIVersion: "nine"},
			diags: []wantDiag{errorOn("api_version", "Invalid VB365 API version", `"vnine"`)},
		},
		{
			name:  "request_timeout not a duration",
			set:   func(m *providerModel) { credentials(m); m.RequestTimeout = types.StringValue("soon") },
			diags: []wantDiag{errorOn("request_timeout", "Invalid VB365 request timeout", `"soon" is not a positive duration`)},
		},
		{
			name:  "VB365_REQUEST_TIMEOUT of zero",
			set:   credentials,
			env:   map[string]string{envTimeout: "0s"},
			diags: []wantDiag{errorOn("request_timeout", "Invalid VB365 request timeout", `"0s" is not a positive duration`)},
		},
		{
			name:  "VB365_RATE_LIMIT_TIMEOUT negative",
			set:   credentials,
			env:   map[string]string{envRateLimit: "-1s"},
			diags: []wantDiag{errorOn("rate_limit_timeout", "Invalid VB365 rate-limit timeout", `"-1s" is not a non-negative duration`)},
		},
		{
			name:  "max_retries negative",
			set:   func(m *providerModel) { credentials(m); m.MaxRetries = types.Int64Value(-1) },
			diags: []wantDiag{errorOn("max_retries", "Invalid VB365 provider configuration", "max_retries cannot be negative.")},
		},
		{
			name:  "VB365_MAX_RETRIES not a number",
			set:   credentials,
			env:   map[string]string{envMaxRetries: "many"},
			diags: []wantDiag{errorOn("max_retries", "Invalid VB365 provider configuration", `must be a whole number, not "many"`)},
		},
		{
			name:  "VB365_MAX_RETRIES negative",
			set:   credentials,
			env:   map[string]string{envMaxRetries: "-2"},
			diags: []wantDiag{errorOn("max_retries", "Invalid VB365 provider configuration", "max_retries cannot be negative.")},
		},
		{
			name: "several problems: each reported, in attribute order",
			set:  func(m *providerModel) { m.Password, m.APIVersion = types.StringValue("p"), types.StringValue("v4") },
			env:  map[string]string{envInsecure: "maybe", envTimeout: "x", envMaxRetries: "-1"},
			diags: []wantDiag{
				errorOn("insecure", "Invalid VB365 provider configuration", `not "maybe"`),
				errorOn("url", "Missing VB365 URL", "VB365_URL"), errorOn("username", "Missing VB365 username", "VB365_USERNAME"),
				errorOn("api_version", "Invalid VB365 API version", `"v4"`),
				errorOn("request_timeout", "Invalid VB365 request timeout", `"x"`),
				errorOn("max_retries", "Invalid VB365 provider configuration", "cannot be negative"),
			},
		},
		{
			name: "unknown values: reported alone, before anything is read",
			set:  func(m *providerModel) { m.URL, m.MaxRetries = types.StringUnknown(), types.Int64Unknown() },
			env:  map[string]string{envInsecure: "maybe"},
			diags: []wantDiag{
				errorOn("url", "Unknown VB365 provider configuration", `while "url" is unknown`),
				errorOn("max_retries", "Unknown VB365 provider configuration", `while "max_retries" is unknown`),
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := block()
			if tc.set != nil {
				tc.set(&m)
			}
			getenv := func(name string) string {
				if !strings.HasPrefix(name, "VB365_") {
					t.Fatalf("resolveConfig read %s", name)
				}
				return tc.env[name]
			}
			got, diags := resolveConfig(m, getenv, "1.2.3")
			checkDiags(t, diags, tc.diags)
			if text := frameworkDiagsText(diags); strings.Contains(text, "pw-in-url-31337") {
				t.Errorf("a diagnostic shows the password of url:\n%s", text)
			}
			if tc.want == nil {
				if !reflect.DeepEqual(got, vb365.Config{}) {
					t.Errorf("a configuration with errors: %+v", got)
				}
				return
			}
			want := defaults()
			tc.want(&want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("config\n %+v\nwant\n %+v", got, want)
			}
		})
	}
}

// A configuration vb365.New refuses is reported on the attribute its
// ConfigError names; any other error on url.
func TestAddClientConfigError(t *testing.T) {
	_, err := vb365.New(vb365.Config{URL: "https://vb365.contoso.local:4443", Username: "u", Password: "p", CACertPEM: "not a certificate"})
	if err == nil {
		t.Fatal("vb365.New took a CA that is not PEM")
	}
	var diags diag.Diagnostics
	addClientConfigError(&diags, err)
	addClientConfigError(&diags, errors.New("something else"))
	checkDiags(t, diags, []wantDiag{
		errorOn("ca_cert_pem", "Invalid VB365 provider configuration", "no certificate that parses"),
		errorOn("url", "Invalid VB365 provider configuration", "something else."),
	})
}

// What CheckTokenCache found becomes warnings on token_cache_dir, never
// errors; nothing found says nothing.
func TestAddTokenCacheWarnings(t *testing.T) {
	warningOn := func(summary, detail string) wantDiag {
		return wantDiag{diag.SeverityWarning, "token_cache_dir", summary, detail}
	}
	for _, tc := range []struct {
		name   string
		status vb365.TokenCacheStatus
		want   []wantDiag
	}{
		{"usable", vb365.TokenCacheStatus{}, nil},
		{"unusable", vb365.TokenCacheStatus{Unusable: `"tokens" is a relative path`}, []wantDiag{
			warningOn("VB365 token cache not used", `"tokens" is a relative path`+"\n\nUntil this is fixed, the provider signs in with the password in every Terraform walk (token_cache_dir or VB365_TOKEN_CACHE_DIR)."),
		}},
		{"ignored", vb365.TokenCacheStatus{Ignored: "the file was issued for https://other:4443"}, []wantDiag{
			warningOn("VB365 cached token ignored", "the file was issued for https://other:4443\n\nThe provider signs in with the password and replaces the file."),
		}},
		{"both", vb365.TokenCacheStatus{Unusable: "a", Ignored: "b"}, []wantDiag{
			warningOn("VB365 token cache not used", "a\n\n"), warningOn("VB365 cached token ignored", "b\n\n"),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addTokenCacheWarnings(&diags, tc.status)
			checkDiags(t, diags, tc.want)
		})
	}
}

// The userinfo check runs at validation (terraform validate, plan
// before any Configure), through ValidateProviderConfig.
func TestProviderURLValidatedBeforeConfigure(t *testing.T) {
	p := newProtoProvider(t)
	cfg := dynamicValue(t, p.schema.Provider.ValueType(), map[string]tftypes.Value{
		"url": str("https://admin:pw-in-url-31337@vb365.example:4443"),
	})
	resp, err := p.srv.ValidateProviderConfig(context.Background(), &tfprotov6.ValidateProviderConfigRequest{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	text := diagsText(resp.Diagnostics)
	if !strings.Contains(text, "Invalid VB365 URL") || !strings.Contains(text, "user name or password") || strings.Contains(text, "pw-in-url-31337") {
		t.Fatalf("ValidateProviderConfig diagnostics:\n%s", text)
	}
}

// URL messages suggest a URL that is itself valid: no "https://
// http://...", no second port.
func TestURLSuggestions(t *testing.T) {
	for raw, want := range map[string]string{
		"vb365.contoso.local":          "https://vb365.contoso.local:4443",
		"vb365.contoso.local:4443":     "https://vb365.contoso.local:4443",
		"http//vb365.contoso.local:99": "https://vb365.contoso.local:99",
		"https:/vb365:4443/api/":       "https://vb365:4443/api",
		"//vb365":                      "https://vb365:4443",
	} {
		if got := suggestURL(raw); got != want {
			t.Errorf("suggestURL(%q) = %q, want %q", raw, got, want)
		}
		if msg := urlProblem(raw); !strings.Contains(msg, want) || strings.Count(msg, "https://") > 2 {
			t.Errorf("urlProblem(%q) = %q", raw, msg)
		}
	}
	if msg := urlProblem("https://vb365.contoso.local:4443"); msg != "" {
		t.Errorf("a good URL: %q", msg)
	}
}

func TestURLSuggestionKeepsHostsThatStartWithHTTP(t *testing.T) {
	if got := suggestURL("httpbin.contoso.local"); got != "https://httpbin.contoso.local:4443" {
		t.Fatalf("suggestURL = %q", got)
	}
}

// TestProviderTLSConflictAtValidation: insecure = true with ca_cert_pem is
// refused before Configure; insecure = false with a CA is not a conflict.
func TestProviderTLSConflictAtValidation(t *testing.T) {
	p := newProtoProvider(t)
	for _, tc := range []struct {
		insecure bool
		want     bool
	}{{true, true}, {false, false}} {
		cfg := dynamicValue(t, p.schema.Provider.ValueType(), map[string]tftypes.Value{
			"insecure":    tftypes.NewValue(tftypes.Bool, tc.insecure),
			"ca_cert_pem": str("x"),
		})
		resp, err := p.srv.ValidateProviderConfig(context.Background(), &tfprotov6.ValidateProviderConfigRequest{Config: cfg})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(diagsText(resp.Diagnostics), "Conflicting VB365 TLS settings"); got != tc.want {
			t.Errorf("insecure = %v: conflict reported %v, want %v:\n%s", tc.insecure, got, tc.want, diagsText(resp.Diagnostics))
		}
	}
}

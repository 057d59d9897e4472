package provider

// The provider configuration: the provider block's attributes and their
// environment variables, resolved into a vb365.Config (resolveConfig, pure
// and table-tested), and the validators that check the same attributes at
// plan time with the same readings (urlProblem, parseDuration,
// vb365.ParseAPIVersion), so a value means the same in both.

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// Environment variables the provider configuration falls back to.
const (
	envURL        = "VB365_URL"
	envUsername   = "VB365_USERNAME"
	envPassword   = "VB365_PASSWORD"
	envInsecure   = "VB365_INSECURE"
	envCACertPEM  = "VB365_CA_CERT_PEM"
	envAPIVersion = "VB365_API_VERSION"
	envTimeout    = "VB365_REQUEST_TIMEOUT"
	envMaxRetries = "VB365_MAX_RETRIES"
	envRateLimit  = "VB365_RATE_LIMIT_TIMEOUT"
	envTokenCache = "VB365_TOKEN_CACHE_DIR"
)

type providerModel struct {
	URL            types.String `tfsdk:"url"`
	Username       types.String `tfsdk:"username"`
	Password       types.String `tfsdk:"password"`
	Insecure       types.Bool   `tfsdk:"insecure"`
	CACertPEM      types.String `tfsdk:"ca_cert_pem"`
	APIVersion     types.String `tfsdk:"api_version"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RateLimit      types.String `tfsdk:"rate_limit_timeout"`
	TokenCacheDir  types.String `tfsdk:"token_cache_dir"`
}

// resolveConfig turns the provider block and the environment (getenv:
// os.Getenv in Configure, a map in tests) into the client's configuration:
// an attribute wins over its environment variable, an unset one takes the
// default, values are normalised as the validators read them, and every
// problem is a diagnostic on the attribute to change. It makes no request
// and touches no file; vb365.New checks what only it can (the PEM, the
// URL's parts), addClientConfigError reports that.
func resolveConfig(m providerModel, getenv func(string) string, providerVersion string) (vb365.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	for _, a := range []struct {
		name string
		v    interface{ IsUnknown() bool }
	}{
		{"url", m.URL}, {"username", m.Username}, {"password", m.Password}, {"insecure", m.Insecure},
		{"ca_cert_pem", m.CACertPEM}, {"api_version", m.APIVersion}, {"request_timeout", m.RequestTimeout}, {"max_retries", m.MaxRetries},
		{"rate_limit_timeout", m.RateLimit}, {"token_cache_dir", m.TokenCacheDir},
	} {
		if a.v.IsUnknown() {
			diags.AddAttributeError(path.Root(a.name), "Unknown VB365 provider configuration",
				fmt.Sprintf("The provider cannot connect to VB365 while %q is unknown. Set it to a known value, or apply the resources it depends on first (-target).", a.name))
		}
	}
	if diags.HasError() {
		return vb365.Config{}, diags
	}
	orEnv := func(v types.String, env string) string {
		if !v.IsNull() {
			return v.ValueString()
		}
		return getenv(env)
	}

	url := orEnv(m.URL, envURL)
	username := orEnv(m.Username, envUsername)
	password := orEnv(m.Password, envPassword)
	caPEM := orEnv(m.CACertPEM, envCACertPEM)
	version := orEnv(m.APIVersion, envAPIVersion)
	insecure := m.Insecure.ValueBool()
	if m.Insecure.IsNull() {
		if v := getenv(envInsecure); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				diags.AddAttributeError(path.Root("insecure"), "Invalid VB365 provider configuration",
					fmt.Sprintf("The %s environment variable must be true or false, not %q.", envInsecure, v))
			}
			insecure = b
		}
	}

	missing := func(attr, env, what string) {
		diags.AddAttributeError(path.Root(attr), "Missing VB365 "+what,
			fmt.Sprintf("The provider needs the VB365 %s. Set the %q attribute in the provider block or the %s environment variable.", what, attr, env))
	}
	if url == "" {
		missing("url", envURL, "URL")
	} else if msg := urlProblem(url); msg != "" {
		diags.AddAttributeError(path.Root("url"), "Invalid VB365 URL", msg)
	}
	if username == "" {
		missing("username", envUsername, "username")
	}
	if password == "" {
		missing("password", envPassword, "password")
	}
	apiVersion, err := vb365.ParseAPIVersion(version)
	if err != nil {
		diags.AddAttributeError(path.Root("api_version"), "Invalid VB365 API version", err.Error()+".")
	}
	if insecure && caPEM != "" {
		// Checked at validation too (notWithInsecure); here for the
		// environment variables.
		addTLSConflict(&diags)
	}
	timeout := 60 * time.Second
	if t := orEnv(m.RequestTimeout, envTimeout); t != "" {
		d, err := parseDuration(t, false)
		if err != nil {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid VB365 request timeout", err.Error())
		}
		timeout = d
	}
	rateLimit := vb365.DefaultRateLimitWait
	if t := orEnv(m.RateLimit, envRateLimit); t != "" {
		d, err := parseDuration(t, true)
		if err != nil {
			diags.AddAttributeError(path.Root("rate_limit_timeout"), "Invalid VB365 rate-limit timeout", err.Error())
		}
		rateLimit = d
		if d == 0 {
			rateLimit = vb365.NoRateLimitWait
		}
	}
	retries := vb365.DefaultMaxRetries
	if !m.MaxRetries.IsNull() {
		retries = int(m.MaxRetries.ValueInt64())
	} else if v := getenv(envMaxRetries); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid VB365 provider configuration",
				fmt.Sprintf("The %s environment variable must be a whole number, not %q.", envMaxRetries, v))
		}
		retries = n
	}
	if retries < 0 {
		diags.AddAttributeError(path.Root("max_retries"), "Invalid VB365 provider configuration", "max_retries cannot be negative.")
	}
	if retries == 0 {
		retries = vb365.NoRetries
	}
	if diags.HasError() {
		return vb365.Config{}, diags
	}
	return vb365.Config{
		URL:           url,
		Username:      username,
		Password:      password,
		APIVersion:    apiVersion,
		Insecure:      insecure,
		CACertPEM:     caPEM,
		Timeout:       timeout,
		MaxRetries:    retries,
		RateLimitWait: rateLimit,
		TokenCacheDir: orEnv(m.TokenCacheDir, envTokenCache),
		Logger:        tflogLogger{secrets: []string{password}},
		UserAgent:     "terraform-provider-vb365/" + providerVersion + " (+https://registry.terraform.io/providers/terraform-vb365/vb365)",
	}, diags
}

// addClientConfigError reports a configuration vb365.New refused, on the
// attribute its ConfigError names (url when it names none).
func addClientConfigError(diags *diag.Diagnostics, err error) {
	attr := path.Root("url")
	var cerr *vb365.ConfigError
	if errors.As(err, &cerr) {
		attr = path.Root(cerr.Field)
	}
	diags.AddAttributeError(attr, "Invalid VB365 provider configuration", err.Error()+".")
}

// addTokenCacheWarnings reports what the client found in token_cache_dir
// before any request: a cache it cannot use, or a cached token it ignored.
// Warnings, not errors: the provider works without the cache, signing in
// with the password.
func addTokenCacheWarnings(diags *diag.Diagnostics, st vb365.TokenCacheStatus) {
	if st.Unusable != "" {
		diags.AddAttributeWarning(path.Root("token_cache_dir"), "VB365 token cache not used",
			st.Unusable+"\n\nUntil this is fixed, the provider signs in with the password in every Terraform walk (token_cache_dir or "+envTokenCache+").")
	}
	if st.Ignored != "" {
		diags.AddAttributeWarning(path.Root("token_cache_dir"), "VB365 cached token ignored",
			st.Ignored+"\n\nThe provider signs in with the password and replaces the file.")
	}
}

// urlProblem says what is wrong with a VB365 URL ("" when nothing is),
// with a suggestion that is itself a valid URL. The same check runs at plan
// time (urlValidator) and for VB365_URL in Configure.
func urlProblem(raw string) string {
	_, err := vb365.ParseURL(raw)
	if err == nil {
		return ""
	}
	msg := err.Error() + "."
	trimmed := strings.TrimSpace(raw)
	if !strings.Contains(trimmed, "@") && !strings.Contains(strings.ToLower(trimmed), "://") {
		msg += " For example: " + suggestURL(trimmed) + "."
	}
	return msg
}

// schemeJunk is a missing, misspelt or repeated scheme at the start of a
// URL ("http//", "https:/", "//"); "httpbin.org" keeps its name.
var schemeJunk = regexp.MustCompile(`^(?i)(?:(?:https?)(?:[:/]))?[:/]*`)

// suggestURL turns a URL without (or with a garbled) scheme into
// https://host[:port]/path, adding the default port 4443 only when none is
// given.
func suggestURL(raw string) string {
	s := schemeJunk.ReplaceAllString(strings.TrimSpace(raw), "")
	s = strings.TrimRight(s, "/")
	host, rest, _ := strings.Cut(s, "/")
	if host == "" {
		host = "vb365.example.com"
	}
	if !strings.Contains(host, ":") || strings.HasSuffix(host, "]") {
		host += ":4443"
	}
	if rest != "" {
		return "https://" + host + "/" + rest
	}
	return "https://" + host
}

// notWithInsecure refuses ca_cert_pem when the configuration sets insecure
// = true. (stringvalidator.ConflictsWith would refuse insecure = false
// too.)
type notWithInsecure struct{}

func (notWithInsecure) Description(context.Context) string {
	return "must not be set together with insecure = true"
}

func (v notWithInsecure) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (notWithInsecure) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() {
		return
	}
	var insecure types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("insecure"), &insecure)...)
	if insecure.ValueBool() {
		addTLSConflict(&resp.Diagnostics)
	}
}

func addTLSConflict(diags *diag.Diagnostics) {
	diags.AddAttributeError(path.Root("ca_cert_pem"), "Conflicting VB365 TLS settings",
		"Set either insecure (skip verification) or ca_cert_pem (trust this CA), not both.")
}

type urlValidator struct{}

func (urlValidator) Description(context.Context) string {
	return "must be an http or https URL with a host and no user name or password"
}

func (v urlValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (urlValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := urlProblem(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid VB365 URL", msg)
	}
}

// apiVersionValidator accepts what vb365.ParseAPIVersion accepts (v8, V8,
// 8), as Configure does for VB365_API_VERSION.
type apiVersionValidator struct{}

func (apiVersionValidator) Description(context.Context) string {
	return "must be one of " + strings.Join(vb365.SupportedAPIVersions(), ", ")
}

func (v apiVersionValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (apiVersionValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := vb365.ParseAPIVersion(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid VB365 API version", err.Error()+".")
	}
}

// parseDuration is the one reading of a duration attribute, shared by its
// validator and Configure (so " 60s " means the same in both): a Go duration
// around optional white space, positive (or zero when allowed).
func parseDuration(s string, allowZero bool) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d < 0 || (d == 0 && !allowZero) {
		kind := "positive"
		if allowZero {
			kind = "non-negative"
		}
		return 0, fmt.Errorf("%q is not a %s duration such as 60s or 2m", s, kind)
	}
	return d, nil
}

// durationValidator accepts what parseDuration accepts.
type durationValidator struct{ allowZero bool }

func (v durationValidator) Description(context.Context) string {
	if v.allowZero {
		return "must be a duration such as 0s, 60s or 5m"
	}
	return "must be a positive duration such as 60s or 2m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseDuration(req.ConfigValue.ValueString(), v.allowZero); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", err.Error()+".")
	}
}

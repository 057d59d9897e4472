// Package provider is Terraform's side of terraform-provider-vb365: the
// provider configuration, resources, data sources and actions. It turns
// Terraform configuration into calls on the vb365 client and the client's
// typed errors into diagnostics.
package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
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

var _ provider.Provider = (*vb365Provider)(nil)

type vb365Provider struct {
	version string
	// client is the configured client, for the streamed reads (protocol_server.go).
	client atomic.Pointer[vb365.Client]
}

// New returns a constructor of the provider, as providerserver wants it.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &vb365Provider{version: version} }
}

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

func (p *vb365Provider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "vb365"
	resp.Version = p.version
}

func (p *vb365Provider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the audit trail of Veeam Backup for Microsoft 365 (VB365): which users' and groups' " +
			"backed-up data is audited, and where the audit e-mails go, through the VB365 REST API.",
		Attributes: map[string]schema.Attribute{
			"url": schema.StringAttribute{
				MarkdownDescription: "URL of the VB365 REST API, with scheme and port, e.g. `https://vb365.contoso.local:4443`. " +
					"Falls back to the `" + envURL + "` environment variable. It may not hold a user name or password. " +
					"The provider follows no redirect: set the address the REST API answers on.",
				Optional:   true,
				Validators: []validator.String{urlValidator{}},
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "Account that signs in to the REST API, e.g. `CONTOSO\\administrator`. " +
					"Falls back to `" + envUsername + "`.",
				Optional: true,
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password of `username`. Falls back to `" + envPassword + "`. Prefer the environment variable " +
					"so the password stays out of configuration files.",
				Optional:  true,
				Sensitive: true,
			},
			"insecure": schema.BoolAttribute{
				MarkdownDescription: "Skip TLS certificate verification. Prefer `ca_cert_pem`: VB365 ships a self-signed certificate, " +
					"which can be trusted explicitly. Falls back to `" + envInsecure + "`. Default `false`.",
				Optional: true,
			},
			"ca_cert_pem": schema.StringAttribute{
				MarkdownDescription: "PEM-encoded CA certificate(s) to trust in addition to the system's, e.g. the VB365 server's " +
					"self-signed certificate. Conflicts with `insecure`. Falls back to `" + envCACertPEM + "`.",
				Optional:   true,
				Validators: []validator.String{notWithInsecure{}},
			},
			"api_version": schema.StringAttribute{
				MarkdownDescription: "REST API version to speak: `v8` (default, VB365 8.x), `v7` or `v6`. " +
					"Falls back to `" + envAPIVersion + "`.",
				Optional:   true,
				Validators: []validator.String{apiVersionValidator{}},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit of one HTTP request, as a Go duration such as `60s` or `2m`. Default `60s`. " +
					"Falls back to `" + envTimeout + "`.",
				Optional:   true,
				Validators: []validator.String{durationValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How often one request is retried after a 5xx answer, a connection error or an HTTP 429 without " +
					"`Retry-After` (with exponential backoff). Reads are retried as they are; adding and removing audit items first " +
					"list the audit items and send again only what is still missing. Default `5`; `0` disables these retries. " +
					"Falls back to `" + envMaxRetries + "`.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"rate_limit_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one request keeps waiting while the server throttles it (HTTP 429 with `Retry-After`), " +
					"as a Go duration such as `5m`; independent of `max_retries`. Default `5m`; `0s` gives up at the first throttled answer. " +
					"Falls back to `" + envRateLimit + "`.",
				Optional:   true,
				Validators: []validator.String{durationValidator{allowZero: true}},
			},
			"token_cache_dir": schema.StringAttribute{
				MarkdownDescription: "Absolute path of a directory where the provider keeps its VB365 access token between Terraform " +
					"walks, so that `apply`, `plan`, `apply`, `destroy` in a row sign in once instead of once per walk (each walk is a new " +
					"provider process, and the token endpoint allows five sign-ins a minute by default). Off when unset. The file holds a " +
					"bearer token and its expiry, bound to `url`, `api_version`, `username` and the password (by a salted, slow MAC; the " +
					"password itself is not stored, nor the refresh token): a token is used only by the same server, version, user and " +
					"password, so a changed or wrong password signs in at once. Whoever can read the file can call the REST API as " +
					"`username` until the token expires (60 minutes by default), also after the account's password changed on the server. " +
					"It is written with mode `0600`; a relative path, a file, or a directory another user owns or others can write is not " +
					"used (a warning says why, and the provider signs in every walk). Falls back to `" + envTokenCache + "`.",
				Optional:   true,
				Validators: nonEmpty(),
			},
		},
	}
}

func (p *vb365Provider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, a := range []struct {
		name string
		v    interface{ IsUnknown() bool }
	}{
		{"url", cfg.URL}, {"username", cfg.Username}, {"password", cfg.Password}, {"insecure", cfg.Insecure},
		{"ca_cert_pem", cfg.CACertPEM}, {"api_version", cfg.APIVersion}, {"request_timeout", cfg.RequestTimeout}, {"max_retries", cfg.MaxRetries},
		{"rate_limit_timeout", cfg.RateLimit}, {"token_cache_dir", cfg.TokenCacheDir},
	} {
		if a.v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(a.name), "Unknown VB365 provider configuration",
				fmt.Sprintf("The provider cannot connect to VB365 while %q is unknown. Set it to a known value, or apply the resources it depends on first (-target).", a.name))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	url := stringOrEnv(cfg.URL, envURL)
	username := stringOrEnv(cfg.Username, envUsername)
	password := stringOrEnv(cfg.Password, envPassword)
	caPEM := stringOrEnv(cfg.CACertPEM, envCACertPEM)
	version := stringOrEnv(cfg.APIVersion, envAPIVersion)
	insecure := cfg.Insecure.ValueBool()
	if cfg.Insecure.IsNull() {
		if v := os.Getenv(envInsecure); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("insecure"), "Invalid VB365 provider configuration",
					fmt.Sprintf("The %s environment variable must be true or false, not %q.", envInsecure, v))
			}
			insecure = b
		}
	}

	missing := func(attr, env, what string) {
		resp.Diagnostics.AddAttributeError(path.Root(attr), "Missing VB365 "+what,
			fmt.Sprintf("The provider needs the VB365 %s. Set the %q attribute in the provider block or the %s environment variable.", what, attr, env))
	}
	if url == "" {
		missing("url", envURL, "URL")
	} else if msg := urlProblem(url); msg != "" {
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Invalid VB365 URL", msg)
	}
	if username == "" {
		missing("username", envUsername, "username")
	}
	if password == "" {
		missing("password", envPassword, "password")
	}
	apiVersion, err := vb365.ParseAPIVersion(version)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("api_version"), "Invalid VB365 API version", err.Error()+".")
	}
	if insecure && caPEM != "" {
		// Checked at validation too (notWithInsecure); here for the
		// environment variables.
		addTLSConflict(&resp.Diagnostics)
	}
	timeout := 60 * time.Second
	if t := stringOrEnv(cfg.RequestTimeout, envTimeout); t != "" {
		d, err := parseDuration(t, false)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid VB365 request timeout", err.Error())
		}
		timeout = d
	}
	rateLimit := vb365.DefaultRateLimitWait
	if t := stringOrEnv(cfg.RateLimit, envRateLimit); t != "" {
		d, err := parseDuration(t, true)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("rate_limit_timeout"), "Invalid VB365 rate-limit timeout", err.Error())
		}
		rateLimit = d
		if d == 0 {
			rateLimit = vb365.NoRateLimitWait
		}
	}
	retries := vb365.DefaultMaxRetries
	if !cfg.MaxRetries.IsNull() {
		retries = int(cfg.MaxRetries.ValueInt64())
	} else if v := os.Getenv(envMaxRetries); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Invalid VB365 provider configuration",
				fmt.Sprintf("The %s environment variable must be a whole number, not %q.", envMaxRetries, v))
		}
		retries = n
	}
	if retries < 0 {
		resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Invalid VB365 provider configuration", "max_retries cannot be negative.")
	}
	if retries == 0 {
		retries = vb365.NoRetries
	}
	if resp.Diagnostics.HasError() {
		return
	}

	cacheDir := stringOrEnv(cfg.TokenCacheDir, envTokenCache)
	client, err := vb365.New(vb365.Config{
		URL:           url,
		Username:      username,
		Password:      password,
		APIVersion:    apiVersion,
		Insecure:      insecure,
		CACertPEM:     caPEM,
		Timeout:       timeout,
		MaxRetries:    retries,
		RateLimitWait: rateLimit,
		TokenCacheDir: cacheDir,
		Logger:        tflogLogger{secrets: []string{password}},
		UserAgent:     "terraform-provider-vb365/" + p.version + " (+https://registry.terraform.io/providers/terraform-vb365/vb365)",
	})
	if err != nil {
		attr := path.Root("url")
		var cerr *vb365.ConfigError
		if errors.As(err, &cerr) {
			attr = path.Root(cerr.Field)
		}
		resp.Diagnostics.AddAttributeError(attr, "Invalid VB365 provider configuration", err.Error()+".")
		return
	}
	if cacheDir != "" {
		addTokenCacheWarnings(&resp.Diagnostics, client.CheckTokenCache(ctx))
	}
	// No login here: the client signs in on its first API call, so a walk
	// that calls no API (the apply of an unchanged plan, a destroy plan)
	// asks the rate-limited token endpoint nothing. A failed sign-in is
	// reported by the first resource that needed it (describeLoginError).
	p.client.Store(client)
	resp.DataSourceData = client
	resp.ResourceData = client
	resp.ActionData = client
	resp.ListResourceData = client
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

// describeLoginError explains a failed first login in terms of what the
// user can change. It never includes the password.
func describeLoginError(err error, url string) (string, string) {
	switch {
	case errors.Is(err, vb365.ErrAuthentication):
		reason := "the server refused the credentials"
		var apiErr *vb365.APIError
		if errors.As(err, &apiErr) && apiErr.Message != "" {
			reason = apiErr.Message
		}
		return "Unable to authenticate to VB365",
			fmt.Sprintf("The VB365 server at %s refused the username and password: %s\n\nCheck username (%s) and password (%s). The account needs the VB365 REST API role.", url, reason, envUsername, envPassword)
	case vb365.IsCertificateError(err):
		return "Unable to connect to VB365: untrusted certificate",
			fmt.Sprintf("The TLS certificate of %s could not be verified: %v\n\nVB365 ships a self-signed certificate. Put the server's certificate (or its CA) in ca_cert_pem (or %s); "+
				"insecure = true skips the check but is not recommended.", url, errors.Unwrap(err), envCACertPEM)
	case vb365.IsConnectionError(err):
		hint := "Check the host name and port (the REST API listens on 4443 by default) and that the VB365 REST API service runs."
		var te *vb365.TransportError
		if errors.As(err, &te) && te.Hint != "" {
			hint = "Likely cause: " + te.Hint + "."
		}
		return "Unable to connect to VB365",
			fmt.Sprintf("No answer from %s: %v\n\n%s", url, errors.Unwrap(err), hint)
	case errors.As(err, new(*vb365.RedirectError)):
		return "Unable to connect to VB365", fmt.Sprintf("Signing in to %s failed: %v", url, err)
	case errors.Is(err, vb365.ErrBadAnswer):
		return "Unable to connect to VB365",
			fmt.Sprintf("%s did not answer as the VB365 REST API does: %v\n\nCheck url (scheme, host, port and path) and api_version.", url, err)
	default:
		return "Unable to authenticate to VB365", fmt.Sprintf("Signing in to %s failed: %v", url, err)
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

func stringOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

func (p *vb365Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewAuditEmailSettingsResource,
		NewEmailNotificationSettingsResource,
		NewAuditItemResource,
		NewAuditItemsResource,
		NewRestoreOperatorRoleResource,
	}
}

var (
	_ provider.ProviderWithActions       = (*vb365Provider)(nil)
	_ provider.ProviderWithListResources = (*vb365Provider)(nil)
)

// ListResources are supported by Terraform 1.14 and later (terraform query).
func (p *vb365Provider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewAuditItemListResource,
		NewRestoreOperatorRoleListResource,
	}
}

// Actions are supported by Terraform 1.14 and later.
func (p *vb365Provider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewAuditEmailSendTestAction,
		NewEmailNotificationSendTestAction,
	}
}

func (p *vb365Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewOrganizationsDataSource,
		NewOrganizationDataSource,
		NewUsersDataSource,
		NewUserDataSource,
		NewGroupsDataSource,
		NewGroupDataSource,
		NewRestoreSessionsDataSource,
		NewSitesDataSource,
		NewSiteDataSource,
		NewTeamsDataSource,
		NewTeamDataSource,
		NewRestoreOperatorRolesDataSource,
	}
}

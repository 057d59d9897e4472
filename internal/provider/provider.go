// Package provider is Terraform's side of terraform-provider-vb365: the
// provider configuration, resources, data sources and actions. It turns
// Terraform configuration into calls on the vb365 client and the client's
// typed errors into diagnostics.
package provider

import (
	"context"
	"os"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
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
				MarkdownDescription: "REST API version to speak: `v8` (default, VB365 8.x), `v7`, `v6` or `v5` (VB365 5: the audit control " +
					"only; what a version lacks is refused at plan time, see the version table on the provider's page). " +
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
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, diags := resolveConfig(m, os.Getenv, p.version)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	client, err := vb365.New(cfg)
	if err != nil {
		addClientConfigError(&resp.Diagnostics, err)
		return
	}
	if cfg.TokenCacheDir != "" {
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

func (p *vb365Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewAuditEmailSettingsResource,
		needs(vb365.FeatureJobEmailSettings, NewEmailNotificationSettingsResource),
		NewAuditItemResource,
		NewAuditItemsResource,
		needs(vb365.FeatureRestoreOperatorRoles, NewRestoreOperatorRoleResource),
		needs(vb365.FeatureExplorerEmailSettings, NewExplorerEmailSettingsResource),
		needs(vb365.FeatureBackupJobs, NewBackupJobResource),
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
		needs(vb365.FeatureRestoreOperatorRoles, NewRestoreOperatorRoleListResource),
		needs(vb365.FeatureBackupJobs, NewBackupJobListResource),
	}
}

// Actions are supported by Terraform 1.14 and later.
func (p *vb365Provider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewAuditEmailSendTestAction,
		needs(vb365.FeatureJobEmailSettings, NewEmailNotificationSendTestAction),
		needs(vb365.FeatureExplorerEmailSettings, NewExplorerEmailSendTestAction),
		needs(vb365.FeatureBackupJobs, NewBackupJobStartAction),
		needs(vb365.FeatureBackupJobs, NewBackupJobStopAction),
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
		needs(vb365.FeatureRestoreSessions, NewRestoreSessionsDataSource),
		needs(vb365.FeatureSites, NewSitesDataSource),
		needs(vb365.FeatureSites, NewSiteDataSource),
		needs(vb365.FeatureTeams, NewTeamsDataSource),
		needs(vb365.FeatureTeams, NewTeamDataSource),
		needs(vb365.FeatureRestoreOperatorRoles, NewRestoreOperatorRolesDataSource),
		needs(vb365.FeatureRestorePortal, NewRestorePortalSettingsDataSource),
		// v6 and v7 answer users from /LicensedUsers.
		needs(vb365.FeatureLicensedUsers, NewProtectedUsersDataSource),
		needs(vb365.FeatureLicensedUsers, NewProtectedUserDataSource),
		needs(vb365.FeatureProtectedData, NewProtectedGroupsDataSource),
		needs(vb365.FeatureProtectedData, NewProtectedSitesDataSource),
		needs(vb365.FeatureProtectedData, NewProtectedTeamsDataSource),
		needs(vb365.FeatureRestoreOperatorRoles, NewRestoreAccessDataSource),
		needs(vb365.FeatureRepositories, NewBackupRepositoriesDataSource),
		needs(vb365.FeatureRepositories, NewBackupRepositoryDataSource),
		needs(vb365.FeatureProxies, NewBackupProxiesDataSource),
		needs(vb365.FeatureBackupJobs, NewBackupJobsDataSource),
	}
}

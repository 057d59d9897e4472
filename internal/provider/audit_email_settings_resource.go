package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// auditEmailSettingsID is the ID of the one audit e-mail settings object a
// VB365 server has.
const auditEmailSettingsID = "audit_email_settings"

// auditEmailAddressRegexp accepts one e-mail address: no blanks, no ';' or ',' (the
// server separates recipients with ';').
var auditEmailAddressRegexp = regexp.MustCompile(`^[^@\s;,]+@[^@\s;,]+\.[^@\s;,.]+$`)

var (
	_ resource.Resource                   = (*auditEmailSettingsResource)(nil)
	_ resource.ResourceWithConfigure      = (*auditEmailSettingsResource)(nil)
	_ resource.ResourceWithImportState    = (*auditEmailSettingsResource)(nil)
	_ resource.ResourceWithValidateConfig = (*auditEmailSettingsResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*auditEmailSettingsResource)(nil)
)

// NewAuditEmailSettingsResource manages the audit e-mail notification settings.
func NewAuditEmailSettingsResource() resource.Resource { return &auditEmailSettingsResource{} }

type auditEmailSettingsResource struct {
	client *vb365.Client
}

type auditEmailSettingsModel struct {
	ID                 types.String `tfsdk:"id"`
	Enabled            types.Bool   `tfsdk:"enabled"`
	AuthenticationType types.String `tfsdk:"authentication_type"`
	SMTPServer         types.String `tfsdk:"smtp_server"`
	Port               types.Int64  `tfsdk:"port"`
	UseSSL             types.Bool   `tfsdk:"use_ssl"`
	UseAuthentication  types.Bool   `tfsdk:"use_authentication"`
	Username           types.String `tfsdk:"username"`
	Password           types.String `tfsdk:"password"`
	PasswordWO         types.String `tfsdk:"password_wo"`
	PasswordWOVersion  types.Int64  `tfsdk:"password_wo_version"`
	From               types.String `tfsdk:"from"`
	To                 types.List   `tfsdk:"to"`
	Subject            types.String `tfsdk:"subject"`
	UserID             types.String `tfsdk:"user_id"`
	RequestID          types.String `tfsdk:"request_id"`
	MailAPIURL         types.String `tfsdk:"mail_api_url"`
	IsAuthenticated    types.Bool   `tfsdk:"is_authenticated"`
	ClientID           types.String `tfsdk:"client_id"`
	TenantID           types.String `tfsdk:"tenant_id"`
}

func (r *auditEmailSettingsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_audit_email_settings"
}

func (r *auditEmailSettingsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keepString := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	keepBool := []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}
	email := stringvalidator.RegexMatches(auditEmailAddressRegexp, "must be one e-mail address, such as soc@contoso.onmicrosoft.com")
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the audit e-mail notifications of VB365: the e-mail VB365 sends when someone restores, " +
			"exports or browses the backed-up data of an audited user or group (see `vb365_audit_items`).\n\n" +
			"The server has exactly one such settings object, so declare this resource at most once per VB365 server. " +
			"Creating it overwrites the server's current settings with the configured attributes; attributes left out keep " +
			"the value the server has (the REST API changes only the fields it is sent). Destroying it turns notifications " +
			"off (`enableNotification = false`) and leaves the other settings on the server, which keeps them.\n\n" +
			"The server never returns the SMTP password or the OAuth `request_id`, so changes to them made outside Terraform " +
			"cannot be detected. Everything else the server returns is compared, so a change of recipients, server, port, " +
			"subject or of the enabled flag made elsewhere shows in the next plan.\n\n" +
			"`authentication_type = \"CustomSmtp\"` is fully managed. `Microsoft365` and `GoogleGmail` (REST API v7 and later) " +
			"need a one-time browser sign-in outside Terraform whose results you pass in `user_id` and `request_id`; " +
			"see the *Audit e-mails through Microsoft 365 or Gmail (OAuth)* guide.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Always `" + auditEmailSettingsID + "`: the server has one settings object. Import it with this ID.",
				Computed:            true,
				PlanModifiers:       keepString,
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether VB365 sends audit e-mails (`enableNotification`).",
				Required:            true,
			},
			"authentication_type": schema.StringAttribute{
				MarkdownDescription: "How VB365 sends the e-mails: `CustomSmtp` (default; an SMTP server), or `Microsoft365` / " +
					"`GoogleGmail` (the Microsoft Graph or Gmail API on behalf of an account signed in once with OAuth; " +
					"REST API v7 and later, and they need `user_id` and `request_id`).",
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(vb365.AuditEmailAuthCustomSMTP),
				Validators: []validator.String{stringvalidator.OneOf(
					vb365.AuditEmailAuthCustomSMTP, vb365.AuditEmailAuthMicrosoft365, vb365.AuditEmailAuthGoogleGmail)},
			},
			"smtp_server": schema.StringAttribute{
				MarkdownDescription: "DNS name or IP address of the SMTP server, e.g. `smtp.office365.com`. Required when " +
					"`enabled` is true and `authentication_type` is `CustomSmtp`. When omitted, the server's value is kept.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: keepString,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"port": schema.Int64Attribute{
				MarkdownDescription: "TCP port of the SMTP server, 1–65535, e.g. `587` for STARTTLS or `25`. When omitted, the server's value is kept.",
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
				Validators:          []validator.Int64{int64validator.Between(1, 65535)},
			},
			"use_ssl": schema.BoolAttribute{
				MarkdownDescription: "Whether the SMTP connection is encrypted with TLS (`useSSL`). When omitted, the server's value is kept.",
				Optional:            true,
				Computed:            true,
				PlanModifiers:       keepBool,
			},
			"use_authentication": schema.BoolAttribute{
				MarkdownDescription: "Whether VB365 signs in to the SMTP server with `username` and a password. " +
					"Must be `true` when `username`, `password` or `password_wo` is set. When omitted, the server's value is kept.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: keepBool,
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "SMTP account, e.g. `vb365-audit@contoso.onmicrosoft.com`. Only with `use_authentication = true`. " +
					"When omitted, the server's value is kept.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: keepString,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password of `username`. It is stored in the Terraform state; prefer `password_wo` " +
					"(Terraform 1.11 and later), which is not. The server never returns it, so a change made outside Terraform " +
					"is not detected; it is sent when it changes. Conflicts with `password_wo`; only with `use_authentication = true`.",
				Optional:  true,
				Sensitive: true,
				Validators: []validator.String{
					stringvalidator.ConflictsWith(path.MatchRoot("password_wo")),
					stringvalidator.PreferWriteOnlyAttribute(path.MatchRoot("password_wo")),
				},
			},
			"password_wo": schema.StringAttribute{
				MarkdownDescription: "Password of `username`, write-only: Terraform sends it to VB365 but never stores it in " +
					"the plan or the state (Terraform 1.11 and later). Because Terraform cannot compare it, it is sent on create " +
					"and whenever `password_wo_version` changes: change `password_wo_version` to rotate the password. " +
					"Conflicts with `password`; only with `use_authentication = true`.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
			},
			"password_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number; change it (e.g. increment it) to send `password_wo` to the server again. " +
					"Requires `password_wo`.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("password_wo"))},
			},
			"from": schema.StringAttribute{
				MarkdownDescription: "Sender address of the audit e-mails, e.g. `vb365-audit@contoso.onmicrosoft.com`. " +
					"When omitted, the server's value is kept.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: keepString,
				Validators:    []validator.String{email},
			},
			"to": schema.ListAttribute{
				MarkdownDescription: "Recipients of the audit e-mails, one address per element (the server stores them as " +
					"one `;`-separated string). When omitted, the server's value is kept.",
				ElementType:   types.StringType,
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(email),
				},
			},
			"subject": schema.StringAttribute{
				MarkdownDescription: "Subject of the audit e-mails. The server replaces these variables: `%OrganizationName%` " +
					"(the organization), `%DisplayName%` (the audited user or group), `%Action%` (what was done, e.g. a restore), " +
					"`%InitiatedByUserName%` (who did it) and `%StartTime%` (when the session started). The server's default is " +
					"`[Audit] %OrganizationName% - %DisplayName% - %Action% initiated by %InitiatedByUserName% at %StartTime%`. " +
					"When omitted, the server's value is kept.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: keepString,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "For `Microsoft365` and `GoogleGmail`: the account the e-mails are sent on behalf of, " +
					"the `userId` CompleteOAuthSignIn returned. Required for those authentication types; REST API v7 and later.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: keepString,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"request_id": schema.StringAttribute{
				MarkdownDescription: "For `Microsoft365` and `GoogleGmail`: the `requestId` CompleteOAuthSignIn returned, which " +
					"lets VB365 use that sign-in. Required for those authentication types; REST API v7 and later. The server never " +
					"returns it; it is sent on create and when it, `user_id` or `authentication_type` changes. Pass it from a " +
					"variable marked `sensitive`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"mail_api_url": schema.StringAttribute{
				MarkdownDescription: "For `Microsoft365`: the Microsoft Graph endpoint the e-mails are sent through, for " +
					"national clouds (e.g. `https://graph.microsoft.us`). REST API v7 and later. When omitted, the server's value is kept.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: keepString,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"is_authenticated": schema.BoolAttribute{
				MarkdownDescription: "Whether the OAuth account (`user_id`) is signed in, as the server reports it. " +
					"Null with REST API v6.",
				Computed: true,
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "Client (application) ID of the Entra or Google application used for the OAuth sign-in, " +
					"as the server reports it. REST API v7 and later.",
				Computed: true,
			},
			"tenant_id": schema.StringAttribute{
				MarkdownDescription: "Entra tenant ID of the OAuth sign-in, as the server reports it. REST API v7 and later.",
				Computed:            true,
			},
		},
	}
}

func (r *auditEmailSettingsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func isAuditOAuthType(t string) bool {
	return t == vb365.AuditEmailAuthMicrosoft365 || t == vb365.AuditEmailAuthGoogleGmail
}

// configured reports whether a configured value is present (known or not).
func configured(v attr.Value) bool { return !v.IsNull() }

// ValidateConfig checks the rules that join several attributes. Unknown
// values are skipped: they are checked again when known.
func (r *auditEmailSettingsResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg auditEmailSettingsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if !cfg.AuthenticationType.IsUnknown() {
		authType := vb365.AuditEmailAuthCustomSMTP
		if !cfg.AuthenticationType.IsNull() {
			authType = cfg.AuthenticationType.ValueString()
		}
		switch {
		case authType == vb365.AuditEmailAuthCustomSMTP:
			if cfg.Enabled.ValueBool() && cfg.SMTPServer.IsNull() {
				resp.Diagnostics.AddAttributeError(path.Root("smtp_server"), "Missing SMTP server",
					"Audit e-mails sent through SMTP (authentication_type = \"CustomSmtp\", the default) need smtp_server while enabled = true, "+
						"e.g. smtp_server = \"smtp.office365.com\".")
			}
		case isAuditOAuthType(authType):
			for _, a := range []struct {
				name string
				v    types.String
			}{{"user_id", cfg.UserID}, {"request_id", cfg.RequestID}} {
				if a.v.IsNull() {
					resp.Diagnostics.AddAttributeError(path.Root(a.name), "Missing "+a.name+" for "+authType,
						fmt.Sprintf("authentication_type = %q sends the e-mails on behalf of an account signed in with OAuth, so %s is required. "+
							"Sign in once (PrepareOAuthSignIn, browser, CompleteOAuthSignIn; see the audit e-mail OAuth guide) and pass the "+
							"userId and requestId it returns in user_id and request_id.", authType, a.name))
				}
			}
		}
	}

	if !cfg.UseAuthentication.IsUnknown() && !cfg.UseAuthentication.ValueBool() {
		for _, a := range []struct {
			name string
			v    attr.Value
		}{{"username", cfg.Username}, {"password", cfg.Password}, {"password_wo", cfg.PasswordWO}} {
			if configured(a.v) {
				resp.Diagnostics.AddAttributeError(path.Root(a.name), "SMTP credentials without use_authentication",
					fmt.Sprintf("%s is only used when VB365 signs in to the SMTP server: set use_authentication = true, or remove %s.", a.name, a.name))
			}
		}
	}
	if cfg.UseAuthentication.ValueBool() && cfg.Enabled.ValueBool() && cfg.Username.IsNull() &&
		(cfg.AuthenticationType.IsNull() || cfg.AuthenticationType.ValueString() == vb365.AuditEmailAuthCustomSMTP) {
		resp.Diagnostics.AddAttributeError(path.Root("username"), "Missing SMTP username",
			"use_authentication = true signs in to the SMTP server with username and a password: set username (and password_wo).")
	}
}

// ModifyPlan refuses the OAuth attributes when the provider speaks REST API
// v6, which has no OAuth sign-in for audit e-mails. The API version is only
// known once the provider is configured, hence here rather than in
// ValidateConfig.
//
// It also keeps the server-reported OAuth status (is_authenticated,
// client_id, tenant_id) from the state when the sign-in does not change, so
// that an update of, say, the recipients does not show them as
// "(known after apply)".
func (r *auditEmailSettingsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	if !req.State.Raw.IsNull() {
		var plan, prior auditEmailSettingsModel
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if plan.AuthenticationType.Equal(prior.AuthenticationType) && plan.UserID.Equal(prior.UserID) && plan.RequestID.Equal(prior.RequestID) {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("is_authenticated"), prior.IsAuthenticated)...)
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("client_id"), prior.ClientID)...)
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("tenant_id"), prior.TenantID)...)
		}
	}
	if r.client == nil || r.client.APIVersion().SupportsAuditEmailOAuth() {
		return
	}
	var cfg auditEmailSettingsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	version := r.client.APIVersion()
	if t := cfg.AuthenticationType; !t.IsNull() && !t.IsUnknown() && t.ValueString() != vb365.AuditEmailAuthCustomSMTP {
		resp.Diagnostics.AddAttributeError(path.Root("authentication_type"), "OAuth audit e-mails need REST API v7",
			fmt.Sprintf("authentication_type = %q needs the OAuth sign-in that VB365 REST API v7 added, but the provider speaks %s. "+
				"Set api_version = \"v8\" (or \"v7\") in the provider block if the server runs VB365 7 or later, or use authentication_type = \"CustomSmtp\".",
				t.ValueString(), version))
	}
	for _, a := range []struct {
		name string
		v    types.String
	}{{"user_id", cfg.UserID}, {"request_id", cfg.RequestID}, {"mail_api_url", cfg.MailAPIURL}} {
		if configured(a.v) {
			resp.Diagnostics.AddAttributeError(path.Root(a.name), "OAuth audit e-mails need REST API v7",
				fmt.Sprintf("%s belongs to the OAuth sign-in that VB365 REST API v7 added, but the provider speaks %s. "+
					"Set api_version = \"v8\" (or \"v7\") in the provider block, or remove %s.", a.name, version, a.name))
		}
	}
}

// toAPI builds the PUT from the plan: every attribute the configuration
// sets, and the secrets only when they must be (re)sent. prior is nil on
// create.
func (m *auditEmailSettingsModel) toAPI(ctx context.Context, cfg auditEmailSettingsModel, prior *auditEmailSettingsModel) (vb365.AuditEmailSettingsUpdate, []string, diag.Diagnostics) {
	var diags diag.Diagnostics
	u := vb365.AuditEmailSettingsUpdate{
		EnableNotification: m.Enabled.ValueBoolPointer(),
		AuthenticationType: m.AuthenticationType.ValueStringPointer(),
	}
	if !cfg.SMTPServer.IsNull() {
		u.SMTPServer = m.SMTPServer.ValueStringPointer()
	}
	if !cfg.Port.IsNull() {
		p := int(m.Port.ValueInt64())
		u.Port = &p
	}
	if !cfg.UseSSL.IsNull() {
		u.UseSSL = m.UseSSL.ValueBoolPointer()
	}
	if !cfg.UseAuthentication.IsNull() {
		u.UseAuthentication = m.UseAuthentication.ValueBoolPointer()
	}
	if !cfg.Username.IsNull() {
		u.Username = m.Username.ValueStringPointer()
	}
	if !cfg.From.IsNull() {
		u.From = m.From.ValueStringPointer()
	}
	if !cfg.To.IsNull() {
		to := []string{}
		diags.Append(m.To.ElementsAs(ctx, &to, false)...)
		u.To = to
	}
	if !cfg.Subject.IsNull() {
		u.Subject = m.Subject.ValueStringPointer()
	}
	if !cfg.UserID.IsNull() {
		u.UserID = m.UserID.ValueStringPointer()
	}
	if !cfg.MailAPIURL.IsNull() {
		u.MailAPIURL = m.MailAPIURL.ValueStringPointer()
	}

	// Secrets the server never returns: send them when they are new.
	var secrets []string
	switch {
	case !cfg.PasswordWO.IsNull() && (prior == nil || !prior.PasswordWOVersion.Equal(m.PasswordWOVersion)):
		// The write-only value lives only in the configuration.
		u.UserPassword = cfg.PasswordWO.ValueStringPointer()
		secrets = append(secrets, "password_wo")
	case !cfg.Password.IsNull() && (prior == nil || !prior.Password.Equal(m.Password)):
		u.UserPassword = m.Password.ValueStringPointer()
		secrets = append(secrets, "password")
	}
	if !cfg.RequestID.IsNull() && (prior == nil || !prior.RequestID.Equal(m.RequestID) ||
		!prior.UserID.Equal(m.UserID) || !prior.AuthenticationType.Equal(m.AuthenticationType)) {
		u.RequestID = m.RequestID.ValueStringPointer()
		secrets = append(secrets, "request_id")
	}
	return u, secrets, diags
}

// sentFields names the fields of a PUT, for the debug log (never values).
func sentAuditEmailFields(u vb365.AuditEmailSettingsUpdate) []string {
	var f []string
	add := func(ok bool, name string) {
		if ok {
			f = append(f, name)
		}
	}
	add(u.EnableNotification != nil, "enableNotification")
	add(u.AuthenticationType != nil, "authenticationType")
	add(u.SMTPServer != nil, "smtpServer")
	add(u.Port != nil, "port")
	add(u.UseSSL != nil, "useSSL")
	add(u.UseAuthentication != nil, "useAuthentication")
	add(u.Username != nil, "username")
	add(u.UserPassword != nil, "userPassword")
	add(u.From != nil, "from")
	add(u.To != nil, "to")
	add(u.Subject != nil, "subject")
	add(u.UserID != nil, "userId")
	add(u.MailAPIURL != nil, "mailApiUrl")
	add(u.RequestID != nil, "requestId")
	sort.Strings(f)
	return f
}

// fromAPI returns the state for what the server answered. The attributes
// the server never returns (password, password_wo_version, request_id) are
// taken from keep, the plan or the prior state.
func (r *auditEmailSettingsResource) fromAPI(s *vb365.AuditEmailSettings, keep auditEmailSettingsModel) (auditEmailSettingsModel, diag.Diagnostics) {
	str := func(v string) types.String {
		if v == "" {
			return types.StringNull()
		}
		return types.StringValue(v)
	}
	m := auditEmailSettingsModel{
		ID:                 types.StringValue(auditEmailSettingsID),
		Enabled:            types.BoolValue(s.EnableNotification),
		AuthenticationType: types.StringValue(s.AuthenticationType),
		SMTPServer:         str(s.SMTPServer),
		Port:               types.Int64Null(),
		UseSSL:             types.BoolValue(s.UseSSL),
		UseAuthentication:  types.BoolValue(s.UseAuthentication),
		Username:           str(s.Username),
		Password:           keep.Password,
		PasswordWO:         types.StringNull(),
		PasswordWOVersion:  keep.PasswordWOVersion,
		From:               str(s.From),
		To:                 types.ListNull(types.StringType),
		Subject:            str(s.Subject),
		UserID:             str(s.UserID),
		RequestID:          keep.RequestID,
		MailAPIURL:         str(s.MailAPIURL),
		IsAuthenticated:    types.BoolNull(),
		ClientID:           str(s.ClientID),
		TenantID:           str(s.TenantID),
	}
	if s.Port != 0 {
		m.Port = types.Int64Value(int64(s.Port))
	}
	var diags diag.Diagnostics
	if len(s.To) > 0 {
		m.To, diags = types.ListValueFrom(context.Background(), types.StringType, s.To)
	}
	if r.client.APIVersion().SupportsAuditEmailOAuth() {
		m.IsAuthenticated = types.BoolValue(s.IsAuthenticated)
	}
	return m, diags
}

// apply PUTs the plan and reads the settings back into the new state.
func (r *auditEmailSettingsResource) apply(ctx context.Context, action string, plan, cfg auditEmailSettingsModel, prior *auditEmailSettingsModel, diags *diag.Diagnostics) *auditEmailSettingsModel {
	u, secrets, d := plan.toAPI(ctx, cfg, prior)
	diags.Append(d...)
	if diags.HasError() {
		return nil
	}
	tflog.Debug(ctx, "Writing the audit e-mail settings", map[string]any{"fields": sentAuditEmailFields(u), "secrets_sent": secrets})
	if err := r.client.UpdateAuditEmailSettings(ctx, u); err != nil {
		addAuditEmailError(diags, action, err)
		return nil
	}
	got, err := r.client.GetAuditEmailSettings(ctx)
	if err != nil {
		addAPIError(diags, "read back", "audit e-mail settings", err)
		return nil
	}
	state, d := r.fromAPI(got, plan)
	diags.Append(d...)
	if t, unknown := unknownAuthType(got.AuthenticationType); unknown {
		diags.AddError("Unable to "+action+" audit e-mail settings",
			fmt.Sprintf("VB365 accepted the settings, but reads back the authentication type %q, which this provider version does not know "+
				"(it knows %s). Nothing was recorded in state; upgrade the provider, or set the type in the VB365 console.", t, strings.Join(knownAuthTypes, ", ")))
		return nil
	}
	// Booleans the server did not return read as false: null them so
	// that the planned value is kept.
	for name, field := range map[string]*types.Bool{"enableNotification": &state.Enabled, "useAuthentication": &state.UseAuthentication, "useSSL": &state.UseSSL} {
		if got.NullBooleans[name] {
			*field = types.BoolNull()
		}
	}
	var bad []string
	keepPlanned("enabled", plan.Enabled, &state.Enabled, &bad)
	keepPlanned("authentication_type", plan.AuthenticationType, &state.AuthenticationType, &bad)
	keepPlanned("smtp_server", plan.SMTPServer, &state.SMTPServer, &bad)
	keepPlanned("port", plan.Port, &state.Port, &bad)
	keepPlanned("use_ssl", plan.UseSSL, &state.UseSSL, &bad)
	keepPlanned("use_authentication", plan.UseAuthentication, &state.UseAuthentication, &bad)
	keepPlanned("username", plan.Username, &state.Username, &bad)
	keepPlanned("from", plan.From, &state.From, &bad)
	keepPlanned("to", plan.To, &state.To, &bad)
	keepPlanned("subject", plan.Subject, &state.Subject, &bad)
	keepPlanned("user_id", plan.UserID, &state.UserID, &bad)
	keepPlanned("mail_api_url", plan.MailAPIURL, &state.MailAPIURL, &bad)
	if len(bad) > 0 {
		sort.Strings(bad)
		diags.AddError("Unable to "+action+" audit e-mail settings",
			"VB365 accepted the settings, but reads back other values: "+strings.Join(bad, "; ")+". Nothing was recorded in state. "+
				"Something else may have changed them at the same moment, or the server adjusts them; check them in VB365 and apply again.")
		return nil
	}
	return &state
}

func addAuditEmailError(diags *diag.Diagnostics, action string, err error) {
	if errors.Is(err, vb365.ErrUnsupported) {
		diags.AddError("Unable to "+action+" audit e-mail settings",
			err.Error()+"\n\nSet api_version = \"v8\" (or \"v7\") in the provider block, or use authentication_type = \"CustomSmtp\" without user_id, request_id and mail_api_url.")
		return
	}
	if errors.Is(err, vb365.ErrBadRequest) {
		diags.AddError("Unable to "+action+" audit e-mail settings",
			explain(err)+"\n\nThe VB365 server refused the settings; the message above says which one.")
		return
	}
	addAPIError(diags, action, "audit e-mail settings", err)
}

func (r *auditEmailSettingsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg auditEmailSettingsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state := r.apply(ctx, "create", plan, cfg, nil, &resp.Diagnostics)
	if state == nil {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *auditEmailSettingsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var prior auditEmailSettingsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.client.GetAuditEmailSettings(ctx)
	if err != nil {
		// A singleton cannot be gone; every error is reported.
		addAPIError(&resp.Diagnostics, "read", "audit e-mail settings", err)
		return
	}
	state, d := r.fromAPI(got, prior)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *auditEmailSettingsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, cfg, prior auditEmailSettingsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state := r.apply(ctx, "update", plan, cfg, &prior, &resp.Diagnostics)
	if state == nil {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Delete turns the notifications off and leaves the other settings on the
// server (there is nothing to delete: the server always has settings).
// When that fails the resource stays in the state.
func (r *auditEmailSettingsResource) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	off := false
	if err := r.client.UpdateAuditEmailSettings(ctx, vb365.AuditEmailSettingsUpdate{EnableNotification: &off}); err != nil {
		resp.Diagnostics.AddError("Unable to delete audit e-mail settings",
			explain(err)+"\n\nDestroying vb365_audit_email_settings turns the audit e-mail notifications off (enableNotification = false). "+
				"That failed, so the resource stays in the state: fix the cause and destroy again, or run terraform state rm to "+
				"leave the server's settings as they are.")
	}
}

func (r *auditEmailSettingsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != auditEmailSettingsID {
		resp.Diagnostics.AddError("Unable to import audit e-mail settings",
			fmt.Sprintf("The import ID must be %q (a VB365 server has one audit e-mail settings object), not %q:\n\n"+
				"  terraform import vb365_audit_email_settings.this %s", auditEmailSettingsID, req.ID, auditEmailSettingsID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), auditEmailSettingsID)...)
}

package provider

// vb365_explorer_email_settings: the mail account of one Veeam Explorer,
// the channel restore operators send backed-up items out through. It is the
// shared e-mail settings implementation (email_settings_*.go) with what the
// Explorers' accounts do differently: four objects named by `explorer`, the
// server under its own name, no recipients or subject, OAuth from v8 with no
// authenticationType in the requests, every known field sent on each write
// (whether a PUT keeps what it is not sent is not documented for them), and
// a destroy that sends the state back with sending turned off.

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// explorerEmailSettings names the Explorers' accounts in the shared e-mail
// settings implementation.
var explorerEmailSettings = emailSettingsKind{
	typeName:   "vb365_explorer_email_settings",
	noun:       "Explorer e-mail settings",
	mails:      "Explorer e-mails",
	account:    "vb365-restores@contoso.com",
	oauth:      vb365.APIVersion.SupportsExplorerEmailOAuth,
	oauthSince: "v8",
	oauthFix:   "Set api_version = \"v8\" in the provider block if the server runs VB365 8, or remove user_id, request_id and mail_api_url.",
}

// explorerEmailSettingsModel is one Explorer's account.
type explorerEmailSettingsModel struct {
	ID       types.String `tfsdk:"id"`
	Explorer types.String `tfsdk:"explorer"`
	Server   types.String `tfsdk:"server"`
	emailAccountModel
}

// explorer names the account (the ID after an import, before the first read).
func (m *explorerEmailSettingsModel) explorer() vb365.Explorer {
	if e := m.Explorer.ValueString(); e != "" {
		return vb365.Explorer(e)
	}
	return vb365.Explorer(m.ID.ValueString())
}

// explorerIdentity names a vb365_explorer_email_settings: its Explorer.
type explorerIdentity struct {
	Explorer types.String `tfsdk:"explorer"`
}

func (i explorerIdentity) equal(o explorerIdentity) bool { return i.Explorer.Equal(o.Explorer) }

var (
	_ resource.ResourceWithConfigure      = (*explorerEmailSettingsResource)(nil)
	_ resource.ResourceWithImportState    = (*explorerEmailSettingsResource)(nil)
	_ resource.ResourceWithValidateConfig = (*explorerEmailSettingsResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*explorerEmailSettingsResource)(nil)
	_ resource.ResourceWithIdentity       = (*explorerEmailSettingsResource)(nil)
)

type explorerEmailSettingsResource struct {
	emailSettingsResource[explorerEmailSettingsModel, vb365.ExplorerEmailSettings, vb365.ExplorerEmailSettingsUpdate]
}

// NewExplorerEmailSettingsResource manages the mail account of one Veeam
// Explorer.
func NewExplorerEmailSettingsResource() resource.Resource {
	return &explorerEmailSettingsResource{emailSettingsResource[explorerEmailSettingsModel, vb365.ExplorerEmailSettings, vb365.ExplorerEmailSettingsUpdate]{
		kind:   explorerEmailSettings,
		schema: explorerEmailSettingsSchema,
		ops: emailSettingsOps[explorerEmailSettingsModel, vb365.ExplorerEmailSettings, vb365.ExplorerEmailSettingsUpdate]{
			account:  func(m *explorerEmailSettingsModel) *emailAccountModel { return &m.emailAccountModel },
			answer:   func(s *vb365.ExplorerEmailSettings) *vb365.EmailSettings { return &s.EmailSettings },
			validate: validateExplorerEmailSettings,
			toAPI:    explorerToAPI,
			fromAPI:  explorerFromAPI,
			readBack: explorerReadBack,
			fields:   explorerSentFields,
			get: func(c *vb365.Client, ctx context.Context, m *explorerEmailSettingsModel) (*vb365.ExplorerEmailSettings, error) {
				return c.GetExplorerEmailSettings(ctx, m.explorer())
			},
			put: func(c *vb365.Client, ctx context.Context, m *explorerEmailSettingsModel, u vb365.ExplorerEmailSettingsUpdate) error {
				return c.UpdateExplorerEmailSettings(ctx, m.explorer(), u)
			},
			disable: explorerDisable,
			again:   explorerSignInAgain,
			identity: func(ctx context.Context, state *explorerEmailSettingsModel, dst *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
				setIdentity(ctx, dst, explorerIdentity{Explorer: types.StringValue(string(state.explorer()))}, explorerIdentity.equal, diags)
			},
		},
	}}
}

// explorerNames are the valid values of explorer.
func explorerNames() []string {
	var out []string
	for _, e := range vb365.Explorers() {
		out = append(out, string(e))
	}
	return out
}

// explorerEmailSettingsSchema is the schema of vb365_explorer_email_settings:
// the shared account, with what the Explorers say differently.
func explorerEmailSettingsSchema() schema.Schema {
	k := explorerEmailSettings
	keepString := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	attrs := emailAccountAttributes(k)
	for name, a := range map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The Explorer's name, as `explorer`. Import the account with it.",
			Computed:            true,
			PlanModifiers:       keepString,
		},
		"explorer": schema.StringAttribute{
			MarkdownDescription: "Whose mail account: `exchange` (`/VexEmailSettings`), `onedrive` (`/VeodEmailSettings`), " +
				"`sharepoint` (`/VespEmailSettings`) or `teams` (`/VetEmailSettings`). Each exists once per server: declare each at " +
				"most once. Changing it replaces the resource.",
			Required:      true,
			Validators:    []validator.String{stringvalidator.OneOf(explorerNames()...)},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"enabled": schema.BoolAttribute{
			MarkdownDescription: "Whether the Explorer may send backed-up items (and its export reports) by e-mail through this " +
				"account (`enableNotification`). `false` pins the channel off; see *What this control closes* on this page for what is " +
				"and is not known about it.",
			Required: true,
		},
		"server": schema.StringAttribute{
			MarkdownDescription: "DNS name or IP address of the SMTP server, e.g. a corporate relay `relay.contoso.com` " +
				"(`server`; the audit settings call it `smtp_server`). Required when `enabled` is true and no OAuth account " +
				"(`user_id`) is named. When omitted, the server's value is kept.",
			Optional:      true,
			Computed:      true,
			PlanModifiers: keepString,
			Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"from": schema.StringAttribute{
			MarkdownDescription: "Sender address of the Explorer's e-mails, e.g. `" + k.account + "`. When omitted, the server's " +
				"value is kept. (A restore operator's `sendToDifferentAddress` may give its own sender.)",
			Optional:      true,
			Computed:      true,
			PlanModifiers: keepString,
			Validators:    []validator.String{stringvalidator.RegexMatches(emailAddressRegexp, "must be one e-mail address, such as soc@contoso.onmicrosoft.com")},
		},
		"authentication_type": schema.StringAttribute{
			MarkdownDescription: "How the Explorer sends, as the server reports it (REST API v8): `CustomSmtp`, `Microsoft365` or " +
				"`GoogleGmail`. Read-only: the Explorers' requests have no authentication type; an OAuth sign-in (`request_id`) " +
				"sets it. Without `user_id` and `request_id` the configuration declares SMTP, and a plan shows a change to " +
				"`CustomSmtp` when VB365 reports an OAuth account. Null before REST API v8, which does not report it.",
			Computed:      true,
			PlanModifiers: keepString,
		},
		"user_id": schema.StringAttribute{
			MarkdownDescription: "For an OAuth account (REST API v8): the account the Explorer sends as, the `userId` " +
				"CompleteOAuthSignIn returned. Required with `request_id`; on its own it names an account signed in before " +
				"(e.g. in the console). When omitted, the server's value is kept.",
			Optional:      true,
			Computed:      true,
			PlanModifiers: keepString,
			Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"request_id": schema.StringAttribute{
			MarkdownDescription: "For an OAuth account (REST API v8): the `requestId` CompleteOAuthSignIn returned, which " +
				"lets VB365 use that sign-in and chooses its kind (`Microsoft365`, `GoogleGmail`). The server never returns it; " +
				"it is sent on create, when it or `user_id` changes, and when VB365 reports the account not signed in. Pass it " +
				"from a variable marked `sensitive`.",
			Optional:   true,
			Sensitive:  true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
	} {
		attrs[name] = a
	}
	return schema.Schema{
		MarkdownDescription: "Manages the mail account of one Veeam Explorer (Exchange, OneDrive, SharePoint or Teams): the " +
			"channel through which someone with a restore role sends backed-up items, to any recipient, and the Explorer " +
			"sends its export reports. Pin it off (`enabled = false`), or to one corporate relay, and see in every plan when " +
			"someone turns it on or points it elsewhere.\n\n" +
			"Each Explorer has one such account: declare each `explorer` at most once per VB365 server. Creating the resource " +
			"overwrites the account with the configured attributes; attributes left out keep the value the server has. " +
			"Destroying it turns sending off (`enableNotification = false`) and leaves the rest as it was.\n\n" +
			"The server never returns the password or the OAuth `request_id`, so changes to them made outside Terraform cannot " +
			"be detected. Everything else the server returns is compared.",
		Attributes: attrs,
	}
}

func (r *explorerEmailSettingsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"explorer": identityschema.StringAttribute{RequiredForImport: true, Description: "The Explorer: exchange, onedrive, sharepoint or teams."},
		},
	}
}

// ImportState takes the Explorer's name (or the identity naming it); Read
// fills in the rest.
func (r *explorerEmailSettingsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if req.ID == "" && req.Identity != nil {
		// import { identity = { explorer = "..." } }
		var ident explorerIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id = ident.Explorer.ValueString()
	}
	given := id
	id = strings.ToLower(strings.TrimSpace(id))
	for _, e := range vb365.Explorers() {
		if id == string(e) {
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("explorer"), id)...)
			if resp.Identity != nil {
				resp.Diagnostics.Append(resp.Identity.Set(ctx, explorerIdentity{Explorer: types.StringValue(id)})...)
			}
			return
		}
	}
	resp.Diagnostics.AddError("Unable to import "+explorerEmailSettings.noun,
		fmt.Sprintf("The import ID must be the Explorer's name, one of %s (each has one mail account), not %q:\n\n"+
			"  terraform import vb365_explorer_email_settings.exchange exchange", strings.Join(explorerNames(), ", "), given))
}

// ModifyPlan adds to the shared planning (OAuth attributes refused before
// v8, the OAuth status kept while the sign-in does not change) what follows
// from the configuration: before v8 the OAuth status is null; from v8, a
// configuration without an OAuth account declares SMTP (authentication_type
// "CustomSmtp", so that an account signed in behind Terraform's back shows as
// a change), and one with request_id declares a signed-in account
// (is_authenticated true, so that a revoked consent shows and the request
// is sent again).
func (r *explorerEmailSettingsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.emailSettingsResource.ModifyPlan(ctx, req, resp)
	if resp.Diagnostics.HasError() || req.Plan.Raw.IsNull() || r.client == nil {
		return
	}
	var cfg, plan explorerEmailSettingsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(resp.Plan.Get(ctx, &plan)...)
	var prior *explorerEmailSettingsModel
	if !req.State.Raw.IsNull() {
		prior = &explorerEmailSettingsModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	set := func(name string, v any) { resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), v)...) }
	if !r.client.APIVersion().SupportsExplorerEmailOAuth() {
		for _, name := range []string{"authentication_type", "user_id", "mail_api_url", "client_id", "tenant_id"} {
			set(name, types.StringNull())
		}
		set("is_authenticated", types.BoolNull())
		return
	}
	if cfg.UserID.IsUnknown() || cfg.RequestID.IsUnknown() {
		return
	}
	switch {
	case cfg.UserID.IsNull() && cfg.RequestID.IsNull():
		set("authentication_type", types.StringValue(vb365.EmailAuthCustomSMTP))
		if prior != nil && isOAuthType(prior.AuthenticationType.ValueString()) {
			// What the server reports of the account after it turned to SMTP.
			for _, name := range []string{"user_id", "client_id", "tenant_id"} {
				set(name, types.StringUnknown())
			}
			set("is_authenticated", types.BoolUnknown())
			resp.Diagnostics.AddAttributeWarning(path.Root("authentication_type"), "The "+string(plan.explorer())+" Explorer sends through an OAuth account",
				fmt.Sprintf("VB365 sends the %s Explorer's e-mails through %s as %s, and the configuration declares SMTP (no user_id, no request_id). "+
					"The Explorers' requests have no authentication type: the apply sends the SMTP settings, and fails, recording nothing, if VB365 "+
					"keeps the OAuth account. Switch the Explorer back to SMTP in the VB365 console then, or declare the account with user_id.",
					plan.explorer(), prior.AuthenticationType.ValueString(), prior.UserID.ValueString()))
		}
	case prior != nil && isOAuthType(prior.AuthenticationType.ValueString()) && !explorerSignInNeeded(cfg, plan, prior):
		set("authentication_type", prior.AuthenticationType)
	default:
		set("authentication_type", types.StringUnknown())
	}
	if !cfg.RequestID.IsNull() {
		set("is_authenticated", types.BoolValue(true))
	}
}

// validateExplorerEmailSettings checks what joins attributes: a server to
// send through, user_id with request_id, and the SMTP credentials.
func validateExplorerEmailSettings(_ emailSettingsKind, cfg explorerEmailSettingsModel, diags *diag.Diagnostics) {
	oauth := configured(cfg.UserID) || configured(cfg.RequestID)
	if cfg.Enabled.ValueBool() && cfg.Server.IsNull() && !oauth {
		diags.AddAttributeError(path.Root("server"), "Missing SMTP server",
			"An Explorer that may send (enabled = true) needs the SMTP server it sends through, e.g. server = \"relay.contoso.com\" "+
				"(or an OAuth account: user_id and request_id, REST API v8). To close the channel, set enabled = false.")
	}
	if configured(cfg.RequestID) && cfg.UserID.IsNull() {
		diags.AddAttributeError(path.Root("user_id"), "Missing user_id for request_id",
			"request_id lets VB365 use the account CompleteOAuthSignIn signed in: set user_id to the userId it returned, so that "+
				"the account is compared on every plan.")
	}
	validateSMTPCredentials(cfg.emailAccountModel, !oauth, diags)
}

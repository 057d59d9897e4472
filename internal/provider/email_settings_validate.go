package provider

// Plan-time checks of the e-mail settings singletons.

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

func isOAuthType(t string) bool {
	return t == vb365.EmailAuthMicrosoft365 || t == vb365.EmailAuthGoogleGmail
}

// configured reports whether a configured value is present (known or not).
func configured(v attr.Value) bool { return !v.IsNull() }

// validateEmailSettings checks the rules that join several attributes.
// Unknown values are skipped: they are checked again when known.
func validateEmailSettings(k emailSettingsKind, cfg emailSettingsModel, diags *diag.Diagnostics) {

	if !cfg.AuthenticationType.IsUnknown() {
		authType := vb365.EmailAuthCustomSMTP
		if !cfg.AuthenticationType.IsNull() {
			authType = cfg.AuthenticationType.ValueString()
		}
		switch {
		case authType == vb365.EmailAuthCustomSMTP:
			if cfg.Enabled.ValueBool() && cfg.SMTPServer.IsNull() {
				diags.AddAttributeError(path.Root("smtp_server"), "Missing SMTP server",
					k.Mails()+" sent through SMTP (authentication_type = \"CustomSmtp\", the default) need smtp_server while enabled = true, "+
						"e.g. smtp_server = \"smtp.office365.com\".")
			}
		case isOAuthType(authType):
			for _, a := range []struct {
				name string
				v    types.String
			}{{"user_id", cfg.UserID}, {"request_id", cfg.RequestID}} {
				if a.v.IsNull() {
					diags.AddAttributeError(path.Root(a.name), "Missing "+a.name+" for "+authType,
						fmt.Sprintf("authentication_type = %q sends the e-mails on behalf of an account signed in with OAuth, so %s is required. "+
							"Sign in once (PrepareOAuthSignIn, browser, CompleteOAuthSignIn; see the e-mail OAuth guide) and pass the "+
							"userId and requestId it returns in user_id and request_id.", authType, a.name))
				}
			}
		}
	}

	smtp := cfg.AuthenticationType.IsNull() || cfg.AuthenticationType.ValueString() == vb365.EmailAuthCustomSMTP
	validateSMTPCredentials(cfg.emailAccountModel, smtp, diags)
}

// validateSMTPCredentials checks the SMTP sign-in of an account: credentials
// need use_authentication, and use_authentication needs a username while
// the account is enabled and sends through SMTP (smtp).
func validateSMTPCredentials(cfg emailAccountModel, smtp bool, diags *diag.Diagnostics) {
	if !cfg.UseAuthentication.IsUnknown() && !cfg.UseAuthentication.ValueBool() {
		for _, a := range []struct {
			name string
			v    attr.Value
		}{{"username", cfg.Username}, {"password", cfg.Password}, {"password_wo", cfg.PasswordWO}} {
			if configured(a.v) {
				diags.AddAttributeError(path.Root(a.name), "SMTP credentials without use_authentication",
					fmt.Sprintf("%s is only used when VB365 signs in to the SMTP server: set use_authentication = true, or remove %s.", a.name, a.name))
			}
		}
	}
	if cfg.UseAuthentication.ValueBool() && cfg.Enabled.ValueBool() && cfg.Username.IsNull() && smtp {
		diags.AddAttributeError(path.Root("username"), "Missing SMTP username",
			"use_authentication = true signs in to the SMTP server with username and a password: set username (and password_wo).")
	}
}

// modifyEmailSettingsPlan refuses the OAuth attributes when the provider
// speaks a REST API version without the account's OAuth sign-in
// (k.oauth). The API version is only known once the provider is
// configured, hence here rather than in ValidateConfig.
//
// It also keeps the server-reported OAuth status (is_authenticated,
// client_id, tenant_id) from the state when the sign-in does not change, so
// that an update of, say, the recipients does not show them as
// "(known after apply)".
func modifyEmailSettingsPlan[M any](ctx context.Context, k emailSettingsKind, client *vb365.Client, account func(*M) *emailAccountModel, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	if !req.State.Raw.IsNull() {
		var planM, priorM M
		resp.Diagnostics.Append(req.Plan.Get(ctx, &planM)...)
		resp.Diagnostics.Append(req.State.Get(ctx, &priorM)...)
		if resp.Diagnostics.HasError() {
			return
		}
		plan, prior := account(&planM), account(&priorM)
		if plan.AuthenticationType.Equal(prior.AuthenticationType) && plan.UserID.Equal(prior.UserID) && plan.RequestID.Equal(prior.RequestID) {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("is_authenticated"), prior.IsAuthenticated)...)
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("client_id"), prior.ClientID)...)
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("tenant_id"), prior.TenantID)...)
		}
	}
	if client == nil || k.oauth(client.APIVersion()) {
		return
	}
	var cfgM M
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfgM)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg := account(&cfgM)
	version := client.APIVersion()
	summary := "OAuth " + k.mails + " need REST API " + k.oauthSince
	if t := cfg.AuthenticationType; !t.IsNull() && !t.IsUnknown() && t.ValueString() != vb365.EmailAuthCustomSMTP {
		resp.Diagnostics.AddAttributeError(path.Root("authentication_type"), summary,
			fmt.Sprintf("authentication_type = %q needs the OAuth sign-in that VB365 REST API %s added, but the provider speaks %s. "+
				"Set %s in the provider block if the server runs VB365 %s or later, or use authentication_type = \"CustomSmtp\".",
				t.ValueString(), k.oauthSince, version, k.apiVersionHint(), k.oauthSince[1:]))
	}
	for _, a := range []struct {
		name string
		v    types.String
	}{{"user_id", cfg.UserID}, {"request_id", cfg.RequestID}, {"mail_api_url", cfg.MailAPIURL}} {
		if configured(a.v) {
			resp.Diagnostics.AddAttributeError(path.Root(a.name), summary,
				fmt.Sprintf("%s belongs to the OAuth sign-in that VB365 REST API %s added, but the provider speaks %s. "+
					"Set %s in the provider block, or remove %s.", a.name, k.oauthSince, version, k.apiVersionHint(), a.name))
		}
	}
}

// apiVersionHint names the api_version values that have the kind's OAuth
// sign-in, for messages: `api_version = "v8" (or "v7")`.
func (k emailSettingsKind) apiVersionHint() string {
	if k.oauthSince == string(vb365.V8) {
		return `api_version = "v8"`
	}
	return `api_version = "v8" (or "` + k.oauthSince + `")`
}

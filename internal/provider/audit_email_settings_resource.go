package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// auditEmailSettings names the audit e-mail settings singleton in the
// shared e-mail settings implementation (email_settings_*.go).
var auditEmailSettings = emailSettingsKind{
	id:       "audit_email_settings",
	typeName: "vb365_audit_email_settings",
	noun:     "audit e-mail settings",
	mails:    "audit e-mails",
	account:  "vb365-audit@contoso.onmicrosoft.com",
	subject: "Subject of the audit e-mails. The server replaces these variables: `%OrganizationName%` " +
		"(the organization), `%DisplayName%` (the audited user or group), `%Action%` (what was done, e.g. a restore), " +
		"`%InitiatedByUserName%` (who did it) and `%StartTime%` (when the session started). The server's default is " +
		"`[Audit] %OrganizationName% - %DisplayName% - %Action% initiated by %InitiatedByUserName% at %StartTime%`.",
	oauth:      vb365.APIVersion.SupportsEmailOAuth,
	oauthSince: "v7",
	oauthFix:   emailOAuthFix,
}

var (
	_ resource.ResourceWithConfigure      = (*emailSettingsResource[emailSettingsModel, vb365.EmailSettings, vb365.EmailSettingsUpdate])(nil)
	_ resource.ResourceWithImportState    = (*emailSettingsResource[emailSettingsModel, vb365.EmailSettings, vb365.EmailSettingsUpdate])(nil)
	_ resource.ResourceWithValidateConfig = (*emailSettingsResource[emailSettingsModel, vb365.EmailSettings, vb365.EmailSettingsUpdate])(nil)
	_ resource.ResourceWithModifyPlan     = (*emailSettingsResource[emailSettingsModel, vb365.EmailSettings, vb365.EmailSettingsUpdate])(nil)
)

// NewAuditEmailSettingsResource manages the audit e-mail notification
// settings: the shared e-mail settings implementation, as is.
func NewAuditEmailSettingsResource() resource.Resource {
	return &emailSettingsResource[emailSettingsModel, vb365.EmailSettings, vb365.EmailSettingsUpdate]{
		kind:   auditEmailSettings,
		schema: auditEmailSettingsSchema,
		ops: emailSettingsOps[emailSettingsModel, vb365.EmailSettings, vb365.EmailSettingsUpdate]{
			account:  func(m *emailSettingsModel) *emailAccountModel { return &m.emailAccountModel },
			answer:   func(s *vb365.EmailSettings) *vb365.EmailSettings { return s },
			validate: validateEmailSettings,
			toAPI: func(ctx context.Context, plan, cfg emailSettingsModel, prior *emailSettingsModel) (vb365.EmailSettingsUpdate, []string, diag.Diagnostics) {
				return plan.toAPI(ctx, cfg, prior)
			},
			fromAPI: func(got *vb365.EmailSettings, keep emailSettingsModel, oauth bool) (emailSettingsModel, diag.Diagnostics) {
				return emailSettingsFromAPI(got, keep, auditEmailSettings.id, oauth)
			},
			readBack: func(_ *vb365.EmailSettings, plan emailSettingsModel, state *emailSettingsModel, bad *[]string) {
				emailSettingsReadBack(plan, state, bad)
			},
			fields: sentEmailFields,
			get:    only[emailSettingsModel]((*vb365.Client).GetAuditEmailSettings),
			put:    onlyPut[emailSettingsModel]((*vb365.Client).UpdateAuditEmailSettings),
			disable: func(emailSettingsModel) vb365.EmailSettingsUpdate {
				return vb365.EmailSettingsUpdate{EnableNotification: new(bool)}
			},
		},
	}
}

// auditEmailSettingsSchema is the schema of vb365_audit_email_settings.
func auditEmailSettingsSchema() schema.Schema {
	return schema.Schema{
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
		Attributes: emailSettingsAttributes(auditEmailSettings),
	}
}

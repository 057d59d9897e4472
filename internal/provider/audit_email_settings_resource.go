package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-log/tflog"
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
}

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
	resourceClient
}

func (r *auditEmailSettingsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_audit_email_settings"
}

func (r *auditEmailSettingsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = auditEmailSettingsSchema()
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

// ValidateConfig checks the rules that join several attributes.
func (r *auditEmailSettingsResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg emailSettingsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateEmailSettings(auditEmailSettings, cfg, &resp.Diagnostics)
}

// ModifyPlan refuses OAuth on REST API v6 and keeps the server-reported
// OAuth status while the sign-in does not change (modifyEmailSettingsPlan).
func (r *auditEmailSettingsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	modifyEmailSettingsPlan(ctx, auditEmailSettings, r.client, req, resp)
}

// apply PUTs the plan and reads the settings back into the new state.
func (r *auditEmailSettingsResource) apply(ctx context.Context, action string, plan, cfg emailSettingsModel, prior *emailSettingsModel, diags *diag.Diagnostics) *emailSettingsModel {
	u, secrets, d := plan.toAPI(ctx, cfg, prior)
	diags.Append(d...)
	if diags.HasError() {
		return nil
	}
	tflog.Debug(ctx, "Writing the audit e-mail settings", map[string]any{"fields": sentEmailFields(u), "secrets_sent": secrets})
	if err := r.client.UpdateAuditEmailSettings(ctx, u); err != nil {
		addAuditEmailError(diags, action, err)
		return nil
	}
	got, err := r.client.GetAuditEmailSettings(ctx)
	if err != nil {
		addAPIError(diags, "read back", "audit e-mail settings", err)
		return nil
	}
	state, d := emailSettingsFromAPI(got, plan, auditEmailSettings.id, r.client.APIVersion().SupportsAuditEmailOAuth())
	diags.Append(d...)
	if !checkReadBack(auditEmailSettings, action, got, plan, &state, diags) {
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
	var plan, cfg emailSettingsModel
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
	var prior emailSettingsModel
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
	state, d := emailSettingsFromAPI(got, prior, auditEmailSettings.id, r.client.APIVersion().SupportsAuditEmailOAuth())
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *auditEmailSettingsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, cfg, prior emailSettingsModel
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
	if req.ID != auditEmailSettings.id {
		resp.Diagnostics.AddError("Unable to import audit e-mail settings",
			fmt.Sprintf("The import ID must be %q (a VB365 server has one audit e-mail settings object), not %q:\n\n"+
				"  terraform import vb365_audit_email_settings.this %s", auditEmailSettings.id, req.ID, auditEmailSettings.id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), auditEmailSettings.id)...)
}

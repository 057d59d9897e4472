package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ action.Action              = (*auditEmailSendTestAction)(nil)
	_ action.ActionWithConfigure = (*auditEmailSendTestAction)(nil)
)

// NewAuditEmailSendTestAction sends a test audit e-mail with the server's
// current settings.
func NewAuditEmailSendTestAction() action.Action { return &auditEmailSendTestAction{} }

type auditEmailSendTestAction struct {
	client *vb365.Client
}

func (a *auditEmailSendTestAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_audit_email_send_test"
}

func (a *auditEmailSendTestAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Asks VB365 to send a test audit e-mail with the settings it has now (see " +
			"`vb365_audit_email_settings`), to check the SMTP server, credentials or OAuth sign-in and the recipients. " +
			"It calls `POST /v8/AuditEmailSettings/SendTestEmail` (REST API v8) or `POST /vN/AuditEmailSettings/SendTest` (v6, v7).\n\n" +
			"**Requires Terraform 1.14 or later** (actions). Run it on demand with " +
			"`terraform apply -invoke=action.vb365_audit_email_send_test.<name>`, or after the settings change from an " +
			"`action_trigger` in the `lifecycle` block of `vb365_audit_email_settings`. It changes nothing in the state and " +
			"takes no arguments.",
		Attributes: map[string]schema.Attribute{},
	}
}

func (a *auditEmailSendTestAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *auditEmailSendTestAction) Invoke(ctx context.Context, _ action.InvokeRequest, resp *action.InvokeResponse) {
	if a.client == nil {
		resp.Diagnostics.AddError("Unable to send test audit e-mail",
			"The provider is not configured. This is a bug in the provider or in Terraform; please report it.")
		return
	}
	settings, err := a.client.GetAuditEmailSettings(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "read", "audit e-mail settings", err)
		return
	}
	via := settings.SMTPServer
	if settings.AuthenticationType != vb365.AuditEmailAuthCustomSMTP {
		via = settings.AuthenticationType + " as " + settings.UserID
	}
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Sending a test audit e-mail to %s through %s (%s)",
			strings.Join(settings.To, ", "), via, a.client.AuditTestEmailPath())})
	}
	if err := a.client.SendAuditTestEmail(ctx); err != nil {
		resp.Diagnostics.AddError("Unable to send test audit e-mail",
			explain(err)+"\n\nVB365 sends the test e-mail with its current audit e-mail settings: check smtp_server, port, use_ssl, "+
				"the credentials (or the OAuth sign-in) and to in vb365_audit_email_settings.")
		return
	}
	if !settings.EnableNotification {
		resp.Diagnostics.AddWarning("Audit e-mail notifications are disabled",
			"The test e-mail was sent, but VB365 sends no audit e-mails while enabled = false in vb365_audit_email_settings.")
	}
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: "Test audit e-mail sent to " + strings.Join(settings.To, ", ")})
	}
}

package provider

// The send-test actions of the e-mail settings singletons:
// vb365_audit_email_send_test and vb365_email_notification_send_test.

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ action.Action              = (*emailSendTestAction)(nil)
	_ action.ActionWithConfigure = (*emailSendTestAction)(nil)
)

// emailSendTest is what one send-test action needs to know.
type emailSendTest struct {
	kind       emailSettingsKind
	typeName   string // "vb365_audit_email_send_test"
	mail       string // "audit e-mail"
	disabled   string // the warning's summary while enableNotification is false
	get        func(c *vb365.Client, ctx context.Context) (*vb365.EmailSettings, error)
	send       func(c *vb365.Client, ctx context.Context) error
	path       func(c *vb365.Client) string
	v8, v6Path string // the test paths, for the description
}

// NewAuditEmailSendTestAction sends a test audit e-mail with the server's
// current settings.
func NewAuditEmailSendTestAction() action.Action {
	return &emailSendTestAction{t: emailSendTest{
		kind: auditEmailSettings, typeName: "vb365_audit_email_send_test", mail: "audit e-mail",
		disabled: "Audit e-mail notifications are disabled",
		get:      (*vb365.Client).GetAuditEmailSettings, send: (*vb365.Client).SendAuditTestEmail, path: (*vb365.Client).AuditTestEmailPath,
		v8: "/v8/AuditEmailSettings/SendTestEmail", v6Path: "/vN/AuditEmailSettings/SendTest",
	}}
}

// NewEmailNotificationSendTestAction sends a test job notification e-mail
// with the server's current settings.
func NewEmailNotificationSendTestAction() action.Action {
	return &emailSendTestAction{t: emailSendTest{
		kind: jobEmailSettings, typeName: "vb365_email_notification_send_test", mail: "job notification e-mail",
		disabled: "Job notification e-mails are disabled",
		get: func(c *vb365.Client, ctx context.Context) (*vb365.EmailSettings, error) {
			s, err := c.GetJobEmailSettings(ctx)
			if err != nil {
				return nil, err
			}
			return &s.EmailSettings, nil
		},
		send: (*vb365.Client).SendJobTestEmail, path: (*vb365.Client).JobTestEmailPath,
		v8: "/v8/VboEmailSettings/SendTestEmail", v6Path: "/vN/VboEmailSettings/SendTest",
	}}
}

type emailSendTestAction struct {
	t      emailSendTest
	client *vb365.Client
}

func (a *emailSendTestAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + a.t.typeName[len("vb365"):]
}

func (a *emailSendTestAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Asks VB365 to send a test " + a.t.mail + " with the settings it has now (see " +
			"`" + a.t.kind.typeName + "`), to check the SMTP server, credentials or OAuth sign-in and the recipients. " +
			"It calls `POST " + a.t.v8 + "` (REST API v8) or `POST " + a.t.v6Path + "` (v6, v7).\n\n" +
			"**Requires Terraform 1.14 or later** (actions). Run it on demand with " +
			"`terraform apply -invoke=action." + a.t.typeName + ".<name>`, or after the settings change from an " +
			"`action_trigger` in the `lifecycle` block of `" + a.t.kind.typeName + "`. It changes nothing in the state and " +
			"takes no arguments.",
		Attributes: map[string]schema.Attribute{},
	}
}

func (a *emailSendTestAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *emailSendTestAction) Invoke(ctx context.Context, _ action.InvokeRequest, resp *action.InvokeResponse) {
	summary := "Unable to send test " + a.t.mail
	if a.client == nil {
		resp.Diagnostics.AddError(summary, "The provider is not configured. This is a bug in the provider or in Terraform; please report it.")
		return
	}
	settings, err := a.t.get(a.client, ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "read", a.t.kind.noun, err)
		return
	}
	via := settings.SMTPServer
	if settings.AuthenticationType != vb365.EmailAuthCustomSMTP {
		via = settings.AuthenticationType + " as " + settings.UserID
	}
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Sending a test %s to %s through %s (%s)",
			a.t.mail, strings.Join(settings.To, ", "), via, a.t.path(a.client))})
	}
	if err := a.t.send(a.client, ctx); err != nil {
		resp.Diagnostics.AddError(summary,
			explain(err)+"\n\nVB365 sends the test e-mail with its current "+a.t.kind.noun+": check smtp_server, port, use_ssl, "+
				"the credentials (or the OAuth sign-in) and to in "+a.t.kind.typeName+".")
		return
	}
	if !settings.EnableNotification {
		resp.Diagnostics.AddWarning(a.t.disabled,
			"The test e-mail was sent, but VB365 sends no "+a.t.kind.mails+" while enabled = false in "+a.t.kind.typeName+".")
	}
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: "Test " + a.t.mail + " sent to " + strings.Join(settings.To, ", ")})
	}
}

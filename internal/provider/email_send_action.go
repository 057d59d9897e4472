package provider

// The send-test actions of the e-mail settings: vb365_audit_email_send_test
// and vb365_email_notification_send_test (to the stored recipients), and
// vb365_explorer_email_send_test (explorer_email_send_action.go: an
// Explorer's account, to a recipient it is given).

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ action.Action              = (*emailSendTestAction)(nil)
	_ action.ActionWithConfigure = (*emailSendTestAction)(nil)
)

// emailSendTest is what one send-test action needs to know.
type emailSendTest struct {
	kind     emailSettingsKind
	typeName string // "vb365_audit_email_send_test"
	mail     string // "audit e-mail"
	disabled string // the warning's summary while enableNotification is false
	// description is the action's; attributes its arguments (none for a
	// singleton's test, which goes to the stored recipients).
	description string
	attributes  map[string]schema.Attribute
	// target reads the arguments (nil: none).
	target     func(ctx context.Context, cfg tfsdk.Config) (sendTarget, diag.Diagnostics)
	get        func(c *vb365.Client, ctx context.Context, t sendTarget) (*vb365.EmailSettings, error)
	send       func(c *vb365.Client, ctx context.Context, t sendTarget) error
	path       func(c *vb365.Client, t sendTarget) string
	recipients func(s *vb365.EmailSettings, t sendTarget) []string
	// check says what to look at when the server refuses; disabledDetail
	// the warning when the test mail went out while sending is off.
	check          string
	disabledDetail func(t sendTarget) string
}

// sendTarget is what a test mail's arguments name: an Explorer's account
// and the recipient.
type sendTarget struct {
	explorer vb365.Explorer
	email    string
}

// singletonSendTest is the description and behaviour of a test mail of a
// settings singleton to its stored recipients.
func singletonSendTest(t emailSendTest, get func(*vb365.Client, context.Context) (*vb365.EmailSettings, error),
	send func(*vb365.Client, context.Context) error, path func(*vb365.Client) string, v8, v6Path string) emailSendTest {
	t.description = "Asks VB365 to send a test " + t.mail + " with the settings it has now (see " +
		"`" + t.kind.typeName + "`), to check the SMTP server, credentials or OAuth sign-in and the recipients. " +
		"It calls `POST " + v8 + "` (REST API v8) or `POST " + v6Path + "` (v6, v7).\n\n" +
		"**Requires Terraform 1.14 or later** (actions). Run it on demand with " +
		"`terraform apply -invoke=action." + t.typeName + ".<name>`, or after the settings change from an " +
		"`action_trigger` in the `lifecycle` block of `" + t.kind.typeName + "`. It changes nothing in the state and " +
		"takes no arguments."
	t.attributes = map[string]schema.Attribute{}
	t.get = func(c *vb365.Client, ctx context.Context, _ sendTarget) (*vb365.EmailSettings, error) {
		return get(c, ctx)
	}
	t.send = func(c *vb365.Client, ctx context.Context, _ sendTarget) error { return send(c, ctx) }
	t.path = func(c *vb365.Client, _ sendTarget) string { return path(c) }
	t.recipients = func(s *vb365.EmailSettings, _ sendTarget) []string { return s.To }
	t.check = "check smtp_server, port, use_ssl, the credentials (or the OAuth sign-in) and to in " + t.kind.typeName + "."
	t.disabledDetail = func(sendTarget) string {
		return "The test e-mail was sent, but VB365 sends no " + t.kind.mails + " while enabled = false in " + t.kind.typeName + "."
	}
	return t
}

// NewAuditEmailSendTestAction sends a test audit e-mail with the server's
// current settings.
func NewAuditEmailSendTestAction() action.Action {
	return &emailSendTestAction{t: singletonSendTest(emailSendTest{
		kind: auditEmailSettings, typeName: "vb365_audit_email_send_test", mail: "audit e-mail",
		disabled: "Audit e-mail notifications are disabled",
	}, (*vb365.Client).GetAuditEmailSettings, (*vb365.Client).SendAuditTestEmail, (*vb365.Client).AuditTestEmailPath,
		"/v8/AuditEmailSettings/SendTestEmail", "/vN/AuditEmailSettings/SendTest")}
}

// NewEmailNotificationSendTestAction sends a test job notification e-mail
// with the server's current settings.
func NewEmailNotificationSendTestAction() action.Action {
	get := func(c *vb365.Client, ctx context.Context) (*vb365.EmailSettings, error) {
		s, err := c.GetJobEmailSettings(ctx)
		if err != nil {
			return nil, err
		}
		return &s.EmailSettings, nil
	}
	return &emailSendTestAction{t: singletonSendTest(emailSendTest{
		kind: jobEmailSettings, typeName: "vb365_email_notification_send_test", mail: "job notification e-mail",
		disabled: "Job notification e-mails are disabled",
	}, get, (*vb365.Client).SendJobTestEmail, (*vb365.Client).JobTestEmailPath,
		"/v8/VboEmailSettings/SendTestEmail", "/vN/VboEmailSettings/SendTest")}
}

type emailSendTestAction struct {
	t      emailSendTest
	client *vb365.Client
	versionGate
}

func (a *emailSendTestAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + a.t.typeName[len("vb365"):]
}

func (a *emailSendTestAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{MarkdownDescription: a.t.description, Attributes: a.t.attributes}
}

func (a *emailSendTestAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = clientFrom(req.ProviderData, &resp.Diagnostics)
	a.refuse(a.client, &resp.Diagnostics)
}

func (a *emailSendTestAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	summary := "Unable to send test " + a.t.mail
	if a.client == nil {
		resp.Diagnostics.AddError(summary, "The provider is not configured. This is a bug in the provider or in Terraform; please report it.")
		return
	}
	var target sendTarget
	if a.t.target != nil {
		var d diag.Diagnostics
		target, d = a.t.target(ctx, req.Config)
		if resp.Diagnostics.Append(d...); resp.Diagnostics.HasError() {
			return
		}
	}
	settings, err := a.t.get(a.client, ctx, target)
	if err != nil {
		addAPIError(&resp.Diagnostics, "read", a.t.kind.noun, err)
		return
	}
	via := settings.SMTPServer
	if isOAuthType(settings.AuthenticationType) {
		via = settings.AuthenticationType + " as " + settings.UserID
	}
	to := strings.Join(a.t.recipients(settings, target), ", ")
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Sending a test %s to %s through %s (%s)",
			a.t.mail, to, via, a.t.path(a.client, target))})
	}
	if err := a.t.send(a.client, ctx, target); err != nil {
		resp.Diagnostics.AddError(summary,
			explain(err)+"\n\nVB365 sends the test e-mail with its current "+a.t.kind.noun+": "+a.t.check)
		return
	}
	if !settings.EnableNotification {
		resp.Diagnostics.AddWarning(a.t.disabled, a.t.disabledDetail(target))
	}
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: "Test " + a.t.mail + " sent to " + to})
	}
}

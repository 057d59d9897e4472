package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// Actions need Terraform 1.14; the CLI the acceptance tests run is older, so
// the action is driven here through the provider protocol, as Terraform
// would drive it: GetProviderSchema, ConfigureProvider, PlanAction,
// InvokeAction.

// actionProviderServer is a provider server with the action RPCs.
type actionProviderServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ActionServer
}

// protoProvider is the provider served in-process over protocol 6.
type protoProvider struct {
	t      *testing.T
	srv    actionProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
}

func newProtoProvider(t *testing.T) *protoProvider {
	t.Helper()
	srv, ok := providerserver.NewProtocol6(New("test")())().(actionProviderServer)
	if !ok {
		t.Fatal("the provider server does not implement the action RPCs")
	}
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrorDiags(t, "GetProviderSchema", resp.Diagnostics)
	return &protoProvider{t: t, srv: srv, schema: resp}
}

// objectValue builds an object of typ with vals and null for every other attribute.
func objectValue(t *testing.T, typ tftypes.Type, vals map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	m := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, at := range obj.AttributeTypes {
		m[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range vals {
		if _, ok := obj.AttributeTypes[name]; !ok {
			t.Fatalf("the schema has no attribute %q", name)
		}
		m[name] = v
	}
	return tftypes.NewValue(obj, m)
}

func dynamicValue(t *testing.T, typ tftypes.Type, vals map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, objectValue(t, typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func (p *protoProvider) configure(fake *vb365test.Server, version string) {
	p.t.Helper()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	cfg := dynamicValue(p.t, p.schema.Provider.ValueType(), map[string]tftypes.Value{
		"url":         str(fake.URL),
		"username":    str(fake.Username()),
		"password":    str(fake.Password()),
		"api_version": str(version),
		"max_retries": tftypes.NewValue(tftypes.Number, 0),
	})
	resp, err := p.srv.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: cfg})
	if err != nil {
		p.t.Fatal(err)
	}
	requireNoErrorDiags(p.t, "ConfigureProvider", resp.Diagnostics)
}

// invokeAction plans and invokes an action with an empty configuration and
// returns the progress messages and the final diagnostics.
func (p *protoProvider) invokeAction(actionType string) ([]string, []*tfprotov6.Diagnostic) {
	p.t.Helper()
	ctx := context.Background()
	as, ok := p.schema.ActionSchemas[actionType]
	if !ok {
		p.t.Fatalf("the provider has no action %q", actionType)
	}
	cfg := dynamicValue(p.t, as.Schema.ValueType(), nil)
	plan, err := p.srv.PlanAction(ctx, &tfprotov6.PlanActionRequest{ActionType: actionType, Config: cfg, ClientCapabilities: &tfprotov6.PlanActionClientCapabilities{}})
	if err != nil {
		p.t.Fatal(err)
	}
	requireNoErrorDiags(p.t, "PlanAction", plan.Diagnostics)
	stream, err := p.srv.InvokeAction(ctx, &tfprotov6.InvokeActionRequest{ActionType: actionType, Config: cfg, ClientCapabilities: &tfprotov6.InvokeActionClientCapabilities{}})
	if err != nil {
		p.t.Fatal(err)
	}
	var progress []string
	var diags []*tfprotov6.Diagnostic
	completed := 0
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			completed++
			diags = e.Diagnostics
		}
	}
	if completed != 1 {
		p.t.Fatalf("%d completion events, want 1", completed)
	}
	return progress, diags
}

func requireNoErrorDiags(t *testing.T, op string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s: %s", op, d.Summary, d.Detail)
		}
	}
}

func diagsText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Severity.String() + ": " + d.Summary + ": " + d.Detail + "\n")
	}
	return b.String()
}

const sendTestAction = "vb365_audit_email_send_test"

func configureSMTP(fake *vb365test.Server, enabled bool) {
	fake.UpdateAuditEmailSettings(func(s *vb365test.AuditEmailSettings) {
		s.EnableNotification = enabled
		s.SMTPServer = "smtp.office365.com"
		s.Port = 587
		s.UseSSL = true
		s.UseAuthentication = true
		s.Username = "vb365-audit@contoso.onmicrosoft.com"
		s.Password = "Sm7p-Pa55"
		s.From = "vb365-audit@contoso.onmicrosoft.com"
		s.To = "SecurityOfficer@contoso.onmicrosoft.com;soc@contoso.onmicrosoft.com"
	})
}

func TestAuditEmailSendTestAction(t *testing.T) {
	for _, tc := range []struct {
		version, route, path string
		status               int
	}{
		{"v8", "POST /AuditEmailSettings/SendTestEmail", "/v8/AuditEmailSettings/SendTestEmail", 204},
		{"v7", "POST /AuditEmailSettings/SendTest", "/v7/AuditEmailSettings/SendTest", 200},
		{"v6", "POST /AuditEmailSettings/SendTest", "/v6/AuditEmailSettings/SendTest", 200},
	} {
		t.Run(tc.version, func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			configureSMTP(fake, true)
			p := newProtoProvider(t)
			if _, ok := p.schema.ActionSchemas[sendTestAction]; !ok {
				t.Fatalf("action %s not in the provider schema", sendTestAction)
			}
			p.configure(fake, tc.version)

			progress, diags := p.invokeAction(sendTestAction)
			if len(diags) != 0 {
				t.Fatalf("diagnostics:\n%s", diagsText(diags))
			}
			sent := fake.SentTestEmails()
			if len(sent) != 1 || sent[0].Version != tc.version || sent[0].Settings.SMTPServer != "smtp.office365.com" {
				t.Fatalf("sent test e-mails = %+v, want one through %s", sent, tc.version)
			}
			var hits []vb365test.LoggedRequest
			for _, r := range fake.Requests() {
				if strings.Contains(r.Path, "/AuditEmailSettings/") {
					hits = append(hits, r)
				}
			}
			if len(hits) != 1 || hits[0].Route != tc.route || hits[0].Path != tc.path || hits[0].Status != tc.status {
				t.Fatalf("test-mail requests = %+v, want one %s %s answered %d", hits, tc.route, tc.path, tc.status)
			}
			joined := strings.Join(progress, "\n")
			if !strings.Contains(joined, "SecurityOfficer@contoso.onmicrosoft.com, soc@contoso.onmicrosoft.com") || !strings.Contains(joined, tc.path) {
				t.Fatalf("progress = %q", progress)
			}
		})
	}
}

func TestAuditEmailSendTestAction_disabledWarns(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	configureSMTP(fake, false)
	p := newProtoProvider(t)
	p.configure(fake, "v8")
	_, diags := p.invokeAction(sendTestAction)
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning || !strings.Contains(diags[0].Summary, "disabled") {
		t.Fatalf("diagnostics:\n%s", diagsText(diags))
	}
	if n := len(fake.SentTestEmails()); n != 1 {
		t.Fatalf("%d test e-mails sent, want 1", n)
	}
}

func TestAuditEmailSendTestAction_serverRefuses(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{}) // no SMTP server configured
	p := newProtoProvider(t)
	p.configure(fake, "v8")
	_, diags := p.invokeAction(sendTestAction)
	text := diagsText(diags)
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError ||
		diags[0].Summary != "Unable to send test audit e-mail" || !strings.Contains(text, "SMTP server is not specified") || !strings.Contains(text, "smtp_server") {
		t.Fatalf("diagnostics:\n%s", text)
	}
	if n := len(fake.SentTestEmails()); n != 0 {
		t.Fatalf("%d test e-mails recorded, want 0", n)
	}
	if n := fake.Count("POST /AuditEmailSettings/SendTestEmail"); n != 1 {
		t.Fatalf("SendTestEmail called %d times, want once (no retry)", n)
	}
}

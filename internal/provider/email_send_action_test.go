package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// Actions need Terraform 1.14; the CLI the acceptance tests run is older, so
// the action is driven here through the provider protocol, as Terraform
// would drive it: GetProviderSchema, ConfigureProvider, PlanAction,
// InvokeAction.

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

// TestEmailNotificationSendTestAction: the job notification test mail goes
// to /VboEmailSettings in each version, with the job settings (not the
// audit ones), and a server refusal names the job resource.
func TestEmailNotificationSendTestAction(t *testing.T) {
	const action = "vb365_email_notification_send_test"
	for _, tc := range []struct {
		version, route, path string
		status               int
	}{
		{"v8", "POST /VboEmailSettings/SendTestEmail", "/v8/VboEmailSettings/SendTestEmail", 204},
		{"v7", "POST /VboEmailSettings/SendTest", "/v7/VboEmailSettings/SendTest", 200},
		{"v6", "POST /VboEmailSettings/SendTest", "/v6/VboEmailSettings/SendTest", 200},
	} {
		t.Run(tc.version, func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			p := newProtoProvider(t)
			if _, ok := p.schema.ActionSchemas[action]; !ok {
				t.Fatalf("action %s not in the provider schema", action)
			}
			p.configure(fake, tc.version)

			// No SMTP server yet: refused, once, naming the job resource.
			_, diags := p.invokeAction(action)
			if len(diags) != 1 || diags[0].Summary != "Unable to send test job notification e-mail" ||
				!strings.Contains(diagsText(diags), "vb365_email_notification_settings") {
				t.Fatalf("diagnostics:\n%s", diagsText(diags))
			}

			configureSMTP(fake, true) // the audit settings: not what the job mail uses
			fake.UpdateJobEmailSettings(func(s *vb365test.JobEmailSettings) {
				s.SMTPServer, s.To, s.EnableNotification = "smtp.fabrikam.com", "noc@contoso.onmicrosoft.com", false
			})
			progress, diags := p.invokeAction(action)
			if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning || diags[0].Summary != "Job notification e-mails are disabled" {
				t.Fatalf("diagnostics:\n%s", diagsText(diags))
			}
			sent := fake.SentTestEmails()
			if len(sent) != 1 || sent[0].Path != "/VboEmailSettings" || sent[0].Settings.SMTPServer != "smtp.fabrikam.com" {
				t.Fatalf("sent = %+v", sent)
			}
			var hits []vb365test.LoggedRequest
			for _, r := range fake.Requests() {
				if strings.Contains(r.Path, "EmailSettings/SendTest") {
					hits = append(hits, r)
				}
			}
			if len(hits) != 2 || hits[1].Route != tc.route || hits[1].Path != tc.path || hits[1].Status != tc.status {
				t.Fatalf("test-mail requests = %+v, want %s %s answered %d", hits, tc.route, tc.path, tc.status)
			}
			if joined := strings.Join(progress, "\n"); !strings.Contains(joined, "noc@contoso.onmicrosoft.com") || !strings.Contains(joined, tc.path) {
				t.Fatalf("progress = %q", progress)
			}
		})
	}
}

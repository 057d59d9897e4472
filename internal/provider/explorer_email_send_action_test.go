package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// vb365_explorer_email_send_test is driven through the provider protocol,
// as the other send-test actions are (actions need Terraform 1.14).
const explorerSendTestAction = "vb365_explorer_email_send_test"

// explorerRelayOn points an Explorer's account at the corporate relay.
func explorerRelayOn(fake *vb365test.Server, explorer string, enabled bool) {
	fake.UpdateExplorerEmailSettings(explorer, func(s *vb365test.ExplorerEmailSettings) {
		s.EnableNotification = enabled
		s.SMTPServer, s.Port, s.UseSSL = "relay.contoso.com", 587, true
		s.UseAuthentication, s.Username, s.Password = true, "vb365-restores@contoso.com", "Re1ay-Pa55"
		s.From = "vb365-restores@contoso.com"
	})
}

func explorerSendArgs(explorer, email string) map[string]tftypes.Value {
	return map[string]tftypes.Value{"explorer": str(explorer), "email": str(email)}
}

// TestExplorerEmailSendTestAction: each Explorer's test mail goes to its
// own per-version route (SendTest, sendTest or SendTestEmail, 200 or 204),
// once, to the given recipient, with that Explorer's account and no other.
func TestExplorerEmailSendTestAction(t *testing.T) {
	for _, tc := range []struct {
		version, explorer, route, path string
		status                         int
	}{
		{"v8", "exchange", "POST /VexEmailSettings/SendTestEmail", "/v8/VexEmailSettings/SendTestEmail", 204},
		{"v8", "onedrive", "POST /VeodEmailSettings/SendTestEmail", "/v8/VeodEmailSettings/SendTestEmail", 204},
		{"v8", "sharepoint", "POST /VespEmailSettings/SendTestEmail", "/v8/VespEmailSettings/SendTestEmail", 204},
		{"v8", "teams", "POST /VetEmailSettings/SendTestEmail", "/v8/VetEmailSettings/SendTestEmail", 204},
		{"v7", "exchange", "POST /VexEmailSettings/SendTest", "/v7/VexEmailSettings/SendTest", 200},
		{"v7", "onedrive", "POST /VeodEmailSettings/SendTestEmail", "/v7/VeodEmailSettings/SendTestEmail", 200},
		{"v7", "sharepoint", "POST /VespEmailSettings/SendTestEmail", "/v7/VespEmailSettings/SendTestEmail", 200},
		{"v7", "teams", "POST /VetEmailSettings/sendTest", "/v7/VetEmailSettings/sendTest", 200},
		{"v6", "exchange", "POST /VexEmailSettings/SendTest", "/v6/VexEmailSettings/SendTest", 200},
		{"v6", "teams", "POST /VetEmailSettings/sendTest", "/v6/VetEmailSettings/sendTest", 200},
		{"v6", "sharepoint", "POST /VespEmailSettings/SendTestEmail", "/v6/VespEmailSettings/SendTestEmail", 200},
	} {
		t.Run(tc.version+"/"+tc.explorer, func(t *testing.T) {
			t.Parallel()
			fake := vb365test.Start(t, vb365test.Options{})
			explorerRelayOn(fake, tc.explorer, true)
			p := newProtoProvider(t)
			p.configure(fake, tc.version)

			progress, diags := p.invokeActionWith(explorerSendTestAction, explorerSendArgs(tc.explorer, "soc@contoso.onmicrosoft.com"))
			if len(diags) != 0 {
				t.Fatalf("diagnostics:\n%s", diagsText(diags))
			}
			sent := fake.SentExplorerTestEmails()
			if len(sent) != 1 || sent[0].Explorer != tc.explorer || sent[0].Version != tc.version || sent[0].To != "soc@contoso.onmicrosoft.com" ||
				sent[0].Settings.SMTPServer != "relay.contoso.com" {
				t.Fatalf("sent test e-mails = %+v, want one through %s's account", sent, tc.explorer)
			}
			expectOneTestMailRequest(t, fake, tc.route, tc.path, tc.status)
			joined := strings.Join(progress, "\n")
			if !strings.Contains(joined, "to soc@contoso.onmicrosoft.com through relay.contoso.com") || !strings.Contains(joined, tc.path) {
				t.Fatalf("progress = %q", progress)
			}
		})
	}
}

// TestExplorerEmailSendTestAction_disabledWarns: a disabled account may
// still send the test mail; the action says the channel is off and what
// is not known about it.
func TestExplorerEmailSendTestAction_disabledWarns(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	explorerRelayOn(fake, "teams", false)
	p := newProtoProvider(t)
	p.configure(fake, "v8")
	_, diags := p.invokeActionWith(explorerSendTestAction, explorerSendArgs("teams", "soc@contoso.onmicrosoft.com"))
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning || diags[0].Summary != "The Explorer's mail account is disabled" ||
		!strings.Contains(diags[0].Detail, "teams Explorer's account although it is disabled") {
		t.Fatalf("diagnostics:\n%s", diagsText(diags))
	}
	if n := len(fake.SentExplorerTestEmails()); n != 1 {
		t.Fatalf("%d test e-mails sent, want 1", n)
	}
}

// TestExplorerEmailSendTestAction_serverRefuses: an account with no relay
// is refused by the server, once (no retry: one call sends at most one
// mail), and the error names the attributes to check.
func TestExplorerEmailSendTestAction_serverRefuses(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{}) // no relay configured
	p := newProtoProvider(t)
	p.configure(fake, "v7")
	_, diags := p.invokeActionWith(explorerSendTestAction, explorerSendArgs("exchange", "soc@contoso.onmicrosoft.com"))
	text := diagsText(diags)
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError || diags[0].Summary != "Unable to send test Explorer e-mail" ||
		!strings.Contains(text, "SMTP server is not specified") || !strings.Contains(text, "vb365_explorer_email_settings") {
		t.Fatalf("diagnostics:\n%s", text)
	}
	if n := len(fake.SentExplorerTestEmails()); n != 0 {
		t.Fatalf("%d test e-mails recorded, want 0", n)
	}
	if n := fake.Count("POST /VexEmailSettings/SendTest"); n != 1 {
		t.Fatalf("SendTest called %d times, want once (no retry)", n)
	}
}

// TestExplorerEmailSendTestAction_planTimeRefusals: an unknown Explorer or
// a recipient that is not one address is refused before anything is sent,
// naming the argument.
func TestExplorerEmailSendTestAction_planTimeRefusals(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	p := newProtoProvider(t)
	p.configure(fake, "v8")
	for _, tc := range []struct {
		args map[string]tftypes.Value
		want string
	}{
		{explorerSendArgs("yammer", "soc@contoso.onmicrosoft.com"), "explorer value must be one of"},
		{explorerSendArgs("teams", "soc@contoso.onmicrosoft.com;ceo@contoso.onmicrosoft.com"), "email must be one e-mail address"},
	} {
		text := diagsText(p.planAction(explorerSendTestAction, tc.args))
		if !strings.Contains(text, "ERROR: ") || !strings.Contains(text, tc.want) {
			t.Errorf("diagnostics for %v:\n%s\nwant an error containing %q", tc.args, text, tc.want)
		}
	}
	if n := len(fake.Requests()); n != 0 {
		t.Fatalf("%d requests sent, want none: %+v", n, fake.Requests())
	}
}

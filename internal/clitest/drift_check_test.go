package clitest

import (
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// The drift check docs/index.md recommends for scheduled jobs, run as a user
// runs it: `plan -detailed-exitcode` exits 0 right after an apply, every time,
// and 2 once something changed behind Terraform's back. (`plan -refresh-only
// -detailed-exitcode` is not the recommended check: Terraform 1.11 exits 2
// after an apply that includes the e-mail settings, see the docs.)
func TestDocumentedDriftCheck(t *testing.T) {
	run, fake := workspace(t, ceoAudited+`
variable "smtp_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
resource "vb365_audit_email_settings" "this" {
  enabled             = true
  smtp_server         = "smtp.office365.com"
  port                = 587
  use_ssl             = true
  use_authentication  = true
  username            = "vb365-audit@contoso.onmicrosoft.com"
  password_wo         = var.smtp_password
  password_wo_version = 1
  from                = "vb365-audit@contoso.onmicrosoft.com"
  to                  = ["soc@contoso.onmicrosoft.com"]
}
`, "TF_VAR_smtp_password=drift-check-secret")
	if code, out := run("apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	// The documented check, three times: never a false alarm.
	for i := range 3 {
		if code, out := run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
			t.Fatalf("run %d: plan -detailed-exitcode exited %d right after apply, want 0:\n%s", i+1, code, out)
		}
	}
	code, _ := run("plan", "-refresh-only", "-detailed-exitcode", "-input=false", "-no-color")
	t.Logf("for the record, not the documented check: plan -refresh-only -detailed-exitcode exited %d", code)

	// Someone redirects the audit e-mails: the check exits 2.
	fake.UpdateAuditEmailSettings(func(s *vb365test.AuditEmailSettings) { s.To = "someone-else@contoso.onmicrosoft.com" })
	if code, out := run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 2 {
		t.Fatalf("plan -detailed-exitcode exited %d after a change behind Terraform's back, want 2:\n%s", code, out)
	}
	if code, out := run("destroy", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("destroy exited %d:\n%s", code, out)
	}
}

package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// noSecretInPlan is a plan check: the saved plan, as `terraform show -json`
// renders it, holds none of the secrets.
type noSecretInPlan struct{ secrets []string }

func (c noSecretInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	for _, s := range c.secrets {
		if strings.Contains(string(b), s) {
			resp.Error = fmt.Errorf("the JSON plan holds a secret (%d bytes of plan)", len(b))
			return
		}
	}
}

// TestAccSecrets traces every secret that is never to be stored or shown:
// the provider password (from VB365_PASSWORD, as recommended) and the
// write-only SMTP password, through a server that echoes the request in its
// error, a redirect of the token request, TRACE logs (provider and CLI),
// every state file and the JSON of each saved plan. The sensitive (not
// write-only) password is in state and plans by Terraform's design; it is
// checked to stay out of the logs. The masking of request_id in server
// messages is pinned by the client's TestServerEchoedSecretsMasked.
func TestAccSecrets(t *testing.T) {
	const providerPassword = "Pr0v1der-Pa55-9c1e"
	const smtpPassword = "Wr1te-0nly-Smtp-4d2b"
	const sensitivePassword = "Sens1tive-Smtp-77e0"
	secrets := []string{providerPassword, smtpPassword}

	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", logPath)
	t.Setenv("TF_LOG_PROVIDER", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	workDir := t.TempDir()
	t.Setenv("TF_ACC_TEMP_DIR", workDir)
	t.Setenv("TF_ACC_PERSIST_WORKING_DIR", "1")
	clearProviderEnv(t)

	fake := startFake(t, vb365test.Options{Password: providerPassword})
	t.Setenv(envURL, fake.URL)
	t.Setenv(envUsername, fake.Username())
	t.Setenv(envPassword, providerPassword)
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	defer other.Close()

	cfg := `
variable "smtp_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
` + auditEmailSMTP([]string{"soc@contoso.onmicrosoft.com"}, "Audit", "password_wo = var.smtp_password", "password_wo_version = 1")
	vars := config.Variables{"smtp_password": config.StringVariable(smtpPassword)}
	planChecks := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{noSecretInPlan{secrets}}}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// A redirect of the token request: refused, and the target
				// never sees the password form.
				PreConfig: func() {
					fake.InjectFault(vb365test.Fault{Route: "POST /token", Times: 1, RedirectTo: other.URL + "/v8/token"})
				},
				Config:          cfg,
				ConfigVariables: vars,
				ExpectError:     regexp.MustCompile(`(?s)redirected.*final\s+address`),
			},
			{
				// A server that quotes the request body in its error.
				PreConfig: func() {
					fake.ClearFaults()
					fake.InjectFault(vb365test.Fault{Route: "PUT /AuditEmailSettings", Times: 1, EchoRequest: true})
				},
				Config:             cfg,
				ConfigVariables:    vars,
				ConfigPlanChecks:   planChecks,
				ExpectError:        regexp.MustCompile(`(?s)The\s+request\s+is\s+invalid.*"userPassword":"\*\*\*"`),
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig:        fake.ClearFaults,
				Config:           cfg,
				ConfigVariables:  vars,
				ConfigPlanChecks: planChecks,
				Check:            expectPassword(fake, smtpPassword),
			},
			{Config: cfg, ConfigVariables: vars, PlanOnly: true},
			{
				// The sensitive (not write-only) password: in state by
				// Terraform's design, never in a log.
				Config: `
variable "smtp_password" {
  type      = string
  sensitive = true
}
` + auditEmailSMTP([]string{"soc@contoso.onmicrosoft.com"}, "Audit", "password = var.smtp_password"),
				ConfigVariables: config.Variables{"smtp_password": config.StringVariable(sensitivePassword)},
				Check:           expectPassword(fake, sensitivePassword),
			},
		},
	})
	if n := elsewhere.Load(); n != 0 {
		t.Fatalf("the redirect target got %d requests", n)
	}

	if n := stateFilesWithout(t, workDir, `"type": "vb365_audit_email_settings"`, secrets...); n == 0 {
		t.Fatal("no state file with the resource: the test could not see a leak")
	}
	traceLogWithout(t, logPath, []string{`VB365 API request`, `POST`, `redirected`, `The request is invalid`, `\"userPassword\":\"***\"`}, append(secrets, sensitivePassword)...)
}

// stateFilesWithout checks every state file Terraform wrote under workDir
// (TF_ACC_PERSIST_WORKING_DIR) for the secrets and returns how many of them
// hold want (so that a test can tell it saw the resource at all).
func stateFilesWithout(t *testing.T, workDir, want string, secrets ...string) int {
	t.Helper()
	states := 0
	err := filepath.WalkDir(workDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasPrefix(d.Name(), "terraform.tfstate") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), want) {
			states++
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				return fmt.Errorf("%s holds a secret", p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return states
}

// traceLogWithout checks the TRACE log for the secrets, after making sure
// it holds every marker (else the test could not have seen a leak).
func traceLogWithout(t *testing.T, logPath string, markers []string, secrets ...string) {
	t.Helper()
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	log := string(raw)
	for _, marker := range markers {
		if !strings.Contains(log, marker) {
			t.Fatalf("the TRACE log (%d bytes) lacks %q: the test could not see a leak", len(raw), marker)
		}
	}
	for _, s := range secrets {
		if i := strings.Index(log, s); i >= 0 {
			t.Fatalf("the TRACE log holds a secret: ...%s...", log[max(0, i-300):i])
		}
	}
}

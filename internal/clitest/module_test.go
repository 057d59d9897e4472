// Package clitest drives the Terraform or OpenTofu CLI itself (the one in
// TF_ACC_TERRAFORM_PATH) against the in-process fake VB365 server, with the
// provider built from this checkout: the `terraform test` suites of the
// example modules, and the commands the documentation recommends.
package clitest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// repoRoot is the checkout this test runs in.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// buildDir holds the provider binary and CLI configuration that every
// test of the package shares (TestMain removes it).
var buildDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "clitest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buildDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// built builds the provider once for the package (about 10 s each time).
var built = sync.OnceValues(func() (string, error) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return "", err
	}
	build := exec.Command("go", "build", "-o", filepath.Join(buildDir, "terraform-provider-vb365"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	cliConfig := filepath.Join(buildDir, "dev.tfrc")
	rc := `provider_installation {
  dev_overrides {
    "registry.terraform.io/terraform-vb365/vb365"  = "` + buildDir + `"
    "registry.opentofu.org/terraform-vb365/vb365" = "` + buildDir + `"
  }
  direct {}
}
`
	return cliConfig, os.WriteFile(cliConfig, []byte(rc), 0o600)
})

// buildProvider returns a CLI configuration whose dev_overrides point both
// registry hosts at the provider built from this checkout.
func buildProvider(t *testing.T) string {
	t.Helper()
	cliConfig, err := built()
	if err != nil {
		t.Fatal(err)
	}
	return cliConfig
}

// copyDir copies a module (no .terraform, no state) into a fresh directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

var summaryRe = regexp.MustCompile(`(\d+) passed, (\d+) failed`)

// moduleTest runs `terraform test` in module with env and checks that want
// runs passed and none failed.
func moduleTest(t *testing.T, cli, module string, env []string, want int) {
	t.Helper()
	cmd := exec.Command(cli, "test", "-no-color")
	cmd.Dir = module
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	t.Logf("%s test:\n%s", filepath.Base(cli), out)
	if err != nil {
		t.Fatalf("%s test: %v", filepath.Base(cli), err)
	}
	m := summaryRe.FindSubmatch(out)
	if m == nil {
		t.Fatal("no pass/fail summary in the output")
	}
	passed, _ := strconv.Atoi(string(m[1]))
	failed, _ := strconv.Atoi(string(m[2]))
	if passed != want || failed != 0 {
		t.Errorf("%d passed, %d failed; want %d passed (every run of tests/*.tftest.hcl)", passed, failed, want)
	}
}

// TestModuleAuditBaseline runs examples/modules/audit-baseline/tests with
// the CLI in TF_ACC_TERRAFORM_PATH (Terraform or OpenTofu).
func TestModuleAuditBaseline(t *testing.T) {
	cli := requireCLI(t)
	root := repoRoot(t)
	cliConfig := buildProvider(t)
	fake := vb365test.Start(t, vb365test.Options{})
	org := fake.SeedDemo()
	module := copyDir(t, filepath.Join(root, "examples", "modules", "audit-baseline"))

	moduleTest(t, cli, module, append(cliEnv(cliConfig, fake), "VB365_API_VERSION=v8"), 7)
	// terraform test destroys what each file applied.
	if items := fake.AuditItems(org.ID); len(items) != 0 {
		t.Errorf("%d audit items left on the server after the test: %+v", len(items), items)
	}
	// and turns the Explorers' mail channel off (per_item opened Exchange's).
	for _, e := range []string{"exchange", "onedrive", "sharepoint", "teams"} {
		if s := fake.ExplorerEmailSettings(e); s.EnableNotification {
			t.Errorf("the %s Explorer may still send after the test: %+v", e, s)
		}
	}
}

// TestModuleTenantBaseline runs examples/modules/tenant-baseline/tests
// (issue 23): a tenant's backup job, audit list and helpdesk role, applied
// and destroyed by terraform test.
func TestModuleTenantBaseline(t *testing.T) {
	cli := requireCLI(t)
	root := repoRoot(t)
	cliConfig := buildProvider(t)
	fake := vb365test.Start(t, vb365test.Options{})
	org := fake.SeedDemo()
	module := copyDir(t, filepath.Join(root, "examples", "modules", "tenant-baseline"))

	moduleTest(t, cli, module, append(cliEnv(cliConfig, fake), "VB365_API_VERSION=v8"), 3)
	// terraform test destroys what it applied.
	if jobs := fake.Jobs(); len(jobs) != 0 {
		t.Errorf("%d backup jobs left on the server after the test", len(jobs))
	}
	if items := fake.AuditItems(org.ID); len(items) != 0 {
		t.Errorf("%d audit items left on the server after the test", len(items))
	}
	if roles := fake.Roles(); len(roles) != 0 {
		t.Errorf("%d roles left on the server after the test", len(roles))
	}
}

// requireCLI skips unless the acceptance tests are on, and returns the CLI.
func requireCLI(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("an acceptance test: set TF_ACC=1 (make test does)")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("needs TF_ACC_TERRAFORM_PATH, the Terraform or OpenTofu CLI (make test sets it)")
	}
	return cli
}

// cliEnv is the environment of a CLI run: the dev_overrides configuration
// and the fake's address and credentials.
func cliEnv(cliConfig string, fake *vb365test.Server) []string {
	return append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"VB365_URL="+fake.URL, "VB365_USERNAME="+fake.Username(), "VB365_PASSWORD="+fake.Password(),
		"VB365_TOKEN_CACHE_DIR=", // off unless a test sets it (later entries win)
		// Far beyond what any load makes a request to the in-process fake
		// take: a request that timed out would be sent again and counted twice.
		"VB365_REQUEST_TIMEOUT=1h",
	)
}

// cliRunner runs the CLI in dir and returns its exit code and output.
func cliRunner(t *testing.T, cli, dir string, env []string) func(args ...string) (int, string) {
	return func(args ...string) (int, string) {
		t.Helper()
		cmd := exec.Command(cli, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return 0, string(out)
		case errors.As(err, &exit):
			return exit.ExitCode(), string(out)
		}
		t.Fatalf("%s %v: %v", cli, args, err)
		return 0, ""
	}
}

// ceoAudited is a configuration that audits the demo's CEO, found by name.
const ceoAudited = `terraform {
  required_providers {
    vb365 = { source = "terraform-vb365/vb365" }
  }
}
data "vb365_organization" "contoso" { name = "contoso.onmicrosoft.com" }
data "vb365_user" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  name            = "ceo@contoso.onmicrosoft.com"
}
resource "vb365_audit_item" "ceo" {
  organization_id = data.vb365_organization.contoso.id
  user_id         = data.vb365_user.ceo.id
}
`

// workspace writes config into a fresh directory, starts a seeded fake and
// returns a runner of the CLI there (with the provider built from this
// checkout) and the fake.
func workspace(t *testing.T, config string, extraEnv ...string) (func(args ...string) (int, string), *vb365test.Server) {
	t.Helper()
	cli := requireCLI(t)
	cliConfig := buildProvider(t)
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return cliRunner(t, cli, dir, append(cliEnv(cliConfig, fake), extraEnv...)), fake
}

package clitest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// TestLoginsPerWalk counts the sign-ins (POST /token) of the sequence a
// pipeline runs, apply, plan, apply, destroy, with the CLI itself: each
// command is one or more walks, each walk a new provider process with its
// own client. The provider signs in on the first API call of a walk, so a
// walk that calls no API (the apply of an unchanged configuration is no walk
// at all; the destroy plan reads nothing) asks the token endpoint nothing.
func TestLoginsPerWalk(t *testing.T) {
	cli := requireCLI(t)
	cliConfig := buildProvider(t, repoRoot(t))
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	dir := t.TempDir()
	config := `terraform {
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
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	run := cliRunner(t, cli, dir, cliEnv(cliConfig, fake))
	steps := []struct {
		args   []string
		logins int // walks that call the API
	}{
		{[]string{"apply", "-auto-approve", "-input=false", "-no-color"}, 2},   // plan walk (reads), apply walk (create)
		{[]string{"plan", "-input=false", "-no-color"}, 1},                     // refresh
		{[]string{"apply", "-auto-approve", "-input=false", "-no-color"}, 1},   // refresh; no changes, no apply walk
		{[]string{"destroy", "-auto-approve", "-input=false", "-no-color"}, 2}, // refresh, delete (the destroy plan reads nothing)
	}
	total := 0
	for _, st := range steps {
		before := fake.Count("POST /token")
		if code, out := run(st.args...); code != 0 {
			t.Fatalf("%v exited %d:\n%s", st.args, code, out)
		}
		got := fake.Count("POST /token") - before
		total += got
		t.Logf("%s %s: %d sign-ins", filepath.Base(cli), st.args[0], got)
		if got != st.logins {
			t.Errorf("%s %s: %d sign-ins, want %d", filepath.Base(cli), st.args[0], got, st.logins)
		}
	}
	t.Logf("apply, plan, apply, destroy: %d sign-ins", total)
}

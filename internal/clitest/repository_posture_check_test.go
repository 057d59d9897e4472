package clitest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// The check block of vb365_backup_repository's registry example, run by the
// CLI as a user runs it: silent while the repository is encrypted and
// immutable, a warning naming each lost control once it is not (a check
// block warns; it never fails a plan).
func TestRepositoryPostureCheckExample(t *testing.T) {
	example, err := os.ReadFile(filepath.Join(repoRoot(t), "examples", "data-sources", "vb365_backup_repository", "data-source.tf"))
	if err != nil {
		t.Fatal(err)
	}
	run, fake := workspace(t, `terraform {
  required_providers {
    vb365 = { source = "terraform-vb365/vb365" }
  }
}
`+string(example))
	code, out := run("plan", "-input=false", "-no-color")
	if code != 0 || strings.Contains(out, "Check block assertion failed") {
		t.Fatalf("plan exited %d, want 0 without a failed check:\n%s", code, out)
	}

	fake.UpdateRepository(vb365test.DemoImmutableRepositoryID, func(r *vb365test.Repository) { r.Encrypted, r.EncryptionKeyID = false, "" })
	fake.UpdateObjectStorage(vb365test.DemoImmutableObjectStorage, func(o *vb365test.ObjectStorage) { o.Immutable = false })
	code, out = run("plan", "-input=false", "-no-color")
	if code != 0 {
		t.Fatalf("plan exited %d, want 0 (a failed check warns):\n%s", code, out)
	}
	for _, want := range []string{"Check block assertion failed", "Backup repository Contoso Immutable is not encrypted.", "Backup repository Contoso Immutable is not immutable"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan after encryption and immutability were turned off does not say %q:\n%s", want, out)
		}
	}
}

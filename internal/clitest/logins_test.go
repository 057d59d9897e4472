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
	run, fake := workspace(t, ceoAudited)
	pipelineLogins(t, run, fake, []int{
		2, // apply: plan walk (reads), apply walk (create)
		1, // plan: refresh
		1, // apply: refresh; no changes, no apply walk
		2, // destroy: refresh, delete (the destroy plan reads nothing)
	})
}

// With token_cache_dir (here VB365_TOKEN_CACHE_DIR), the walks after the
// first take its token from the cache: the sequence signs in once.
func TestLoginsPerWalkWithTokenCache(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "vb365-tokens")
	run, fake := workspace(t, ceoAudited, "VB365_TOKEN_CACHE_DIR="+cache)
	pipelineLogins(t, run, fake, []int{1, 0, 0, 0})
	files, _ := filepath.Glob(filepath.Join(cache, "vb365-token-*.json"))
	if len(files) != 1 {
		t.Fatalf("token cache files %v, want one", files)
	}
}

// pipelineLogins runs apply, plan, apply, destroy and checks the sign-ins
// (POST /token) of each command.
func pipelineLogins(t *testing.T, run func(args ...string) (int, string), fake *vb365test.Server, want []int) {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	steps := [][]string{
		{"apply", "-auto-approve", "-input=false", "-no-color"},
		{"plan", "-input=false", "-no-color"},
		{"apply", "-auto-approve", "-input=false", "-no-color"},
		{"destroy", "-auto-approve", "-input=false", "-no-color"},
	}
	total := 0
	for i, args := range steps {
		before := fake.Count("POST /token")
		if code, out := run(args...); code != 0 {
			t.Fatalf("%v exited %d:\n%s", args, code, out)
		}
		got := fake.Count("POST /token") - before
		total += got
		t.Logf("%s %s: %d sign-ins", filepath.Base(cli), args[0], got)
		if got != want[i] {
			t.Errorf("%s %s: %d sign-ins, want %d", filepath.Base(cli), args[0], got, want[i])
		}
	}
	t.Logf("apply, plan, apply, destroy: %d sign-ins", total)
}

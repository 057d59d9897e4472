package clitest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoginsPerWalk counts the sign-ins (POST /token) of the sequence a
// pipeline runs, apply, plan, apply, destroy, with the CLI itself: each
// command is one or more walks, each walk a new provider process with its
// own client. The provider signs in on the first API call of a walk, so a
// walk that calls no API (the apply of an unchanged configuration is no walk
// at all; the destroy plan reads nothing) asks the token endpoint nothing.
func TestLoginsPerWalk(t *testing.T) {
	run, fake := workspace(t, ceoAudited)
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
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

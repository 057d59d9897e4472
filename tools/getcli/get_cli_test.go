// Package getcli tests tools/get-cli.sh, the script that finds or builds
// the Terraform and OpenTofu CLIs for the tests.
package getcli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A CLI whose version output does not fit in a pipe: the banner, then more
// than a pipe holds, written by the shell itself (so a closed pipe kills it
// with SIGPIPE, as it kills a CLI). It stands for a CLI that is slow to write
// on a busy machine: either way, a reader that stops at the banner closes the
// pipe while the CLI still writes; this way it happens on every run.
const verboseCLI = `#!/usr/bin/env bash
if [[ "${1:-}" == version ]]; then
	echo "OpenTofu v1.12.6"
	printf 'on linux_amd64, and more to say than a pipe holds (line %d)\n' {1..5000}
	exit 0
fi
exit 1
`

// A CLI whose version probe fails: it prints something and exits 2.
const brokenCLI = `#!/usr/bin/env bash
echo "panic: runtime error: the probe failed"
exit 2
`

// fakeGo stands for the Go toolchain in step 4: "go build ... -o OUT"
// writes the CLI in $FAKE_CLI_SOURCE to OUT. It builds nothing.
const fakeGo = `#!/usr/bin/env bash
out=""
while (($#)); do
	if [[ "$1" == -o ]]; then out="$2"; shift; fi
	shift
done
[[ -n "$out" && -n "${FAKE_CLI_SOURCE:-}" ]] || { echo "fake go: unexpected call" >&2; exit 3; }
cp "$FAKE_CLI_SOURCE" "$out"
`

// sandbox copies get-cli.sh and heartbeat.sh into a fresh tools/ directory
// (so bin/ is empty and no real build can start: tools/tofu, the wrapper
// module, exists only when withModule) and returns the repository root and
// a directory for fake commands that goes first on PATH.
func sandbox(t *testing.T, withModule bool) (root, fakeBin string) {
	t.Helper()
	root = t.TempDir()
	tools := filepath.Join(root, "tools")
	fakeBin = filepath.Join(root, "fake-bin")
	for _, d := range []string{tools, fakeBin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if withModule {
		if err := os.MkdirAll(filepath.Join(tools, "tofu"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"get-cli.sh", "heartbeat.sh"} {
		b, err := os.ReadFile(filepath.Join("..", f))
		if err != nil {
			t.Fatal(err)
		}
		writeExecutable(t, filepath.Join(tools, f), string(b))
	}
	return root, fakeBin
}

func writeExecutable(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
}

// getTofu runs the sandbox's get-cli.sh tofu with fakeBin first on PATH and
// no TOFU_PATH, and returns its exit code, stdout and stderr.
func getTofu(t *testing.T, root, fakeBin string, env ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(root, "tools", "get-cli.sh"), "tofu")
	cmd.Env = append([]string{"PATH=" + fakeBin + ":/usr/bin:/bin", "HOME=" + root}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, stdout.String(), stderr.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), stdout.String(), stderr.String()
	}
	t.Fatal(err)
	return 0, "", ""
}

// A CLI that writes more after its banner than a pipe holds is found, on
// PATH and when built: the version probe reads the whole output before it
// looks for the banner. (The probe that piped into grep -q lost the version
// here: grep exited at the banner, the CLI died of SIGPIPE and pipefail
// failed the pipeline.)
func TestGetCLIVersionOfVerboseCLI(t *testing.T) {
	for _, built := range []bool{false, true} {
		t.Run(map[bool]string{false: "on PATH", true: "built"}[built], func(t *testing.T) {
			root, fakeBin := sandbox(t, built)
			// Without FAKE_CLI_SOURCE, a build fails.
			writeExecutable(t, filepath.Join(fakeBin, "go"), fakeGo)
			var env []string
			want := filepath.Join(fakeBin, "tofu")
			if built {
				src := filepath.Join(root, "cli-source")
				writeExecutable(t, src, verboseCLI)
				env, want = []string{"FAKE_CLI_SOURCE=" + src}, filepath.Join(root, "bin", "tofu")
			} else {
				writeExecutable(t, filepath.Join(fakeBin, "tofu"), verboseCLI)
			}
			code, stdout, stderr := getTofu(t, root, fakeBin, env...)
			if code != 0 || stdout != want+"\n" {
				t.Fatalf("exit %d, stdout %q, want 0 and %q; stderr:\n%s", code, stdout, want, stderr)
			}
		})
	}
}

// When the built binary's version probe fails, the script says what the
// probe printed and its exit status, and keeps the binary for a second look
// beside bin/tofu (never as bin/tofu, which the next run would trust).
func TestGetCLIFailedProbeShownAndBinaryKept(t *testing.T) {
	root, fakeBin := sandbox(t, true)
	src := filepath.Join(root, "cli-source")
	writeExecutable(t, src, brokenCLI)
	writeExecutable(t, filepath.Join(fakeBin, "go"), fakeGo)
	code, stdout, stderr := getTofu(t, root, fakeBin, "FAKE_CLI_SOURCE="+src)
	if code == 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, want a failure and no path", code, stdout)
	}
	kept := filepath.Join(root, "bin", "tofu.unverified")
	for _, want := range []string{"reports version 'unknown', want 1.12.6", "exited 2 and printed:", "    panic: runtime error: the probe failed", "kept the binary as " + kept} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if b, err := os.ReadFile(kept); err != nil || string(b) != brokenCLI {
		t.Errorf("the built binary was not kept at %s: %v", kept, err)
	}
	if _, err := os.Stat(filepath.Join(root, "bin", "tofu")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("bin/tofu exists after a failed probe (%v)", err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(root, "bin", ".tofu.*")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

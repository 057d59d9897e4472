package main

import (
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	ev := func(lines ...string) string { return strings.Join(lines, "\n") + "\n" }
	cases := []struct {
		name, in string
		code     int
		want     []string
	}{
		{"pass", ev(
			`{"Action":"run","Package":"p","Test":"TestA"}`,
			`{"Action":"output","Package":"p","Test":"TestA","Output":"noise\n"}`,
			`{"Action":"pass","Package":"p","Test":"TestA/sub","Elapsed":1}`,
			`{"Action":"pass","Package":"p","Test":"TestA","Elapsed":2}`,
			`{"Action":"pass","Package":"p","Elapsed":3}`,
		), 0, []string{"PASS TestA (2.0s)  [1 passed, 0 failed, 0 skipped", "1 passed, 0 failed, 0 skipped in 1 packages"}},
		{"skip shows its reason", ev(
			`{"Action":"output","Package":"p","Test":"TestB","Output":"    x_test.go:9: needs the fake's powers\n"}`,
			`{"Action":"output","Package":"p","Test":"TestB","Output":"--- SKIP: TestB (0.00s)\n"}`,
			`{"Action":"skip","Package":"p","Test":"TestB"}`,
			`{"Action":"pass","Package":"p"}`,
		), 0, []string{"SKIP TestB (0.0s): x_test.go:9: needs the fake's powers"}},
		{"a failed test prints its output", ev(
			`{"Action":"output","Package":"p","Test":"TestC/sub","Output":"boom\n"}`,
			`{"Action":"fail","Package":"p","Test":"TestC","Elapsed":1}`,
			`{"Action":"fail","Package":"p"}`,
		), 1, []string{"FAIL TestC", "    boom", "FAILED: p TestC"}},
		{"a failed package alone fails", ev(`{"Action":"fail","Package":"p"}`), 1, nil},
		{"no package result fails", ev(`# p`, `build failed`), 1, []string{"build failed"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			code := run(strings.NewReader(tc.in), &out, func() time.Time { return time.Time{} })
			if code != tc.code {
				t.Errorf("exit code %d, want %d; output:\n%s", code, tc.code, out.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

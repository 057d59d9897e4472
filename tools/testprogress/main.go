// Command testprogress turns `go test -json` into one line per finished
// top-level test, so that a long acceptance run shows its progress, and
// prints the whole output of every test that failed. It exits non-zero when
// a test or a package failed, or when the input ends without a package result.
//
//	go test -json ./... | go run ./tools/testprogress
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

func main() {
	os.Exit(run(os.Stdin, os.Stdout, time.Now))
}

func run(in io.Reader, out io.Writer, now func() time.Time) int {
	start := now()
	outputs := map[string]*strings.Builder{} // package + top-level test -> its output
	var passed, failed, skipped, packages int
	var failures []string
	bad := false
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			// Build errors and the like are not JSON: show them as they are.
			fmt.Fprintln(out, sc.Text())
			continue
		}
		top, _, _ := strings.Cut(ev.Test, "/")
		key := ev.Package + " " + top
		switch ev.Action {
		case "output":
			if ev.Test == "" {
				if strings.HasPrefix(ev.Output, "FAIL") || strings.HasPrefix(ev.Output, "panic") {
					fmt.Fprint(out, ev.Output)
				}
				continue
			}
			b := outputs[key]
			if b == nil {
				b = &strings.Builder{}
				outputs[key] = b
			}
			b.WriteString(ev.Output)
		case "pass", "fail", "skip":
			if ev.Test == "" {
				packages++
				if ev.Action == "fail" {
					bad = true
				}
				fmt.Fprintf(out, "%s %s (%.0fs)\n", strings.ToUpper(ev.Action), ev.Package, ev.Elapsed)
				continue
			}
			if ev.Test != top {
				continue // subtests are reported with their parent
			}
			switch ev.Action {
			case "pass":
				passed++
			case "fail":
				failed++
				failures = append(failures, key)
			case "skip":
				skipped++
			}
			line := fmt.Sprintf("%-4s %s (%.1fs)", strings.ToUpper(ev.Action), top, ev.Elapsed)
			if ev.Action == "skip" {
				line += ": " + skipReason(outputs[key])
			}
			fmt.Fprintf(out, "%s  [%d passed, %d failed, %d skipped; %s]\n", line, passed, failed, skipped,
				now().Sub(start).Round(time.Second))
			if ev.Action == "fail" {
				fmt.Fprint(out, indent(outputs[key]))
			}
			if ev.Action != "fail" {
				delete(outputs, key)
			}
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(out, "testprogress:", err)
		return 1
	}
	fmt.Fprintf(out, "%d passed, %d failed, %d skipped in %d packages, %s\n", passed, failed, skipped, packages,
		now().Sub(start).Round(time.Second))
	for _, f := range failures {
		fmt.Fprintln(out, "FAILED:", f)
	}
	if bad || failed > 0 || packages == 0 {
		return 1
	}
	return 0
}

// skipReason is the last message a skipped test logged, e.g. its t.Skip text.
func skipReason(b *strings.Builder) string {
	if b == nil {
		return ""
	}
	var last string
	for _, l := range strings.Split(b.String(), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "=== ") && !strings.HasPrefix(l, "--- ") {
			last = l
		}
	}
	return last
}

func indent(b *strings.Builder) string {
	if b == nil {
		return ""
	}
	return "    " + strings.ReplaceAll(strings.TrimRight(b.String(), "\n"), "\n", "\n    ") + "\n"
}

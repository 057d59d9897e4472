// Command releasenotes cuts a release section from the Unreleased section of
// CHANGELOG.md, and prints a release's section for the release notes.
//
//	go run ./tools/releasenotes -cut 0.1.0 [-date 2026-12-06] CHANGELOG.md
//	go run ./tools/releasenotes -show 0.1.0 CHANGELOG.md
//
// -cut (make release-notes VERSION=0.1.0) moves everything under
// "## Unreleased" into a new "## [0.1.0] - <date>" section below it and leaves
// Unreleased empty, in place. It refuses a version that is not x.y.z, one
// that already has a section, and an empty Unreleased. -show prints the body
// of a release's section (the release workflow's --release-notes for
// goreleaser), and fails when the section is missing or empty, so that a
// tag without its changelog section is not released.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, time.Now); err != nil {
		fmt.Fprintln(os.Stderr, "releasenotes:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer, now func() time.Time) error {
	fs := flag.NewFlagSet("releasenotes", flag.ContinueOnError)
	cut := fs.String("cut", "", "cut the Unreleased section into a section for this version")
	show := fs.String("show", "", "print the body of this version's section")
	date := fs.String("date", "", "the release date of -cut, YYYY-MM-DD (default: today, UTC)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (*cut == "") == (*show == "") {
		return errors.New("usage: releasenotes (-cut VERSION [-date YYYY-MM-DD] | -show VERSION) CHANGELOG.md")
	}
	path := fs.Arg(0)
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if *show != "" {
		body, err := Section(string(b), *show)
		if err != nil {
			return err
		}
		_, err = io.WriteString(stdout, body)
		return err
	}
	d := *date
	if d == "" {
		d = now().UTC().Format(time.DateOnly)
	}
	out, err := Cut(string(b), *cut, d)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: Unreleased is now the section of %s (%s); commit it, then tag v%s\n", path, *cut, d, *cut)
	return nil
}

var (
	versionRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$`)
	// A release heading: "## [0.1.0] - 2026-12-06" or "## 0.1.0 ...".
	releaseHeadingRE = regexp.MustCompile(`^## \[?(\d+\.\d+\.\d+)\]?(\s|$)`)
)

// section finds the level-2 section whose heading matches match: the line
// index of its heading and of the next level-2 heading (or len(lines)).
func section(lines []string, match func(heading string) bool) (start, end int, ok bool) {
	start = -1
	for i, l := range lines {
		if !strings.HasPrefix(l, "## ") {
			continue
		}
		if start >= 0 {
			return start, i, true
		}
		if match(l) {
			start = i
		}
	}
	return start, len(lines), start >= 0
}

func isRelease(version string) func(string) bool {
	return func(h string) bool {
		m := releaseHeadingRE.FindStringSubmatch(h)
		return m != nil && m[1] == version
	}
}

// Cut moves the body of the Unreleased section into a new section
// "## [version] - date" right below an empty Unreleased section.
func Cut(changelog, version, date string) (string, error) {
	if !versionRE.MatchString(version) {
		return "", fmt.Errorf("version %q is not x.y.z (the tag without its v)", version)
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return "", fmt.Errorf("date %q is not YYYY-MM-DD", date)
	}
	lines := strings.Split(changelog, "\n")
	if _, _, ok := section(lines, isRelease(version)); ok {
		return "", fmt.Errorf("the changelog already has a section for %s", version)
	}
	start, end, ok := section(lines, func(h string) bool { return strings.TrimSpace(h) == "## Unreleased" })
	if !ok {
		return "", errors.New(`the changelog has no "## Unreleased" section`)
	}
	body := strings.Trim(strings.Join(lines[start+1:end], "\n"), "\n")
	if strings.TrimSpace(body) == "" {
		return "", errors.New("the Unreleased section is empty: nothing to release")
	}
	var out []string
	out = append(out, lines[:start+1]...)
	out = append(out, "", fmt.Sprintf("## [%s] - %s", version, date), "", body, "")
	out = append(out, lines[end:]...)
	return strings.Join(out, "\n"), nil
}

// Section returns the body of a release's section, trimmed of blank lines
// around it and ending in one newline.
func Section(changelog, version string) (string, error) {
	lines := strings.Split(changelog, "\n")
	start, end, ok := section(lines, isRelease(version))
	if !ok {
		return "", fmt.Errorf("the changelog has no section for %s: cut it with make release-notes VERSION=%s", version, version)
	}
	body := strings.Trim(strings.Join(lines[start+1:end], "\n"), "\n")
	if strings.TrimSpace(body) == "" {
		return "", fmt.Errorf("the section for %s is empty", version)
	}
	return body + "\n", nil
}

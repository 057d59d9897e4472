package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const changelog = `# Changelog

Intro.

## Unreleased

### Added

- A thing.

### Fixed

- Another thing.

## [0.1.0] - 2026-01-02

### Added

- The first thing.
`

func TestCutMovesUnreleasedIntoTheRelease(t *testing.T) {
	got, err := Cut(changelog, "0.2.0", "2026-12-06")
	if err != nil {
		t.Fatal(err)
	}
	want := `# Changelog

Intro.

## Unreleased

## [0.2.0] - 2026-12-06

### Added

- A thing.

### Fixed

- Another thing.

## [0.1.0] - 2026-01-02

### Added

- The first thing.
`
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	body, err := Section(got, "0.2.0")
	if err != nil {
		t.Fatal(err)
	}
	if body != "### Added\n\n- A thing.\n\n### Fixed\n\n- Another thing.\n" {
		t.Errorf("Section = %q", body)
	}
	// The next release starts from the empty Unreleased section.
	if _, err := Cut(got, "0.3.0", "2026-12-07"); err == nil || !strings.Contains(err.Error(), "nothing to release") {
		t.Errorf("a second cut = %v, want nothing to release", err)
	}
}

func TestCutRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, changelog, version, date, want string
	}{
		{"a version with a v", changelog, "v0.2.0", "2026-12-06", "is not x.y.z"},
		{"a prerelease", changelog, "0.2.0-rc1", "2026-12-06", "is not x.y.z"},
		{"a released version", changelog, "0.1.0", "2026-12-06", "already has a section for 0.1.0"},
		{"a bad date", changelog, "0.2.0", "06.12.2026", "is not YYYY-MM-DD"},
		{"no Unreleased section", "# Changelog\n\n## [0.1.0] - 2026-01-02\n\n- x\n", "0.2.0", "2026-12-06", `no "## Unreleased" section`},
		{"an empty Unreleased section", "# Changelog\n\n## Unreleased\n\n\n## [0.1.0] - 2026-01-02\n", "0.2.0", "2026-12-06", "nothing to release"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Cut(tc.changelog, tc.version, tc.date); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Cut = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestSectionRefusesAMissingRelease(t *testing.T) {
	if _, err := Section(changelog, "0.3.0"); err == nil || !strings.Contains(err.Error(), "make release-notes VERSION=0.3.0") {
		t.Errorf("Section = %v", err)
	}
	if _, err := Section("## Unreleased\n\n## [0.3.0] - 2026-12-06\n\n", "0.3.0"); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("Section of an empty release = %v", err)
	}
}

// The documented step on a copy of the repository's CHANGELOG.md: the cut
// keeps every line, and -show prints exactly what Unreleased held.
func TestCutAndShowTheRepositoryChangelog(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join("..", "..", "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "CHANGELOG.md")
	if err := os.WriteFile(path, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC) }
	var out bytes.Buffer
	if err := run([]string{"-cut", "0.1.0", path}, &out, now); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "then tag v0.1.0") {
		t.Errorf("-cut said %q", out.String())
	}
	cut, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cut), "## Unreleased\n\n## [0.1.0] - 2026-12-06\n") {
		t.Errorf("no empty Unreleased followed by the 0.1.0 section:\n%.600s", cut)
	}
	out.Reset()
	if err := run([]string{"-show", "0.1.0", path}, &out, now); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(orig), "\n")
	start, end, _ := section(lines, func(h string) bool { return h == "## Unreleased" })
	if want := strings.Trim(strings.Join(lines[start+1:end], "\n"), "\n") + "\n"; out.String() != want {
		t.Errorf("-show printed %d bytes, want the %d bytes of Unreleased", out.Len(), len(want))
	}
	if len(cut) != len(orig)+len("\n## [0.1.0] - 2026-12-06\n") {
		t.Errorf("the cut changelog has %d bytes, want %d + the new heading", len(cut), len(orig))
	}
}

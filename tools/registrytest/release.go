// Package registrytest checks a provider release the way a provider registry
// checks it before publishing, and serves it over the provider registry
// protocol (providers.v1) on a loopback address, so that `terraform init` and
// `tofu init` can install it as they install any registry provider: download,
// checksum, signature. It is test tooling (make test-release) and never part
// of the provider binary.
package registrytest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Release is what a provider release publishes: the zips, the SHA256SUMS
// file, its detached signature and the registry manifest, by file name.
type Release struct {
	Name    string // terraform-provider-vb365
	Version string // 0.1.0, the tag without its "v"
	Files   map[string][]byte
}

// Platform is an os/arch pair of a zip, as the registry protocol names it.
type Platform struct {
	OS   string `json:"os"`
	Arch string `json:"arch"`
}

func (p Platform) String() string { return p.OS + "_" + p.Arch }

// The registry's names for the files of a release.
func (r *Release) prefix() string       { return r.Name + "_" + r.Version + "_" }
func (r *Release) SumsName() string     { return r.prefix() + "SHA256SUMS" }
func (r *Release) SigName() string      { return r.SumsName() + ".sig" }
func (r *Release) ManifestName() string { return r.prefix() + "manifest.json" }
func (r *Release) ZipName(p Platform) string {
	return r.prefix() + p.String() + ".zip"
}

// BinaryName is the one file a zip holds: terraform-provider-vb365_v0.1.0
// (with .exe on Windows).
func (r *Release) BinaryName(p Platform) string {
	name := r.Name + "_v" + r.Version
	if p.OS == "windows" {
		name += ".exe"
	}
	return name
}

// Type is the provider type the release is for: vb365.
func (r *Release) Type() string { return strings.TrimPrefix(r.Name, "terraform-provider-") }

var (
	// Semantic versioning 2.0.0, as the registry requires of a tag (without its "v").
	semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	// The platform part of a zip's name: lowercase os and arch, as Go names them.
	platformRE = regexp.MustCompile(`^([a-z0-9]+)_([a-z0-9]+)\.zip$`)
)

// Platforms lists the platforms of the release's zips, sorted.
func (r *Release) Platforms() []Platform {
	var ps []Platform
	for name := range r.Files {
		rest, ok := strings.CutPrefix(name, r.prefix())
		if !ok {
			continue
		}
		if m := platformRE.FindStringSubmatch(rest); m != nil {
			ps = append(ps, Platform{OS: m[1], Arch: m[2]})
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].String() < ps[j].String() })
	return ps
}

// LoadDist reads the release goreleaser wrote into dist: every file named
// <name>_<version>_* at its top level (the zips, SHA256SUMS and its
// signature), and the registry manifest, which the release workflow uploads
// from the repository (release.extra_files) under the name the registry
// expects.
func LoadDist(dist, manifestPath, name, version string) (*Release, error) {
	r := &Release{Name: name, Version: version, Files: map[string][]byte{}}
	entries, err := os.ReadDir(dist)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), r.prefix()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dist, e.Name()))
		if err != nil {
			return nil, err
		}
		r.Files[e.Name()] = b
	}
	if len(r.Files) == 0 {
		return nil, fmt.Errorf("%s has no file named %s*: is it a release of %s %s?", dist, r.prefix(), name, version)
	}
	manifest, err := os.ReadFile(manifestPath)
	if err != nil {
		return nil, err
	}
	r.Files[r.ManifestName()] = manifest
	return r, nil
}

// Manifest is the registry manifest (terraform-registry-manifest.json).
type Manifest struct {
	Version  int `json:"version"`
	Metadata struct {
		ProtocolVersions []string `json:"protocol_versions"`
	} `json:"metadata"`
}

// Manifest decodes the release's manifest.
func (r *Release) Manifest() (Manifest, error) {
	var m Manifest
	b, ok := r.Files[r.ManifestName()]
	if !ok {
		return m, fmt.Errorf("no %s", r.ManifestName())
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("%s: %w", r.ManifestName(), err)
	}
	return m, nil
}

// Sums parses the SHA256SUMS file: file name to hex digest.
func (r *Release) Sums() (map[string]string, error) {
	b, ok := r.Files[r.SumsName()]
	if !ok {
		return nil, fmt.Errorf("no %s", r.SumsName())
	}
	sums := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 || len(fields[0]) != sha256.Size*2 {
			return nil, fmt.Errorf("%s line %d is not \"<sha256>  <file>\": %q", r.SumsName(), n, sc.Text())
		}
		if _, err := hex.DecodeString(fields[0]); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", r.SumsName(), n, err)
		}
		if _, dup := sums[fields[1]]; dup {
			return nil, fmt.Errorf("%s lists %s twice", r.SumsName(), fields[1])
		}
		sums[fields[1]] = fields[0]
	}
	return sums, sc.Err()
}

// Check makes the checks a registry makes on a release before it publishes
// it, and returns every problem found (nil when there is none):
//   - the version is a semantic version and every file is named
//     <name>_<version>_{<os>_<arch>.zip,SHA256SUMS,SHA256SUMS.sig,manifest.json};
//   - the manifest is version 1 and its protocol_versions are wantProtocols
//     (what the binary serves, e.g. ["6.0"]);
//   - every zip holds exactly one file, the executable <name>_v<version>;
//   - SHA256SUMS lists every zip and the manifest, nothing else, each with
//     its digest;
//   - the signature is there and is a binary (not ASCII-armored) OpenPGP
//     packet, as the CLIs read it.
//
// The signature itself is verified by the CLIs when they install the
// release (make test-release).
func (r *Release) Check(wantProtocols []string) error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if !semverRE.MatchString(r.Version) {
		fail("version %q is not a semantic version (the tag must be v<major>.<minor>.<patch>)", r.Version)
	}
	names := slices.Sorted(maps.Keys(r.Files))
	fixed := []string{r.SumsName(), r.SigName(), r.ManifestName()}
	for _, n := range names {
		rest, ok := strings.CutPrefix(n, r.prefix())
		if !ok || (!slices.Contains(fixed, n) && !platformRE.MatchString(rest)) {
			fail("%s does not match the registry's pattern %s{<os>_<arch>.zip,SHA256SUMS,SHA256SUMS.sig,manifest.json}", n, r.prefix())
		}
	}
	for _, n := range fixed {
		if _, ok := r.Files[n]; !ok {
			fail("the release has no %s", n)
		}
	}
	platforms := r.Platforms()
	if len(platforms) == 0 {
		fail("the release has no zip")
	}

	if m, err := r.Manifest(); err != nil {
		fail("%v", err)
	} else {
		if m.Version != 1 {
			fail("%s: version is %d, want 1", r.ManifestName(), m.Version)
		}
		if !slices.Equal(m.Metadata.ProtocolVersions, wantProtocols) {
			fail("%s: protocol_versions is %q, but the binary serves %q", r.ManifestName(), m.Metadata.ProtocolVersions, wantProtocols)
		}
	}

	for _, p := range platforms {
		if err := r.checkZip(p); err != nil {
			errs = append(errs, err)
		}
	}

	if sums, err := r.Sums(); err != nil {
		fail("%v", err)
	} else {
		want := []string{r.ManifestName()}
		for _, p := range platforms {
			want = append(want, r.ZipName(p))
		}
		for _, n := range want {
			got, ok := sums[n]
			if !ok {
				fail("%s does not list %s", r.SumsName(), n)
				continue
			}
			if b, ok := r.Files[n]; ok {
				if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != strings.ToLower(got) {
					fail("%s lists %s with %s, but its SHA-256 is %x", r.SumsName(), n, got, sum)
				}
			}
		}
		for n := range sums {
			if !slices.Contains(want, n) {
				fail("%s lists %s, which is not a zip or the manifest of this release", r.SumsName(), n)
			}
		}
	}

	if sig, ok := r.Files[r.SigName()]; ok {
		switch {
		case len(sig) == 0:
			fail("%s is empty", r.SigName())
		case sig[0]&0x80 == 0:
			fail("%s is not a binary OpenPGP signature (ASCII-armored? sign with --detach-sign, not --armor)", r.SigName())
		}
	}
	return errors.Join(errs...)
}

func (r *Release) checkZip(p Platform) error {
	name := r.ZipName(p)
	b := r.Files[name]
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	var entries []string
	for _, f := range zr.File {
		entries = append(entries, f.Name)
	}
	want := r.BinaryName(p)
	if len(entries) != 1 || entries[0] != want {
		return fmt.Errorf("%s holds %q, want exactly one file, %s", name, entries, want)
	}
	if mode := zr.File[0].Mode(); p.OS != "windows" && (!mode.IsRegular() || mode&0o111 == 0) {
		return fmt.Errorf("%s: %s has mode %v, want an executable file", name, want, mode)
	}
	return nil
}

// Binary returns the provider binary in the zip of platform p.
func (r *Release) Binary(p Platform) ([]byte, error) {
	name := r.ZipName(p)
	b, ok := r.Files[name]
	if !ok {
		return nil, fmt.Errorf("the release has no %s", name)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	f, err := zr.Open(r.BinaryName(p))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return buf.Bytes(), nil
}

package registrytest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestCheckAcceptsAWellFormedRelease(t *testing.T) {
	if err := fabricated(t).Check([]string{"6.0"}); err != nil {
		t.Fatal(err)
	}
}

// Each mutation is a mistake that would make the registry refuse the
// release, or terraform init refuse the provider; Check must name it.
func TestCheckNamesWhatARegistryRefuses(t *testing.T) {
	linux := Platform{"linux", "amd64"}
	windows := Platform{"windows", "arm64"}
	for _, tc := range []struct {
		name   string
		mutate func(t *testing.T, r *Release)
		want   string
	}{
		{"a version that is not semantic", func(_ *testing.T, r *Release) {
			*r = *renamed(r, "0.1")
		}, `version "0.1" is not a semantic version`},
		{"a protocol the binary does not serve", func(_ *testing.T, r *Release) {
			r.Files[r.ManifestName()] = []byte(`{"version": 1, "metadata": {"protocol_versions": ["5.0"]}}`)
			resum(r)
		}, `protocol_versions is ["5.0"], but the binary serves ["6.0"]`},
		{"a manifest of another format version", func(_ *testing.T, r *Release) {
			r.Files[r.ManifestName()] = []byte(`{"version": 2, "metadata": {"protocol_versions": ["6.0"]}}`)
			resum(r)
		}, "version is 2, want 1"},
		{"a manifest with a misspelt key", func(_ *testing.T, r *Release) {
			r.Files[r.ManifestName()] = []byte(`{"version": 1, "metadata": {"protocol_version": ["6.0"]}}`)
			resum(r)
		}, `unknown field "protocol_version"`},
		{"no manifest", func(_ *testing.T, r *Release) {
			delete(r.Files, r.ManifestName())
			resum(r)
		}, "the release has no terraform-provider-vb365_0.1.0_manifest.json"},
		{"a zip named with a dash", func(_ *testing.T, r *Release) {
			r.Files["terraform-provider-vb365_0.1.0_linux-amd64.zip"] = r.Files[r.ZipName(linux)]
		}, "terraform-provider-vb365_0.1.0_linux-amd64.zip does not match the registry's pattern"},
		{"a binary without the version", func(t *testing.T, r *Release) {
			r.Files[r.ZipName(linux)] = makeZip(t, zipEntry{"terraform-provider-vb365", 0o755, "x"})
			resum(r)
		}, `terraform-provider-vb365_0.1.0_linux_amd64.zip holds ["terraform-provider-vb365"], want exactly one file, terraform-provider-vb365_v0.1.0`},
		{"a Windows binary without .exe", func(t *testing.T, r *Release) {
			r.Files[r.ZipName(windows)] = makeZip(t, zipEntry{"terraform-provider-vb365_v0.1.0", 0o755, "x"})
			resum(r)
		}, "want exactly one file, terraform-provider-vb365_v0.1.0.exe"},
		{"a zip with a second file", func(t *testing.T, r *Release) {
			r.Files[r.ZipName(linux)] = makeZip(t, zipEntry{r.BinaryName(linux), 0o755, "x"}, zipEntry{"README.md", 0o644, "y"})
			resum(r)
		}, `holds ["terraform-provider-vb365_v0.1.0" "README.md"]`},
		{"a binary that is not executable", func(t *testing.T, r *Release) {
			r.Files[r.ZipName(linux)] = makeZip(t, zipEntry{r.BinaryName(linux), 0o644, "x"})
			resum(r)
		}, "has mode -rw-r--r--, want an executable file"},
		{"SHA256SUMS without the manifest", func(_ *testing.T, r *Release) {
			sums := string(r.Files[r.SumsName()])
			r.Files[r.SumsName()] = []byte(sums[strings.Index(sums, "\n")+1:])
		}, "SHA256SUMS does not list terraform-provider-vb365_0.1.0_manifest.json"},
		{"SHA256SUMS with a stale digest", func(_ *testing.T, r *Release) {
			r.Files[r.ZipName(linux)] = Tamper(r.Files[r.ZipName(linux)])
		}, "SHA256SUMS lists terraform-provider-vb365_0.1.0_linux_amd64.zip with "},
		{"SHA256SUMS with a file that is not released", func(_ *testing.T, r *Release) {
			r.Files[r.SumsName()] = append(r.Files[r.SumsName()], []byte(strings.Repeat("ab", 32)+"  terraform-provider-vb365_0.1.0_darwin_arm64.zip\n")...)
		}, "lists terraform-provider-vb365_0.1.0_darwin_arm64.zip, which is not a zip or the manifest"},
		{"an ASCII-armored signature", func(_ *testing.T, r *Release) {
			r.Files[r.SigName()] = []byte("-----BEGIN PGP SIGNATURE-----\n")
		}, "is not a binary OpenPGP signature"},
		{"no signature", func(_ *testing.T, r *Release) {
			delete(r.Files, r.SigName())
		}, "the release has no terraform-provider-vb365_0.1.0_SHA256SUMS.sig"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := fabricated(t)
			tc.mutate(t, r)
			err := r.Check([]string{"6.0"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Check = %v\nwant an error containing %q", err, tc.want)
			}
		})
	}
}

// renamed returns r as a release of version v: every file renamed, the
// binaries and SHA256SUMS rewritten.
func renamed(r *Release, v string) *Release {
	n := &Release{Name: r.Name, Version: v, Files: map[string][]byte{}}
	for name, b := range r.Files {
		n.Files[strings.Replace(name, "_"+r.Version+"_", "_"+v+"_", 1)] = b
	}
	return n
}

// The releases make test-release built, the snapshot and the release of the
// tag on a clone, pass the registry's checks, their binary says it is the
// tag's version, and the protocol their manifest declares is the one the
// binary serves.
func TestReleaseMeetsRegistryRules(t *testing.T) {
	snap := loadSnapshot(t)
	dists := map[string]*Release{"snapshot": snap.release}
	if dist := os.Getenv(envTaggedDist); dist != "" {
		dists["tagged"] = loadRelease(t, dist, snap.release.Version)
	}
	for name, rel := range dists {
		t.Run(name, func(t *testing.T) {
			host := Platform{OS: runtime.GOOS, Arch: runtime.GOARCH}
			bin, err := rel.Binary(host)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), rel.BinaryName(host))
			if err := os.WriteFile(path, bin, 0o700); err != nil {
				t.Fatal(err)
			}

			out, err := exec.Command(path, "-version").Output()
			if err != nil {
				t.Fatalf("%s -version: %v", rel.BinaryName(host), err)
			}
			if got := strings.TrimSpace(string(out)); got != rel.Version {
				t.Errorf("%s -version = %q, want %q (the tag's version, set with -X main.version)", rel.BinaryName(host), got, rel.Version)
			}

			served := servedProtocol(t, path)
			t.Logf("%s: the %s binary serves plugin protocol %s; the release has %q", name, host, served, rel.Platforms())
			if err := rel.Check([]string{served + ".0"}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// servedProtocol starts the provider as Terraform starts a plugin, offering
// protocols 5 and 6, and returns the one it answers with in its handshake
// line (core|protocol|network|address|transport), then stops it.
func servedProtocol(t *testing.T, path string) string {
	t.Helper()
	cmd := exec.Command(path)
	cmd.Env = []string{
		// terraform-plugin-go's handshake cookie, and the versions Terraform offers.
		"TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
		"PLUGIN_PROTOCOL_VERSIONS=5,6",
		"TMPDIR=" + t.TempDir(), // its socket
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, readErr := bufio.NewReader(stdout).ReadString('\n')
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if readErr != nil {
		t.Fatalf("the provider printed no handshake: %v", readErr)
	}
	parts := strings.Split(strings.TrimSpace(line), "|")
	if len(parts) < 5 || parts[0] != "1" || parts[4] != "grpc" {
		t.Fatalf("handshake %q is not a go-plugin gRPC handshake", line)
	}
	return parts[1]
}

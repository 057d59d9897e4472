package registrytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

var testKey = SigningKey{KeyID: "0123456789ABCDEF", ASCIIArmor: "-----BEGIN PGP PUBLIC KEY BLOCK-----\n...\n"}

// get asks the registry on srv for path and decodes a JSON answer into v
// (when v is not nil); it returns the status and the body.
func get(t *testing.T, srv *httptest.Server, path string, v any) (int, []byte) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if v != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, body)
		}
	}
	return resp.StatusCode, body
}

func TestRegistryServesTheProtocol(t *testing.T) {
	rel := fabricated(t)
	reg := New("terraform-vb365", rel, testKey, []byte("other"))
	srv := httptest.NewTLSServer(reg)
	defer srv.Close()

	var disco map[string]string
	if code, _ := get(t, srv, "/.well-known/terraform.json", &disco); code != http.StatusOK || disco["providers.v1"] != "/good/v1/providers/" {
		t.Errorf("service discovery: %d %v", code, disco)
	}

	var versions struct {
		Versions []struct {
			Version   string
			Protocols []string
			Platforms []struct{ OS, Arch string }
		}
	}
	get(t, srv, "/good/v1/providers/terraform-vb365/vb365/versions", &versions)
	if len(versions.Versions) != 1 {
		t.Fatalf("versions: %+v", versions)
	}
	v := versions.Versions[0]
	if v.Version != "0.1.0" || !slices.Equal(v.Protocols, []string{"6.0"}) || fmt.Sprint(v.Platforms) != "[{linux amd64} {windows arm64}]" {
		t.Errorf("versions: %+v", v)
	}

	var doc struct {
		Protocols           []string
		OS, Arch, Filename  string
		DownloadURL         string `json:"download_url"`
		ShasumsURL          string `json:"shasums_url"`
		ShasumsSignatureURL string `json:"shasums_signature_url"`
		Shasum              string
		SigningKeys         struct {
			GPGPublicKeys []struct {
				KeyID      string `json:"key_id"`
				ASCIIArmor string `json:"ascii_armor"`
			} `json:"gpg_public_keys"`
		} `json:"signing_keys"`
	}
	get(t, srv, "/good/v1/providers/terraform-vb365/vb365/0.1.0/download/linux/amd64", &doc)
	sums, err := rel.Sums()
	if err != nil {
		t.Fatal(err)
	}
	zipName := "terraform-provider-vb365_0.1.0_linux_amd64.zip"
	if doc.Filename != zipName || doc.Shasum != sums[zipName] || doc.OS != "linux" || doc.Arch != "amd64" || !slices.Equal(doc.Protocols, []string{"6.0"}) {
		t.Errorf("download document: %+v", doc)
	}
	if keys := doc.SigningKeys.GPGPublicKeys; len(keys) != 1 || keys[0].KeyID != testKey.KeyID || keys[0].ASCIIArmor != testKey.ASCIIArmor {
		t.Errorf("signing keys: %+v", keys)
	}
	for url, want := range map[string]string{
		doc.DownloadURL:         zipName,
		doc.ShasumsURL:          rel.SumsName(),
		doc.ShasumsSignatureURL: rel.SigName(),
	} {
		if url != srv.URL+"/good/files/"+want {
			t.Errorf("URL %s, want %s", url, srv.URL+"/good/files/"+want)
		}
		_, body := get(t, srv, strings.TrimPrefix(url, srv.URL), nil)
		if !bytes.Equal(body, rel.Files[want]) {
			t.Errorf("%s does not serve %s as it is", url, want)
		}
	}

	for _, path := range []string{
		"/good/v1/providers/hashicorp/vb365/versions",
		"/good/v1/providers/terraform-vb365/other/versions",
		"/nosuch/v1/providers/terraform-vb365/vb365/versions",
		"/good/v1/providers/terraform-vb365/vb365/0.2.0/download/linux/amd64",
		"/good/v1/providers/terraform-vb365/vb365/0.1.0/download/darwin/arm64",
		"/good/files/terraform-provider-vb365_0.1.0_darwin_arm64.zip",
	} {
		if code, _ := get(t, srv, path, nil); code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, code)
		}
	}
	if n := reg.Count("GET /good/files/" + zipName); n != 1 {
		t.Errorf("the zip was served %d times, want 1", n)
	}
}

func TestRegistryScenariosChangeOneThing(t *testing.T) {
	rel := fabricated(t)
	srv := httptest.NewTLSServer(New("terraform-vb365", rel, testKey, []byte("other")))
	defer srv.Close()
	zipName := rel.ZipName(Platform{"linux", "amd64"})
	for _, tc := range []struct {
		scenario Scenario
		file     string
		want     []byte
	}{
		{Good, zipName, rel.Files[zipName]},
		{TamperedZip, zipName, Tamper(rel.Files[zipName])},
		{TamperedZip, rel.SumsName(), rel.Files[rel.SumsName()]},
		{TamperedZip, rel.SigName(), rel.Files[rel.SigName()]},
		{OtherKey, zipName, rel.Files[zipName]},
		{OtherKey, rel.SumsName(), rel.Files[rel.SumsName()]},
		{OtherKey, rel.SigName(), []byte("other")},
	} {
		if _, body := get(t, srv, FilePath(tc.scenario, tc.file), nil); !bytes.Equal(body, tc.want) {
			t.Errorf("%s serves a %s that is not the one wanted", tc.scenario, tc.file)
		}
	}
	if b := rel.Files[zipName]; bytes.Equal(Tamper(b), b) || len(Tamper(b)) != len(b) {
		t.Error("Tamper must change the zip and keep its size")
	}
}

func TestEgressGuardRefusesAndRemembers(t *testing.T) {
	guard := &EgressGuard{}
	proxy := httptest.NewServer(guard)
	defer proxy.Close()
	t.Setenv("HTTPS_PROXY", proxy.URL)
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("NO_PROXY", "")
	tr := &http.Transport{Proxy: http.ProxyFromEnvironment}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get("http://registry.terraform.io/.well-known/terraform.json")
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("status %d, want 403", resp.StatusCode)
		}
	}
	if got := guard.Hosts(); !slices.Equal(got, []string{"registry.terraform.io"}) {
		t.Errorf("hosts %q", got)
	}
}

// The configuration make test-release and make test-install install is the
// one the README's Install section gives users: the same source and the same
// version constraint.
func TestInstallConfigIsTheREADMEs(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile(filepath.Join(repoRoot(t), "tools", "testdata", "install", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	_, install, ok := strings.Cut(string(readme), "\n## Install\n")
	if !ok {
		t.Fatal("README.md has no Install section")
	}
	_, block, ok := strings.Cut(install, "```hcl\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("README.md's Install section has no hcl block")
	}
	if !strings.Contains(string(config), block) {
		t.Errorf("tools/testdata/install/main.tf does not hold the README's Install block:\n%s", block)
	}
}

// cli runs one Terraform or OpenTofu binary in a world of its own: a CLI
// configuration that points the registry hosts at one scenario of the test
// registry and installs directly (no implied local mirror), a home and a
// temporary directory of the test's, the test CA as the only one trusted,
// and every host but loopback reachable only through the egress guard,
// which refuses. Nothing of the caller's environment reaches it (no plugin
// cache, no ~/.terraformrc, no TF_LOG).
type cli struct {
	name, path string
	env        []string
}

func newCLI(t *testing.T, name, path, registryURL, caFile, proxyURL string, s Scenario) *cli {
	t.Helper()
	home := t.TempDir()
	rc := filepath.Join(home, "cli.tfrc")
	var b strings.Builder
	// The source "terraform-vb365/vb365" means registry.terraform.io to
	// Terraform and registry.opentofu.org to OpenTofu: a host block points
	// each at the test registry, so the configuration is the README's.
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		fmt.Fprintf(&b, "host %q {\n  services = {\n    \"providers.v1\" = %q\n  }\n}\n", host, ProvidersURL(registryURL, s))
	}
	b.WriteString("provider_installation {\n  direct {}\n}\ndisable_checkpoint = true\n")
	if err := os.WriteFile(rc, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return &cli{name: name, path: path, env: []string{
		"HOME=" + home,
		"TMPDIR=" + t.TempDir(),
		"TF_CLI_CONFIG_FILE=" + rc,
		"SSL_CERT_FILE=" + caFile,
		"HTTPS_PROXY=" + proxyURL,
		"HTTP_PROXY=" + proxyURL,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
	}}
}

// run runs the CLI in dir and returns its combined output.
func (c *cli) run(dir string, args ...string) (string, error) {
	cmd := exec.Command(c.path, args...)
	cmd.Dir = dir
	cmd.Env = c.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// filesUnder lists the files (not directories) under root, if it exists.
func filesUnder(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == root {
			return fs.SkipDir
		}
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, path)
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// linesWith returns the lines of out that contain substr, trimmed.
func linesWith(out, substr string) []string {
	var found []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, substr) {
			found = append(found, strings.TrimSpace(l))
		}
	}
	return found
}

// What each CLI says when it refuses a scenario. The messages are the CLIs'
// (Terraform 1.11, OpenTofu 1.12); each names the check that failed.
var refusals = map[string]map[Scenario]string{
	"terraform": {
		TamperedZip: "archive has incorrect checksum",
		OtherKey:    "authentication signature from unknown issuer",
	},
	"tofu": {
		TamperedZip: "archive has incorrect checksum",
		OtherKey:    "the provider is not signed with a valid signing key",
	},
}

// TestCLIInstallsRelease serves the snapshot release over TLS on loopback
// and runs `init` of Terraform and OpenTofu against it in an empty
// directory with the README's configuration (source and version
// constraint): the CLI must find the version, download the zip, verify the
// signature of SHA256SUMS with the key of the download document and the
// zip's checksum, and `validate` and `providers schema` must then work. A
// tampered zip and a signature by another key must each fail init with the
// CLI's message for it, and install nothing. No request may leave loopback.
func TestCLIInstallsRelease(t *testing.T) {
	snap := loadSnapshot(t)
	rel := snap.release
	reg := New("terraform-vb365", rel, snap.key, snap.otherSig)
	srv, caPEM, err := StartTLS(reg)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	guard := &EgressGuard{}
	proxy := httptest.NewServer(guard)
	defer proxy.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile(filepath.Join(repoRoot(t), "tools", "testdata", "install", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	sums, err := rel.Sums()
	if err != nil {
		t.Fatal(err)
	}
	host := Platform{OS: runtime.GOOS, Arch: runtime.GOARCH}
	zipName := rel.ZipName(host)
	installed := "Installed terraform-vb365/vb365 v" + rel.Version

	for _, c := range []struct{ name, env string }{{"terraform", envTerraform}, {"tofu", envTofu}} {
		for _, s := range Scenarios {
			t.Run(c.name+"/"+string(s), func(t *testing.T) {
				path := os.Getenv(c.env)
				if path == "" {
					t.Fatalf("%s is not set: tools/test-release.sh sets it with tools/get-%s.sh", c.env, c.name)
				}
				cl := newCLI(t, c.name, path, srv.URL, caFile, proxy.URL, s)
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "main.tf"), config, 0o600); err != nil {
					t.Fatal(err)
				}
				before := len(reg.Requests())
				out, err := cl.run(dir, "init", "-input=false", "-no-color")
				served := reg.Requests()[before:]

				if s != Good {
					want := refusals[c.name][s]
					if err == nil || !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
						t.Fatalf("%s init: %v, want a failure saying %q:\n%s", c.name, err, want, out)
					}
					msg := out
					if i := strings.Index(out, "Error"); i >= 0 {
						msg = out[i:]
					}
					t.Logf("%s init refused (%s): %s", c.name, s, strings.Join(strings.Fields(msg), " "))
					// Nothing installed and nothing trusted: no binary of the
					// provider (OpenTofu leaves only its install lock,
					// <platform>.lock), no dependency lock file.
					for _, f := range filesUnder(t, filepath.Join(dir, ".terraform", "providers")) {
						if strings.HasPrefix(filepath.Base(f), "terraform-provider-") {
							t.Errorf("%s installed %s although init failed", c.name, f)
						}
					}
					if _, err := os.Stat(filepath.Join(dir, ".terraform.lock.hcl")); !errors.Is(err, fs.ErrNotExist) {
						t.Errorf("%s wrote .terraform.lock.hcl although init failed (%v)", c.name, err)
					}
					return
				}

				if err != nil {
					t.Fatalf("%s init: %v\n%s", c.name, err, out)
				}
				got := linesWith(out, installed)
				if len(got) != 1 || !strings.Contains(got[0], "key ID "+snap.key.KeyID) {
					t.Fatalf("%s init did not report %q signed with key ID %s:\n%s", c.name, installed, snap.key.KeyID, out)
				}
				t.Logf("%s init: %s", c.name, got[0])
				// The CLI read SHA256SUMS and its signature, once each, and the zip.
				for f, want := range map[string]int{rel.SumsName(): 1, rel.SigName(): 1} {
					if n := count(served, "GET "+FilePath(s, f)); n != want {
						t.Errorf("%s init downloaded %s %d times, want %d (requests: %q)", c.name, f, n, want, served)
					}
				}
				if count(served, "GET "+FilePath(s, zipName)) == 0 {
					t.Errorf("%s init never downloaded %s (requests: %q)", c.name, zipName, served)
				}
				lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(lock), `"zh:`+sums[zipName]+`"`) {
					t.Errorf("the lock file does not record the zip's SHA-256 from SHA256SUMS (zh:%s):\n%s", sums[zipName], lock)
				}
				if out, err := cl.run(dir, "validate", "-no-color"); err != nil {
					t.Fatalf("%s validate: %v\n%s", c.name, err, out)
				}
				schema, err := cl.run(dir, "providers", "schema", "-json")
				if err != nil || !strings.Contains(schema, `"vb365_restore_operator_role"`) {
					t.Fatalf("%s providers schema: %v, or no vb365_restore_operator_role:\n%.2000s", c.name, err, schema)
				}
			})
		}
	}
	if hosts := guard.Hosts(); len(hosts) != 0 {
		t.Errorf("requests tried to leave loopback for %q", hosts)
	}
}

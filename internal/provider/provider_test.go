package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// testConfigError expects a configuration to fail at configure time with
// an error matching re.
func testConfigError(t *testing.T, config string, re string) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config + `data "vb365_organizations" "all" {}`,
			ExpectError: regexp.MustCompile(re),
		}},
	})
}

func TestAccProvider_missingURL(t *testing.T) {
	clearProviderEnv(t)
	testConfigError(t, `provider "vb365" {
  username = "u"
  password = "p"
}

`, `(?s)Missing VB365 URL.*"url".*VB365_URL`)
}

func TestAccProvider_missingCredentials(t *testing.T) {
	clearProviderEnv(t)
	testConfigError(t, `provider "vb365" {
  url = "https://vb365.contoso.local:4443"
}

`, `(?s)Missing VB365 username.*VB365_USERNAME.*Missing VB365 password.*VB365_PASSWORD`)
}

func TestAccProvider_envFallback(t *testing.T) {
	clearProviderEnv(t)
	fake := startFake(t, vb365test.Options{})
	t.Setenv(envURL, fake.URL)
	t.Setenv(envUsername, fake.Username())
	t.Setenv(envPassword, fake.Password())
	t.Setenv(envAPIVersion, "v7")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `data "vb365_organizations" "all" {}`,
			Check:  resource.TestCheckResourceAttr("data.vb365_organizations.all", "organizations.#", "2"),
		}},
	})
	if n := fake.Count("GET /Organizations"); n == 0 {
		t.Fatal("the provider configured from the environment made no request")
	}
	for _, r := range fake.Requests() {
		if r.Version != "" && r.Version != "v7" {
			t.Fatalf("VB365_API_VERSION=v7 ignored: request %s %s", r.Method, r.Path)
		}
	}
}

func TestAccProvider_urlWithoutScheme(t *testing.T) {
	clearProviderEnv(t)
	testConfigError(t, `provider "vb365" {
  url      = "vb365.contoso.local:4443"
  username = "u"
  password = "p"
}

`, `(?s)Invalid VB365 URL.*has no scheme.*https://`)
}

func TestAccProvider_unknownVersion(t *testing.T) {
	clearProviderEnv(t)
	testConfigError(t, `provider "vb365" {
  url         = "https://vb365.contoso.local:4443"
  username    = "u"
  password    = "p"
  api_version = "v4"
}

`, `(?s)api_version.*v5.*v6.*v7.*v8`)
}

func TestAccProvider_badPEM(t *testing.T) {
	clearProviderEnv(t)
	testConfigError(t, `provider "vb365" {
  url         = "https://vb365.contoso.local:4443"
  username    = "u"
  password    = "p"
  ca_cert_pem = "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n"
}

`, `(?s)ca_cert_pem.*no certificate that parses`)
}

func TestAccProvider_insecureConflictsWithCA(t *testing.T) {
	clearProviderEnv(t)
	testConfigError(t, `provider "vb365" {
  url         = "https://vb365.contoso.local:4443"
  username    = "u"
  password    = "p"
  insecure    = true
  ca_cert_pem = "x"
}

`, `(?s)Conflicting VB365 TLS settings`)
}

func TestAccProvider_wrongCredentials(t *testing.T) {
	clearProviderEnv(t)
	fake := startFake(t, vb365test.Options{})
	const wrong = "Wr0ng-Passw0rd-Value"
	config := fmt.Sprintf(`provider "vb365" {
  url      = %q
  username = %q
  password = %q
}

`, fake.URL, fake.Username(), wrong)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config + `data "vb365_organizations" "all" {}`,
			// The server's reason, and never the password.
			ExpectError: regexp.MustCompile(`(?s)Unable to authenticate to VB365.*user name or password is incorrect`),
		}},
	})

	// The diagnostic text itself: the reason is there, the password is not.
	c, err := vb365.New(vb365.Config{URL: fake.URL, Username: fake.Username(), Password: wrong})
	if err != nil {
		t.Fatal(err)
	}
	summary, detail := describeLoginError(c.Login(context.Background()), fake.URL)
	if summary != "Unable to authenticate to VB365" || !strings.Contains(detail, "user name or password is incorrect") {
		t.Fatalf("unexpected diagnostic %q: %q", summary, detail)
	}
	if strings.Contains(summary+detail, wrong) {
		t.Fatalf("the diagnostic leaks the password: %q", detail)
	}
}

func TestAccProvider_unreachableHost(t *testing.T) {
	clearProviderEnv(t)
	testConfigError(t, `provider "vb365" {
  url         = "http://127.0.0.1:1"
  username    = "u"
  password    = "p"
  max_retries = 0
}

`, `(?s)Unable to connect to VB365.*127\.0\.0\.1:1.*4443`)
}

func TestAccProvider_untrustedCertificate(t *testing.T) {
	clearProviderEnv(t)
	needsFake(t)
	fake := vb365test.StartTLS(t, vb365test.Options{})
	fake.SeedDemo()
	base := fmt.Sprintf(`
  url         = %q
  username    = %q
  password    = %q
  max_retries = 0
`, fake.URL, fake.Username(), fake.Password())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      `provider "vb365" {` + base + `}` + "\n" + `data "vb365_organizations" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)untrusted certificate.*ca_cert_pem`),
			},
			{
				Config: `provider "vb365" {` + base + fmt.Sprintf("  ca_cert_pem = %q\n", fake.CertificatePEM()) + `}` + "\n" + `data "vb365_organizations" "all" {}`,
				Check:  resource.TestCheckResourceAttr("data.vb365_organizations.all", "organizations.#", "2"),
			},
			{
				Config: `provider "vb365" {` + base + "  insecure = true\n}\n" + `data "vb365_organizations" "all" {}`,
				Check:  resource.TestCheckResourceAttr("data.vb365_organizations.all", "organizations.#", "2"),
			},
		},
	})
}

// The environment variable can still conflict with the attribute; Configure
// catches that.
func TestAccProvider_insecureEnvConflictsWithCA(t *testing.T) {
	clearProviderEnv(t)
	t.Setenv(envInsecure, "true")
	testConfigError(t, `provider "vb365" {
  url         = "https://vb365.contoso.local:4443"
  username    = "u"
  password    = "p"
  ca_cert_pem = "x"
}

`, `(?s)Conflicting VB365 TLS settings`)
}

// token_cache_dir: every Terraform command of a test (a new provider
// server and client each) after the first signs in with the cached token.
func TestAccProvider_tokenCacheDir(t *testing.T) {
	fake := startFake(t, vb365test.Options{Quirks: vb365test.Quirks{ThrottleToken: true}})
	dir := t.TempDir() + "/tokens"
	config := providerBlock(fake, fmt.Sprintf("token_cache_dir = %q", dir)) + `data "vb365_organizations" "all" {}`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: resource.TestCheckResourceAttr("data.vb365_organizations.all", "organizations.#", "2")},
			{Config: config, PlanOnly: true},
		},
	})
	if reads, logins := fake.Count("GET /Organizations"), fake.Count("POST /token"); reads < 3 || logins != 1 {
		t.Fatalf("%d reads of the organizations cost %d token requests, want 1", reads, logins)
	}
}

// A token_cache_dir the provider cannot use is a warning on that attribute
// when the provider is configured (not a DEBUG line, not an error: the
// provider then signs in with the password); so is a cached token issued
// for another server. A usable directory says nothing.
func TestProviderConfigure_tokenCacheWarnings(t *testing.T) {
	clearProviderEnv(t)
	fake := startFake(t, vb365test.Options{})
	otherServer := startFake(t, vb365test.Options{})
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(shared, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	// A token file of another server under this server's name.
	copied := t.TempDir()
	ownName := filepath.Join(copied, filepath.Base(cacheToken(t, fake, t.TempDir())))
	if err := os.Rename(cacheToken(t, otherServer, copied), ownName); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, dir, env, summary, detail string
	}{
		{"usable", filepath.Join(t.TempDir(), "tokens"), "", "", ""},
		{"relative", "tokens", "", "VB365 token cache not used", `"tokens" is a relative path`},
		{"relative, from the environment", "", "tokens", "VB365 token cache not used", `"tokens" is a relative path`},
		{"a regular file", file, "", "VB365 token cache not used", "is not a directory"},
		{"writable by others", shared, "", "VB365 token cache not used", "is writable by other users (mode -rwxrwxrwx)"},
		{"another user's, mode 0755", dirOfAnotherUser(t), "", "VB365 token cache not used", "belongs to another user"},
		{"a token of another server", copied, "", "VB365 cached token ignored", "was issued for " + otherServer.URL},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.dir == "" && tc.env == "" {
				t.Skip("no directory of another user: " + dirOfAnotherUserMissing)
			}
			t.Setenv(envTokenCache, tc.env)
			p := newProtoProvider(t)
			vals := map[string]tftypes.Value{"url": str(fake.URL), "username": str(fake.Username()), "password": str(fake.Password())}
			if tc.dir != "" {
				vals["token_cache_dir"] = str(tc.dir)
			}
			resp, err := p.srv.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
				TerraformVersion: "1.11.4", Config: dynamicValue(t, p.schema.Provider.ValueType(), vals),
			})
			if err != nil {
				t.Fatal(err)
			}
			requireNoErrorDiags(t, "ConfigureProvider", resp.Diagnostics)
			if tc.summary == "" {
				if len(resp.Diagnostics) != 0 {
					t.Fatalf("diagnostics for a usable directory: %s", diagsText(resp.Diagnostics))
				}
				return
			}
			if len(resp.Diagnostics) != 1 {
				t.Fatalf("%d diagnostics, want one warning: %s", len(resp.Diagnostics), diagsText(resp.Diagnostics))
			}
			d := resp.Diagnostics[0]
			if d.Severity != tfprotov6.DiagnosticSeverityWarning || d.Summary != tc.summary || !strings.Contains(d.Detail, tc.detail) ||
				d.Attribute == nil || !strings.Contains(d.Attribute.String(), "token_cache_dir") {
				t.Fatalf("diagnostic %s %q: %q on %v, want a warning %q saying %q on token_cache_dir", d.Severity, d.Summary, d.Detail, d.Attribute, tc.summary, tc.detail)
			}
		})
	}
}

// dirOfAnotherUser returns a directory of mode 0755 that another user owns:
// the root directory when not running as root; as root, a directory given
// to uid 65534. "" (with dirOfAnotherUserMissing set) when neither is
// possible.
func dirOfAnotherUser(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		return "/"
	}
	dir := filepath.Join(t.TempDir(), "theirs")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, 65534, 65534); err != nil {
		dirOfAnotherUserMissing = fmt.Sprintf("running as root, but chown to uid 65534 failed: %v", err)
		return ""
	}
	t.Cleanup(func() { _ = os.Chown(dir, 0, 0) })
	return dir
}

var dirOfAnotherUserMissing string

// cacheToken signs in to fake with a token cache in dir and returns the
// token file.
func cacheToken(t *testing.T, fake *vb365test.Server, dir string) string {
	t.Helper()
	c, err := vb365.New(vb365.Config{URL: fake.URL, Username: fake.Username(), Password: fake.Password(), TokenCacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "vb365-token-*"))
	if len(files) != 1 {
		t.Fatalf("token files %v", files)
	}
	return files[0]
}

// A url with a password is refused at plan time and never printed;
// validators and Configure read " 60s " and "V8" the same way; an ID of
// ".." is refused before it is sent as a path segment.
func TestAccProvider_planTimeChecks(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `provider "vb365" {
  url      = "http://admin:pw-in-url-31337@vb365.example:4443"
  username = "u"
  password = "p"
}

data "vb365_organizations" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid VB365 URL.*user\s+name\s+or\s+password`),
			},
			{
				Config: providerBlock(fake) + `
resource "vb365_audit_item" "dots" {
  organization_id = ".."
  user_id         = "x"
}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid VB365 ID.*path\s+segment`),
			},
			{
				Config: fmt.Sprintf(`provider "vb365" {
  url             = %q
  username        = %q
  password        = %q
  api_version     = "V8"
  request_timeout = " 60s "
}
data "vb365_organizations" "all" {}`, fake.URL, fake.Username(), fake.Password()),
			},
		},
	})
}

// The password in url never reaches a diagnostic, from the attribute or
// from VB365_URL (which only Configure sees).
func TestAccProvider_urlPasswordNeverShown(t *testing.T) {
	clearProviderEnv(t)
	t.Setenv(envUsername, "u")
	t.Setenv(envPassword, "p")
	// (The attribute form is checked at plan time by
	// TestAccProvider_planTimeChecks; Terraform itself quotes the source
	// line there, so only the environment form can be checked whole.)
	for _, tc := range []struct{ name, env, block string }{
		{"environment", "https://admin:pw-in-url-31337@vb365.example:4443", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(envURL, tc.env)
			checked := false
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				ErrorCheck: func(err error) error {
					checked = true
					if strings.Contains(err.Error(), "pw-in-url-31337") {
						return fmt.Errorf("the diagnostic shows the password of url: %w", err)
					}
					if !regexp.MustCompile(`user\s+name\s+or\s+password`).MatchString(err.Error()) {
						return fmt.Errorf("not the userinfo error: %w", err)
					}
					return nil
				},
				Steps: []resource.TestStep{{Config: tc.block + `data "vb365_organizations" "all" {}`}},
			})
			if !checked {
				t.Fatal("the configuration did not fail")
			}
		})
	}
}

// TestRegisteredTypesAreDocumented: every resource, data source, action and
// list resource the provider registers (read through the framework, as
// Terraform reads them) is in README.md's list of its kind, in the docs
// index's (templates/index.md.tmpl) and in DESIGN.md's table of registered
// types with that kind; and none of them names a type of that kind the
// provider does not register.
func TestRegisteredTypesAreDocumented(t *testing.T) {
	srv := NewServer("test")()
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrorDiags(t, "GetProviderSchema", resp.Diagnostics)
	registered := map[string][]string{} // kind -> type names
	for name := range resp.DataSourceSchemas {
		registered["data source"] = append(registered["data source"], name)
	}
	for name := range resp.ResourceSchemas {
		registered["resource"] = append(registered["resource"], name)
	}
	for name := range resp.ActionSchemas {
		registered["action"] = append(registered["action"], name)
	}
	for name := range resp.ListResourceSchemas {
		registered["list resource"] = append(registered["list resource"], name)
	}
	for _, kind := range []string{"data source", "resource", "action", "list resource"} {
		if len(registered[kind]) == 0 {
			t.Fatalf("the provider registers no %s: the schema response is not what this test expects", kind)
		}
		slices.Sort(registered[kind])
	}

	for _, doc := range []string{"README.md", "templates/index.md.tmpl"} {
		lists := documentedTypeLists(t, doc)
		for kind, names := range registered {
			compareTypes(t, doc+`'s "`+kind+`s" list`, names, lists[kind])
		}
	}
	rows := designTypeRows(t)
	for kind, names := range registered {
		compareTypes(t, "DESIGN.md's table of registered types ("+kind+"s)", names, rows[kind])
	}
}

// compareTypes reports the registered types a document lacks and the types
// it names that the provider does not register.
func compareTypes(t *testing.T, where string, registered, documented []string) {
	t.Helper()
	for _, name := range registered {
		if !slices.Contains(documented, name) {
			t.Errorf("%s lacks %s, which the provider registers", where, name)
		}
	}
	for _, name := range documented {
		if !slices.Contains(registered, name) {
			t.Errorf("%s names %s, which the provider does not register", where, name)
		}
	}
}

var (
	// typeListItem is the first line of a list item of one kind: "- **Data
	// sources** ..." (README.md, templates/index.md.tmpl).
	typeListItem = regexp.MustCompile(`(?i)^- \*\*(data sources|resources|actions|list resources):?\*\*`)
	typeName     = regexp.MustCompile("`(vb365_[a-z0-9_]+)`")
)

// documentedTypeLists reads, by kind, the type names in backquotes of each
// "- **<Kind>**" list item of a document (the item runs to the next item
// or blank line).
func documentedTypeLists(t *testing.T, doc string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(doc)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	kind := ""
	for _, line := range strings.Split(string(b), "\n") {
		if m := typeListItem.FindStringSubmatch(line); m != nil {
			kind = strings.TrimSuffix(strings.ToLower(m[1]), "s")
			if _, seen := out[kind]; seen {
				t.Fatalf("%s has two %q items", doc, m[0])
			}
			out[kind] = []string{}
		} else if strings.HasPrefix(line, "- ") || strings.TrimSpace(line) == "" {
			kind = ""
		}
		if kind != "" {
			for _, m := range typeName.FindAllStringSubmatch(line, -1) {
				out[kind] = append(out[kind], m[1])
			}
		}
	}
	for _, kind := range []string{"data source", "resource", "action", "list resource"} {
		if _, ok := out[kind]; !ok {
			t.Errorf(`%s has no "- **%ss**" list item`, doc, strings.ToUpper(kind[:1])+kind[1:])
		}
	}
	return out
}

// designTypeRows reads DESIGN.md's table of registered types: by kind, the
// type of each row ("| `vb365_x` | resource, list resource | ...").
func designTypeRows(t *testing.T) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "DESIGN.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## The registered types\n")
	if !ok {
		t.Fatal(`DESIGN.md has no "## The registered types" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	out := map[string][]string{}
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !typeName.MatchString(strings.TrimSpace(cells[1])) {
			continue
		}
		name := typeName.FindStringSubmatch(cells[1])[1]
		for _, kind := range strings.Split(cells[2], ",") {
			kind = strings.TrimSpace(kind)
			out[kind] = append(out[kind], name)
		}
	}
	return out
}

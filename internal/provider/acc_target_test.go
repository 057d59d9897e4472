package provider

// The real-server tier. By default every acceptance test starts its own
// in-process fake. With VB365_ACC_URL set (make testacc-real), the portable
// tests in portable_test.go run against that server instead, and every test
// that needs the fake's powers (out-of-band changes, faults, seeded data)
// skips, saying so. The portable tests touch only what they create: audit
// items for the named user and group, and roles named tfacc-<random>.

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// The real-server tier's variables.
const (
	accURL           = "VB365_ACC_URL"
	accUsername      = "VB365_ACC_USERNAME"
	accPassword      = "VB365_ACC_PASSWORD"
	accOrganization  = "VB365_ACC_ORGANIZATION"
	accUser          = "VB365_ACC_USER"  // UPN of a user that may be audited and made a restore operator
	accGroup         = "VB365_ACC_GROUP" // mail address of a group that may be audited
	accCACertPEM     = "VB365_ACC_CA_CERT_PEM"
	accInsecure      = "VB365_ACC_INSECURE"
	accAPIVersion    = "VB365_ACC_API_VERSION"
	accAllowExisting = "VB365_ACC_ALLOW_EXISTING"
)

// realTier reports whether the acceptance tests target a real server.
func realTier() bool { return os.Getenv(accURL) != "" }

// needsFake skips a test that needs the in-process fake on the real tier.
func needsFake(t *testing.T) {
	t.Helper()
	if realTier() {
		t.Skip("needs the in-process fake VB365 server (out-of-band changes, faults or seeded data); skipped on the real-server tier (" + accURL + " is set)")
	}
}

// accTarget is the server a portable test runs against.
type accTarget struct {
	real          bool
	providerBlock string
	organization  string // name
	user, group   string // mail addresses
	client        *vb365.Client
	orgID         string
	preexisting   int // audit items the organization had before the test
}

// run runs a portable test case: in parallel against the fakes (one
// each), one at a time against a real server (the tests share its user).
func (a *accTarget) run(t *testing.T, tc resource.TestCase) {
	t.Helper()
	if a.real {
		resource.Test(t, tc)
		return
	}
	resource.ParallelTest(t, tc)
}

func newAccTarget(t *testing.T) *accTarget {
	t.Helper()
	clearProviderEnv(t)
	if !realTier() {
		fake := startFake(t, vb365test.Options{})
		a := &accTarget{providerBlock: providerBlock(fake), organization: vb365test.DemoOrganization,
			user: "ceo@contoso.onmicrosoft.com", group: "Executives@contoso.onmicrosoft.com"}
		a.connect(t, vb365.Config{URL: fake.URL, Username: fake.Username(), Password: fake.Password()})
		return a
	}
	var missing []string
	for _, v := range []string{accUsername, accPassword, accOrganization, accUser, accGroup} {
		if os.Getenv(v) == "" {
			missing = append(missing, v)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%s is set, so the acceptance tests target a real server, but %s %s not set", accURL, strings.Join(missing, ", "), map[bool]string{true: "is", false: "are"}[len(missing) == 1])
	}
	a := &accTarget{real: true, organization: os.Getenv(accOrganization), user: os.Getenv(accUser), group: os.Getenv(accGroup)}
	cfg := vb365.Config{URL: os.Getenv(accURL), Username: os.Getenv(accUsername), Password: os.Getenv(accPassword),
		CACertPEM: os.Getenv(accCACertPEM), Insecure: os.Getenv(accInsecure) == "1" || os.Getenv(accInsecure) == "true"}
	extra := ""
	if v := os.Getenv(accAPIVersion); v != "" {
		av, err := vb365.ParseAPIVersion(v)
		if err != nil {
			t.Fatalf("%s: %v", accAPIVersion, err)
		}
		cfg.APIVersion = av
		extra += fmt.Sprintf("  api_version = %q\n", v)
	}
	if cfg.CACertPEM != "" {
		extra += fmt.Sprintf("  ca_cert_pem = %q\n", cfg.CACertPEM)
	}
	if cfg.Insecure {
		extra += "  insecure = true\n"
	}
	a.providerBlock = fmt.Sprintf("provider \"vb365\" {\n  url      = %q\n  username = %q\n  password = %q\n%s}\n", cfg.URL, cfg.Username, cfg.Password, extra)
	a.connect(t, cfg)
	if a.preexisting > 0 && os.Getenv(accAllowExisting) != "1" {
		t.Fatalf("organization %s already has %d audit items; the real-server tier refuses to run there, so that no test can touch audit items it did not create. "+
			"Use an organization without audit items, or set %s=1 (tests that would remove other audit items still skip)", a.organization, a.preexisting, accAllowExisting)
	}
	return a
}

// connect makes the client the test uses to check and clean up, and counts
// the organization's audit items.
func (a *accTarget) connect(t *testing.T, cfg vb365.Config) {
	t.Helper()
	c, err := vb365.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.client = c
	ctx := context.Background()
	org, err := c.FindOrganizationByName(ctx, a.organization)
	if err != nil {
		t.Fatalf("organization %s: %v", a.organization, err)
	}
	a.orgID = org.ID
	items, err := c.ListAuditItems(ctx, a.orgID)
	if err != nil {
		t.Fatal(err)
	}
	a.preexisting = len(items)
}

// roleName is a name no existing role has: tfacc-<random>.
func (a *accTarget) roleName() string { return "tfacc-" + acctest.RandString(8) }

// cleanUpAfter removes, when the test ends, what it may have left behind
// after a failure: audit items of the target's user and group that were not
// there before, and roles whose name starts with prefix.
func (a *accTarget) cleanUpAfter(t *testing.T, rolePrefix string) {
	t.Helper()
	ctx := context.Background()
	before, err := a.auditedPrincipals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a.real && (before[strings.ToLower(a.user)] != "" || before[strings.ToLower(a.group)] != "") {
		t.Skipf("%s or %s is audited already; the real-server tier leaves audit items it did not create alone", a.user, a.group)
	}
	t.Cleanup(func() {
		now, err := a.auditedPrincipals(ctx)
		if err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
		var leftover []string
		for _, name := range []string{a.user, a.group} {
			if id := now[strings.ToLower(name)]; id != "" && before[strings.ToLower(name)] == "" {
				leftover = append(leftover, id)
			}
		}
		if len(leftover) > 0 {
			t.Logf("cleanup: removing %d audit items the test left behind", len(leftover))
			if err := a.client.RemoveAuditItems(ctx, a.orgID, leftover); err != nil {
				t.Errorf("cleanup: %v", err)
			}
		}
		if rolePrefix == "" {
			return
		}
		roles, err := a.client.ListRestoreOperatorRoles(ctx, a.orgID)
		if err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
		for _, r := range roles {
			if strings.HasPrefix(r.Name, rolePrefix) {
				t.Logf("cleanup: deleting the role %s the test left behind", r.Name)
				if err := a.client.DeleteRestoreOperatorRole(ctx, a.orgID, r.ID); err != nil {
					t.Errorf("cleanup: %v", err)
				}
			}
		}
	})
}

// auditedPrincipals maps the lower-case name of each audited principal to
// its audit item's ID.
func (a *accTarget) auditedPrincipals(ctx context.Context) (map[string]string, error) {
	items, err := a.client.ListAuditItems(ctx, a.orgID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(items))
	for _, it := range items {
		out[strings.ToLower(it.PrincipalName())] = it.ID
	}
	return out, nil
}

// TestAccTargetCleanup: what a failed portable test leaves behind (an audit
// item of the target's user, a role with the test's prefix) is removed when
// it ends, and what was there before is left alone.
func TestAccTargetCleanup(t *testing.T) {
	needsFake(t)
	a := newAccTarget(t)
	ctx := context.Background()
	adele, err := a.client.FindUserByName(ctx, a.orgID, "AdeleV@contoso.onmicrosoft.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.client.AddAuditItems(ctx, a.orgID, []vb365.Object{{User: adele}}); err != nil {
		t.Fatal(err)
	}
	t.Run("a test that leaves things behind", func(t *testing.T) {
		a.cleanUpAfter(t, "tfacc-cleanup")
		u, err := a.client.FindUserByName(ctx, a.orgID, a.user)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.client.AddAuditItems(ctx, a.orgID, []vb365.Object{{User: u}}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.client.CreateRestoreOperatorRole(ctx, a.orgID, vb365.RoleCreate{
			Name: "tfacc-cleanup-1", RoleType: vb365.RoleEntireOrganization, Operators: []vb365.Object{{User: u}},
		}); err != nil {
			t.Fatal(err)
		}
	})
	now, err := a.auditedPrincipals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if now[strings.ToLower(a.user)] != "" {
		t.Errorf("%s is still audited after the cleanup", a.user)
	}
	if now["adelev@contoso.onmicrosoft.com"] == "" {
		t.Error("the cleanup removed an audit item that was there before the test")
	}
	roles, err := a.client.ListRestoreOperatorRoles(ctx, a.orgID)
	if err != nil {
		t.Fatal(err)
	}
	if len(roles) != 0 {
		t.Errorf("roles left after the cleanup: %+v", roles)
	}
}

package vb365

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func TestParseAPIVersion(t *testing.T) {
	for in, want := range map[string]APIVersion{"": V8, "v8": V8, "V7": V7, " 6 ": V6, "5": V5, "V5": V5} {
		got, err := ParseAPIVersion(in)
		if err != nil || got != want {
			t.Errorf("ParseAPIVersion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseAPIVersion("4"); err == nil || !strings.Contains(err.Error(), `"v4"`) || !strings.Contains(err.Error(), "v5, v6, v7, v8") {
		t.Errorf("ParseAPIVersion(4) err = %v", err)
	}
	if V5.SupportsEmailOAuth() || V6.SupportsEmailOAuth() || !V7.SupportsEmailOAuth() || !V8.SupportsEmailOAuth() {
		t.Error("SupportsEmailOAuth is wrong")
	}
}

// TestFeatures: a feature is had from its first version on (v6 for what
// v5 lacks, v8 for what only v8 documents); the lacked paths are
// recognised below the version prefix, ignoring case, below an
// organization and below a role.
func TestFeatures(t *testing.T) {
	since := map[Feature]APIVersion{
		FeatureRestoreOperatorRoles: V6, FeatureSites: V6, FeatureTeams: V6, FeatureRestoreSessions: V6,
		FeatureJobEmailSettings: V6, FeatureLocationFilter: V6, FeatureExplorerEmailSettings: V6,
		FeatureProtectedData: V8, FeatureLicensedUsers: V6, FeatureRestorePortal: V6, FeatureBackupJobs: V6,
		FeatureRepositories: V6, FeatureProxies: V6, FeatureProxyPools: V8,
	}
	if len(since) != len(features) {
		t.Fatalf("the test knows %d features, the table has %d", len(since), len(features))
	}
	for f, first := range since {
		if f.String() == "" || f.Since() != first {
			t.Errorf("feature %d: %q since %q, want %s", f, f, f.Since(), first)
		}
		for _, v := range []APIVersion{V5, V6, V7, V8} {
			if got, want := v.Has(f), versions[v].number >= versions[first].number; got != want {
				t.Errorf("%s.Has(%s) = %v", v, f, got)
			}
		}
		if APIVersion("v4").Has(f) || V8.Has(Feature(0)) {
			t.Errorf("an unknown version or feature is had")
		}
	}
	for path, want := range map[string]Feature{
		"RbacRoles":                             FeatureRestoreOperatorRoles,
		"rbacroles/1f0e/operators":              FeatureRestoreOperatorRoles,
		"Organizations/6f14/RbacRoles":          FeatureRestoreOperatorRoles,
		"Organizations/6f14/Sites":              FeatureSites,
		"Organizations/6f14/Sites/084282fd":     FeatureSites,
		"Organizations/6f14/Teams":              FeatureTeams,
		"RestoreSessions":                       FeatureRestoreSessions,
		"RestoreSessions/9a/Events":             FeatureRestoreSessions,
		"VboEmailSettings/SendTest":             FeatureJobEmailSettings,
		"VeodEmailSettings/SendTestEmail":       FeatureExplorerEmailSettings,
		"vexemailsettings":                      FeatureExplorerEmailSettings,
		"ProtectedUsers":                        FeatureProtectedData,
		"LicensedUsers/7":                       FeatureLicensedUsers,
		"RestorePortalSettings":                 FeatureRestorePortal,
		"Jobs/1/start":                          FeatureBackupJobs,
		"Organizations/6f14/Jobs":               FeatureBackupJobs,
		"BackupRepositories":                    FeatureRepositories,
		"Organizations/6f14/usedRepositories":   FeatureRepositories,
		"Proxies/2/Rescan":                      FeatureProxies,
		"ProxyPools":                            FeatureProxyPools,
		"Organizations/6f14/Users":              0,
		"Organizations/6f14/AuditItems/action":  0,
		"Organizations/RbacRoles":               0, // an organization's ID, not a path of roles
		"AuditEmailSettings/action":             0,
		"Organizations/6f14/Users/u%2FSites/x":  0,
		"Organizations/6f14/Groups/RbacRoles/x": 0,
	} {
		got, lacked := V5.lacks(path)
		if lacked != (want != 0) || got != want {
			t.Errorf("V5.lacks(%q) = %v, %v; want %v", path, got, lacked, want)
		}
		if f, lacked := V6.lacks(path); lacked && f.Since() == V6 {
			t.Errorf("V6.lacks(%q) = %v", path, f)
		}
	}
}

// TestV5SendsNothingItLacks: on v5, a call into an area v5 lacks is an
// *UnsupportedError (ErrUnsupported) naming the feature and its first
// version, and reaches no server: not even the sign-in.
func TestV5SendsNothingItLacks(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	org := fake.SeedVBridge()
	c := newTestClient(t, fake.URL, withVersion(V5))
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"roles":        func() error { _, err := c.ListRestoreOperatorRoles(ctx, org.ID); return err },
		"sites":        func() error { _, err := c.ListSites(ctx, org.ID, SiteFilter{}); return err },
		"teams":        func() error { _, err := c.ListTeams(ctx, org.ID, ""); return err },
		"sessions":     func() error { _, err := c.ListRestoreSessions(ctx, RestoreSessionFilter{}); return err },
		"job settings": func() error { _, err := c.GetJobEmailSettings(ctx); return err },
		"job test":     func() error { return c.SendJobTestEmail(ctx) },
		"user filter": func() error {
			_, err := c.ListUsers(ctx, org.ID, UserFilter{LocationFilter: "Hybrid"})
			return err
		},
		"group filter": func() error {
			_, err := c.ListGroups(ctx, org.ID, GroupFilter{LocationFilter: "Cloud"})
			return err
		},
	} {
		err := call()
		var ue *UnsupportedError
		if !errors.Is(err, ErrUnsupported) || !errors.As(err, &ue) || ue.Version != V5 || ue.Feature.Since() != V6 ||
			!strings.Contains(err.Error(), "need REST API v6 or later") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := fake.Count(""); n != 0 {
		t.Errorf("%d requests reached the server: %v", n, fake.CountByRoute())
	}
	// The rest of v5 goes on: users with the filters v5 has.
	users, err := c.ListUsers(ctx, org.ID, UserFilter{UserName: vb365test.VBridgeUserName})
	if err != nil || len(users) != 1 {
		t.Fatalf("ListUsers = %v, %v", users, err)
	}
	if q := fake.Requests()[len(fake.Requests())-1].Query; !strings.Contains(q, "username=") {
		t.Errorf("the v5 user filter was sent as %q, want v5's username", q)
	}
	if got := fake.Count("GET /Organizations/{organizationId}/Users"); got != 1 || fake.Count("POST /token") != 1 {
		t.Errorf("requests %v", fake.CountByRoute())
	}
}

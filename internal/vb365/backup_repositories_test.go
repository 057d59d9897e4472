package vb365

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// repoFake starts a fake with the demo's infrastructure (five repositories:
// two JET, an immutable encrypted S3-compatible one, an encrypted archive
// tier and an unencrypted Azure one; two proxies).
func repoFake(t *testing.T, q vb365test.Quirks) *vb365test.Server {
	t.Helper()
	fake := vb365test.Start(t, vb365test.Options{Quirks: q})
	fake.SeedDemo()
	return fake
}

func repoNames(repos []BackupRepository) []string {
	var out []string
	for _, r := range repos {
		out = append(out, r.Name)
	}
	return out
}

func byName(t *testing.T, repos []BackupRepository, name string) *BackupRepository {
	t.Helper()
	for i := range repos {
		if repos[i].Name == name {
			return &repos[i]
		}
	}
	t.Fatalf("no repository %q in %v", name, repoNames(repos))
	return nil
}

// TestBackupRepositoriesContract runs the repository, object storage and
// proxy routes of every version through the OpenAPI validator: lists,
// filters, lookups by ID and name, and the not-found answers.
func TestBackupRepositoriesContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			c, _, val := newContractClient(t, v, vb365test.Options{})
			ctx := context.Background()

			// One object storage by ID (v6, v7), then the rest by the list.
			if _, err := c.GetBackupRepository(ctx, strings.ToUpper(vb365test.DemoImmutableRepositoryID)); err != nil {
				t.Fatal(err)
			}
			all, err := c.ListBackupRepositories(ctx, BackupRepositoryFilter{})
			if err != nil || len(all) != 5 {
				t.Fatalf("ListBackupRepositories = %v, %v", repoNames(all), err)
			}
			lt := true
			if got, err := c.ListBackupRepositories(ctx, BackupRepositoryFilter{LongTerm: &lt, ProxyID: vb365test.DefaultProxyID}); err != nil || len(got) != 1 || got[0].ID != vb365test.DemoArchiveRepositoryID {
				t.Fatalf("long-term of the default proxy = %v, %v", repoNames(got), err)
			}
			if _, err := c.FindBackupRepositoryByName(ctx, "contoso immutable"); err != nil {
				t.Fatal(err)
			}
			var nf *NotFoundError
			if _, err := c.GetBackupRepository(ctx, "11111111-2222-3333-4444-555555555555"); !errors.As(err, &nf) || nf.Kind != KindRepository {
				t.Fatalf("unknown repository: %v", err)
			}
			proxies, err := c.ListProxies(ctx)
			if err != nil || len(proxies) != 2 {
				t.Fatalf("ListProxies = %+v, %v", proxies, err)
			}
			p := "/" + string(v)
			want := []string{"GET " + p + "/BackupRepositories", "GET " + p + "/BackupRepositories/{repositoryId}", "GET " + p + "/Proxies"}
			if v != V8 {
				want = append(want, "GET "+p+"/objectstoragerepositories", "GET "+p+"/objectstoragerepositories/{repositoryId}")
			}
			assertNoViolations(t, val, want...)
		})
	}
}

// TestBackupRepositoryShapes reads the same repositories in each version:
// what the version has is there, what it lacks is nil, never a false or
// a zero the server did not send.
func TestBackupRepositoryShapes(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			fake := repoFake(t, vb365test.Quirks{})
			c := newTestClient(t, fake.URL, withVersion(v))
			all, err := c.ListBackupRepositories(context.Background(), BackupRepositoryFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if got := repoNames(all); !slices.Equal(got, []string{vb365test.DefaultRepository, "Contoso Immutable", "Contoso Archive", "Fabrikam Azure", "Branch Office"}) {
				t.Fatalf("order %v", got)
			}

			def := byName(t, all, vb365test.DefaultRepository)
			if def.IsObjectStorage() || def.ObjectStorage != nil || def.Path != `C:\VeeamRepository` || def.ProxyID != vb365test.DefaultProxyID ||
				def.CapacityBytes == nil || *def.CapacityBytes != 500<<30 || def.FreeSpaceBytes == nil || *def.FreeSpaceBytes != 320<<30 ||
				def.EncryptionEnabled == nil || *def.EncryptionEnabled || def.EncryptionKeyID != "" ||
				def.IsLongTerm == nil || *def.IsLongTerm || def.IsOutOfSync == nil || *def.IsOutOfSync {
				t.Fatalf("default repository %+v", def)
			}
			if y, ok := def.RetentionYears(); !ok || y != 3 || def.RetentionType != "SnapshotBased" || def.KeepsForever() {
				t.Fatalf("default retention %d %v %+v", y, ok, def)
			}

			imm := byName(t, all, "Contoso Immutable")
			o := imm.ObjectStorage
			if !imm.IsObjectStorage() || o == nil || imm.ObjectStorageID != vb365test.DemoImmutableObjectStorage || o.ID != vb365test.DemoImmutableObjectStorage ||
				o.Type != "AmazonS3Compatible" || o.Bucket != "contoso-vb365" || o.Folder != "tenant-contoso" ||
				imm.EncryptionEnabled == nil || !*imm.EncryptionEnabled || imm.EncryptionKeyID != vb365test.DemoEncryptionKeyID ||
				imm.CapacityBytes != nil || imm.FreeSpaceBytes != nil || imm.Path != "/var/cache/vb365/contoso" ||
				o.UsedSpaceBytes == nil || *o.UsedSpaceBytes != 120<<30 || o.FreeSpaceBytes != nil || o.SizeLimitEnabled == nil || *o.SizeLimitEnabled {
				t.Fatalf("immutable repository %+v, object storage %+v", imm, o)
			}
			if y, ok := imm.RetentionYears(); !ok || y != 7 {
				t.Fatalf("immutable retention %d %v", y, ok)
			}
			arc := byName(t, all, "Contoso Archive")
			if arc.IsLongTerm == nil || !*arc.IsLongTerm || !arc.KeepsForever() || arc.ObjectStorage.Type != "AzureBlobArchive" ||
				arc.ObjectStorage.Bucket != "contoso-archive" || arc.ObjectStorage.FreeSpaceBytes == nil || *arc.ObjectStorage.FreeSpaceBytes != 2048<<30-700<<30 {
				t.Fatalf("archive %+v, %+v", arc, arc.ObjectStorage)
			}
			if _, ok := arc.RetentionYears(); ok {
				t.Fatal("Keep has no number of years")
			}
			fab := byName(t, all, "Fabrikam Azure")
			if fab.EncryptionEnabled == nil || *fab.EncryptionEnabled || fab.RetentionType != "ItemLevel" || fab.MonthlyRetentionPeriod == nil || *fab.MonthlyRetentionPeriod != 18 {
				t.Fatalf("fabrikam %+v", fab)
			}
			branch := byName(t, all, "Branch Office")
			if branch.DailyRetentionPeriod == nil || *branch.DailyRetentionPeriod != 90 || branch.MonthlyRetentionPeriod != nil {
				t.Fatalf("branch %+v", branch)
			}

			// Immutability: none in v6, enabled in v7, everything in v8.
			switch v {
			case V6:
				if o.ImmutabilityEnabled != nil || o.ImmutabilityPeriodDays != nil || o.ImmutabilityGovernanceMode != nil || o.Name != "Contoso S3 (Object Lock)" {
					t.Fatalf("v6 object storage %+v", o)
				}
			case V7:
				if o.ImmutabilityEnabled == nil || !*o.ImmutabilityEnabled || o.ImmutabilityPeriodDays != nil || o.ImmutabilityGovernanceMode != nil ||
					fab.ObjectStorage.ImmutabilityEnabled == nil || *fab.ObjectStorage.ImmutabilityEnabled {
					t.Fatalf("v7 object storage %+v", o)
				}
			case V8:
				if o.ImmutabilityEnabled == nil || !*o.ImmutabilityEnabled || o.ImmutabilityPeriodDays == nil || *o.ImmutabilityPeriodDays != 30 ||
					o.ImmutabilityGovernanceMode == nil || *o.ImmutabilityGovernanceMode || o.Name != "" {
					t.Fatalf("v8 object storage %+v", o)
				}
				if fab.ObjectStorage.ImmutabilityEnabled == nil || *fab.ObjectStorage.ImmutabilityEnabled || fab.ObjectStorage.ImmutabilityPeriodDays != nil {
					t.Fatalf("v8 mutable object storage %+v", fab.ObjectStorage)
				}
			}
			// Scope: v8 only.
			if v == V8 {
				if imm.OrganizationID != vb365test.DemoOrganizationID || imm.ProxyPoolID != vb365test.DemoProxyPoolID || def.OrganizationID != "" {
					t.Fatalf("v8 scope %+v", imm)
				}
			} else if imm.OrganizationID != "" || imm.ProxyPoolID != "" {
				t.Fatalf("%s has no scope: %+v", v, imm)
			}
		})
	}
}

func sentQuery(t *testing.T, fake *vb365test.Server, route string) []url.Values {
	t.Helper()
	var out []url.Values
	for _, r := range fake.Requests() {
		if r.Route == route {
			q, err := url.ParseQuery(r.Query)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, q)
		}
	}
	return out
}

// TestBackupRepositoryFilters: each filter, on the server where the version
// has it, and on the client always, also when the server ignores the query
// (Quirks.RepositoryFiltersIgnored).
func TestBackupRepositoryFilters(t *testing.T) {
	yes, no := true, false
	for _, v := range []APIVersion{V8, V7, V6} {
		for _, ignored := range []bool{false, true} {
			name := string(v)
			if ignored {
				name += "/filters ignored"
			}
			t.Run(name, func(t *testing.T) {
				fake := repoFake(t, vb365test.Quirks{RepositoryFiltersIgnored: ignored})
				c := newTestClient(t, fake.URL, withVersion(v))
				ctx := context.Background()
				cases := []struct {
					f    BackupRepositoryFilter
					want []string
					sent url.Values
				}{
					{BackupRepositoryFilter{ProxyID: strings.ToUpper(vb365test.DemoProxyID)}, []string{"Contoso Immutable", "Branch Office"}, url.Values{"proxyId": {strings.ToUpper(vb365test.DemoProxyID)}}},
					{BackupRepositoryFilter{LongTerm: &yes}, []string{"Contoso Archive"}, url.Values{"longTerm": {"true"}}},
					{BackupRepositoryFilter{LongTerm: &no}, []string{vb365test.DefaultRepository, "Contoso Immutable", "Fabrikam Azure", "Branch Office"}, url.Values{}},
				}
				if v == V8 {
					cases = append(cases,
						struct {
							f    BackupRepositoryFilter
							want []string
							sent url.Values
						}{BackupRepositoryFilter{OrganizationID: vb365test.DemoOrganizationID}, []string{"Contoso Immutable"}, url.Values{"organizationId": {vb365test.DemoOrganizationID}}},
						struct {
							f    BackupRepositoryFilter
							want []string
							sent url.Values
						}{BackupRepositoryFilter{ProxyPoolID: vb365test.DemoProxyPoolID, LongTerm: &no}, []string{"Contoso Immutable", "Branch Office"}, url.Values{"proxyPoolId": {vb365test.DemoProxyPoolID}}},
					)
				}
				for _, tc := range cases {
					fake.ResetRequests()
					got, err := c.ListBackupRepositories(ctx, tc.f)
					if err != nil || !slices.Equal(repoNames(got), tc.want) {
						t.Fatalf("%+v: %v, %v; want %v", tc.f, repoNames(got), err, tc.want)
					}
					sent := sentQuery(t, fake, "GET /BackupRepositories")
					if len(sent) != 1 {
						t.Fatalf("%+v: %d lists", tc.f, len(sent))
					}
					for k := range sent[0] {
						if k == "offset" || k == "limit" || k == "setId" {
							continue
						}
						if !slices.Equal(sent[0][k], tc.sent[k]) {
							t.Fatalf("%+v: sent %v, want %v", tc.f, sent[0], tc.sent)
						}
					}
					for k := range tc.sent {
						if sent[0].Get(k) == "" {
							t.Fatalf("%+v: sent %v, want %v", tc.f, sent[0], tc.sent)
						}
					}
				}
				if v != V8 {
					fake.ResetRequests()
					for _, f := range []BackupRepositoryFilter{{OrganizationID: vb365test.DemoOrganizationID}, {ProxyPoolID: vb365test.DemoProxyPoolID}} {
						if _, err := c.ListBackupRepositories(ctx, f); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "v8") {
							t.Fatalf("%s %+v: %v, want ErrUnsupported", v, f, err)
						}
					}
					if n := fake.Count(""); n != 0 {
						t.Fatalf("a refused filter sent %d requests", n)
					}
				}
			})
		}
	}
}

// TestBackupRepositoryOrganizationFilterIncludesUnassigned: a v8 server
// that answers the repositories of no organization too does not widen the
// filter.
func TestBackupRepositoryOrganizationFilterIncludesUnassigned(t *testing.T) {
	fake := repoFake(t, vb365test.Quirks{RepositoryOrganizationFilterIncludesUnassigned: true})
	c := newTestClient(t, fake.URL)
	got, err := c.ListBackupRepositories(context.Background(), BackupRepositoryFilter{OrganizationID: vb365test.DemoOrganizationID})
	if err != nil || !slices.Equal(repoNames(got), []string{"Contoso Immutable"}) {
		t.Fatalf("got %v, %v", repoNames(got), err)
	}
	if n := len(fake.Repositories()); n != 5 {
		t.Fatalf("fake has %d repositories", n)
	}
}

// TestFindBackupRepositoryByName: names compare ignoring case; none is a
// *NotFoundError, several an *AmbiguousError naming each.
func TestFindBackupRepositoryByName(t *testing.T) {
	for _, v := range []APIVersion{V8, V6} {
		t.Run(string(v), func(t *testing.T) {
			fake := repoFake(t, vb365test.Quirks{})
			c := newTestClient(t, fake.URL, withVersion(v))
			ctx := context.Background()
			got, err := c.FindBackupRepositoryByName(ctx, "CONTOSO ARCHIVE")
			if err != nil || got.ID != vb365test.DemoArchiveRepositoryID || got.ObjectStorage == nil || got.ObjectStorage.Type != "AzureBlobArchive" {
				t.Fatalf("by name: %+v, %v", got, err)
			}
			var nf *NotFoundError
			if _, err := c.FindBackupRepositoryByName(ctx, "Contoso"); !errors.As(err, &nf) || nf.Kind != KindRepository || nf.Key != "name" {
				t.Fatalf("a prefix is no match: %v", err)
			}
			second := fake.AddRepository(vb365test.Repository{Name: "contoso archive", Description: "a second one"})
			_, err = c.FindBackupRepositoryByName(ctx, "Contoso Archive")
			var amb *AmbiguousError
			if !errors.As(err, &amb) || len(amb.Matches) != 2 || amb.Matches[1].ID != second.ID || amb.Kind != KindRepository {
				t.Fatalf("ambiguous: %v", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "2 backup repositories with name \"Contoso Archive\"") || !strings.Contains(msg, vb365test.DemoArchiveRepositoryID) ||
				!strings.Contains(msg, second.ID) || strings.Contains(msg, "organization") {
				t.Fatalf("message %q", msg)
			}
		})
	}
}

// TestObjectStorageRequests pins what the v6/v7 object storages cost: one
// GET for one missing, the list for more, once per client, and a GET for
// each the list leaves out.
func TestObjectStorageRequests(t *testing.T) {
	for _, v := range []APIVersion{V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			const list, get = "GET /objectstoragerepositories", "GET /objectstoragerepositories/{repositoryId}"
			fake := repoFake(t, vb365test.Quirks{})
			ctx := context.Background()

			// One repository: one GET of its object storage.
			c := newTestClient(t, fake.URL, withVersion(v))
			if _, err := c.GetBackupRepository(ctx, vb365test.DemoImmutableRepositoryID); err != nil {
				t.Fatal(err)
			}
			if l, g := fake.Count(list), fake.Count(get); l != 0 || g != 1 {
				t.Fatalf("one repository: %d lists, %d GETs; want 0, 1", l, g)
			}
			// The same one again, by name: nothing more.
			if _, err := c.FindBackupRepositoryByName(ctx, "Contoso Immutable"); err != nil {
				t.Fatal(err)
			}
			// All of them: the two others through the list, once.
			for range 3 {
				if _, err := c.ListBackupRepositories(ctx, BackupRepositoryFilter{}); err != nil {
					t.Fatal(err)
				}
			}
			if l, g := fake.Count(list), fake.Count(get); l != 1 || g != 1 {
				t.Fatalf("after three lists: %d lists, %d GETs; want 1, 1", l, g)
			}
			// A JET repository costs nothing.
			if _, err := newTestClient(t, fake.URL, withVersion(v)).GetBackupRepository(ctx, vb365test.DemoBranchRepositoryID); err != nil {
				t.Fatal(err)
			}
			if l, g := fake.Count(list), fake.Count(get); l != 1 || g != 1 {
				t.Fatalf("a JET repository: %d lists, %d GETs", l, g)
			}
			// Two repositories on one object storage: one GET.
			fake.AddRepository(vb365test.Repository{Name: "Contoso Immutable 2", ObjectStorageID: vb365test.DemoImmutableObjectStorage})
			fake.ResetRequests()
			got, err := newTestClient(t, fake.URL, withVersion(v)).ListBackupRepositories(ctx, BackupRepositoryFilter{ProxyID: vb365test.DefaultProxyID, LongTerm: ptr(false)})
			if err != nil || len(got) != 3 || got[2].ObjectStorage == nil || got[2].ObjectStorage.ID != vb365test.DemoImmutableObjectStorage {
				t.Fatalf("shared object storage: %v, %v", repoNames(got), err)
			}
			if l, g := fake.Count(list), fake.Count(get); l != 1 || g != 0 {
				t.Fatalf("two distinct: %d lists, %d GETs; want 1, 0", l, g)
			}
		})
	}
}

// TestObjectStorageListOmitsLongTerm: an object storage the list leaves out
// is read by ID, so no repository is without its object storage.
func TestObjectStorageListOmitsLongTerm(t *testing.T) {
	fake := repoFake(t, vb365test.Quirks{ObjectStorageListOmitsLongTerm: true})
	c := newTestClient(t, fake.URL, withVersion(V7))
	all, err := c.ListBackupRepositories(context.Background(), BackupRepositoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		if r.IsObjectStorage() && r.ObjectStorage == nil {
			t.Fatalf("%s without its object storage", r.Name)
		}
	}
	if arc := byName(t, all, "Contoso Archive"); arc.ObjectStorage.Type != "AzureBlobArchive" {
		t.Fatalf("archive %+v", arc.ObjectStorage)
	}
	if l, g := fake.Count("GET /objectstoragerepositories"), fake.Count("GET /objectstoragerepositories/{repositoryId}"); l != 1 || g != 1 {
		t.Fatalf("%d lists, %d GETs; want 1, 1", l, g)
	}
}

// TestObjectStorageErrors: a missing object storage is a *NotFoundError; a
// failure is not remembered; a GET that answers another object storage is
// refused.
func TestObjectStorageErrors(t *testing.T) {
	fake := repoFake(t, vb365test.Quirks{})
	ctx := context.Background()
	const get = "GET /objectstoragerepositories/{repositoryId}"

	fake.InjectFault(vb365test.Fault{Route: get, Status: http.StatusNotFound, Times: 1})
	c := newTestClient(t, fake.URL, withVersion(V7), func(cfg *Config) { cfg.MaxRetries = NoRetries })
	var nf *NotFoundError
	_, err := c.GetBackupRepository(ctx, vb365test.DemoImmutableRepositoryID)
	if !errors.As(err, &nf) || nf.Kind != KindObjectStorage || !strings.EqualFold(nf.Value, vb365test.DemoImmutableObjectStorage) {
		t.Fatalf("missing object storage: %v", err)
	}
	fake.InjectFault(vb365test.Fault{Route: get, Status: http.StatusInternalServerError, Times: 1})
	if _, err := c.GetBackupRepository(ctx, vb365test.DemoImmutableRepositoryID); !errors.Is(err, ErrServer) {
		t.Fatalf("500: %v", err)
	}
	got, err := c.GetBackupRepository(ctx, vb365test.DemoImmutableRepositoryID)
	if err != nil || got.ObjectStorage == nil {
		t.Fatalf("after the failures: %+v, %v", got, err)
	}
	if n := fake.Count(get); n != 3 {
		t.Fatalf("%d GETs, want 3 (failures are not remembered)", n)
	}

	other := `{"id":"` + vb365test.DemoArchiveObjectStorage + `","type":"AzureBlobArchive"}`
	fake.InjectFault(vb365test.Fault{Route: get, Body: &other, ContentType: "application/json"})
	_, err = newTestClient(t, fake.URL, withVersion(V6)).GetBackupRepository(ctx, vb365test.DemoImmutableRepositoryID)
	if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "object storage") {
		t.Fatalf("another object storage: %v", err)
	}
}

// TestObjectStorageSharedFlight: concurrent callers that need the same
// object storage share one GET.
func TestObjectStorageSharedFlight(t *testing.T) {
	fake := repoFake(t, vb365test.Quirks{})
	release := make(chan struct{})
	entered := make(chan struct{}, 8)
	c := newTestClient(t, fake.URL, withVersion(V7), func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Timeout: testTimeout, Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if strings.Contains(r.URL.Path, "/objectstoragerepositories/") {
				entered <- struct{}{}
				<-release
			}
			return http.DefaultTransport.RoundTrip(r)
		})}
	})
	const n = 8
	joined := make(chan struct{}, n)
	c.objectStorages.joining = func() { joined <- struct{}{} }
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	get := func() {
		defer wg.Done()
		r, err := c.GetBackupRepository(ctx, vb365test.DemoImmutableRepositoryID)
		if err == nil && r.ObjectStorage == nil {
			err = errors.New("no object storage")
		}
		errs <- err
	}
	wg.Add(1)
	go get()
	<-entered
	for range n - 1 {
		wg.Add(1)
		go get()
	}
	// Wait until every other caller has joined the flight; a second GET
	// entering the transport instead fails the test (no hang).
	for waiting := n - 1; waiting > 0; {
		select {
		case <-joined:
			waiting--
		case <-entered:
			t.Errorf("a second GET of the same object storage was sent")
			waiting = 0
		}
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if g := fake.Count("GET /objectstoragerepositories/{repositoryId}"); g != 1 {
		t.Fatalf("%d GETs, want 1", g)
	}
}

// TestBackupRepositoryBadAnswers: the paging guards hold for the v8 list;
// a v6/v7 list answered as a page, a GET that answers another repository
// and an empty answer are errors, never a result.
func TestBackupRepositoryBadAnswers(t *testing.T) {
	ctx := context.Background()
	page := func(offset int) string {
		return `{"offset":` + string(rune('0'+offset)) + `,"limit":1,"results":[{"id":"` + vb365test.DefaultRepositoryID + `","name":"a"}],"_links":{"next":{"href":"x"}}}`
	}
	for name, tc := range map[string]struct {
		v     APIVersion
		route string
		body  string
		call  func(c *Client) error
		want  string
	}{
		"v8 repeated page": {V8, "GET /BackupRepositories", page(0), func(c *Client) error {
			_, err := c.ListBackupRepositories(ctx, BackupRepositoryFilter{})
			return err
		}, "offset"},
		"v8 page without results": {V8, "GET /BackupRepositories", `{"offset":0,"limit":10000}`, func(c *Client) error {
			_, err := c.FindBackupRepositoryByName(ctx, "x")
			return err
		}, "no results"},
		"v7 answered a page": {V7, "GET /BackupRepositories", `{"offset":0,"limit":10000,"results":[]}`, func(c *Client) error {
			_, err := c.ListBackupRepositories(ctx, BackupRepositoryFilter{})
			return err
		}, "api_version"},
		"v6 empty": {V6, "GET /BackupRepositories", "", func(c *Client) error {
			_, err := c.ListBackupRepositories(ctx, BackupRepositoryFilter{})
			return err
		}, "empty"},
		"v8 another repository": {V8, "GET /BackupRepositories/{repositoryId}", `{"id":"` + vb365test.DemoBranchRepositoryID + `"}`, func(c *Client) error {
			_, err := c.GetBackupRepository(ctx, vb365test.DefaultRepositoryID)
			return err
		}, "not the"},
		"v8 proxies repeated page": {V8, "GET /Proxies", `{"offset":0,"limit":1,"results":[{"id":"p"}],"_links":{"next":{"href":"x"}}}`, func(c *Client) error {
			_, err := c.ListProxies(ctx)
			return err
		}, "offset"},
		"v7 proxies null": {V7, "GET /Proxies", "null", func(c *Client) error {
			_, err := c.ListProxies(ctx)
			return err
		}, "null"},
	} {
		t.Run(name, func(t *testing.T) {
			fake := repoFake(t, vb365test.Quirks{})
			body := tc.body
			fake.InjectFault(vb365test.Fault{Route: tc.route, Body: &body, ContentType: "application/json"})
			err := tc.call(newTestClient(t, fake.URL, withVersion(tc.v)))
			if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrBadAnswer saying %q", err, tc.want)
			}
			if n := fake.Count(tc.route); n > 3 {
				t.Fatalf("%d requests", n)
			}
		})
	}
}

// TestBackupRepositoryOutOfBandChange: a change made on the server shows in
// the next walk (a new client).
func TestBackupRepositoryOutOfBandChange(t *testing.T) {
	for _, v := range []APIVersion{V8, V7} {
		t.Run(string(v), func(t *testing.T) {
			fake := repoFake(t, vb365test.Quirks{})
			fake.UpdateRepository(vb365test.DemoImmutableRepositoryID, func(r *vb365test.Repository) { r.Encrypted, r.YearlyRetention = false, "Year1" })
			fake.UpdateObjectStorage(vb365test.DemoImmutableObjectStorage, func(o *vb365test.ObjectStorage) { o.ImmutabilityDays = 7 })
			got, err := newTestClient(t, fake.URL, withVersion(v)).GetBackupRepository(context.Background(), vb365test.DemoImmutableRepositoryID)
			if err != nil {
				t.Fatal(err)
			}
			if y, _ := got.RetentionYears(); y != 1 || got.EncryptionEnabled == nil || *got.EncryptionEnabled || got.EncryptionKeyID != "" {
				t.Fatalf("%+v", got)
			}
			if v == V8 && (got.ObjectStorage.ImmutabilityPeriodDays == nil || *got.ObjectStorage.ImmutabilityPeriodDays != 7) {
				t.Fatalf("period %+v", got.ObjectStorage)
			}
		})
	}
}

// TestListProxies reads the proxies of each version: the fields it has,
// nothing made up for those it lacks; v6 and v7 ask for the plain view.
func TestListProxies(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			fake := repoFake(t, vb365test.Quirks{})
			fake.UpdateProxy(vb365test.DemoProxyID, func(p *vb365test.Proxy) { p.Status, p.Maintenance = "Offline", "Enabled" })
			ps, err := newTestClient(t, fake.URL, withVersion(v)).ListProxies(context.Background())
			if err != nil || len(ps) != 2 {
				t.Fatalf("%+v, %v", ps, err)
			}
			def, p2 := ps[0], ps[1]
			if def.ID != vb365test.DefaultProxyID || def.HostName != vb365test.DefaultProxyHost || def.Port == nil || *def.Port != 9193 ||
				def.Status != "Online" || def.Type != "Local" || p2.Status != "Offline" || p2.Description != "Linux proxy for object storage" {
				t.Fatalf("%+v %+v", def, p2)
			}
			q := sentQuery(t, fake, "GET /Proxies")
			switch v {
			case V8:
				if p2.ProxyPoolID != vb365test.DemoProxyPoolID || p2.OperatingSystem != "Linux" || p2.MaintenanceModeState != "Enabled" ||
					p2.Version == "" || !slices.Equal(def.Roles, []string{"Orchestrator", "Scheduler", "Processor"}) || p2.FQDN == "" {
					t.Fatalf("v8 %+v %+v", def, p2)
				}
				if q[0].Has("extendedView") {
					t.Fatalf("v8 has no extendedView: %v", q)
				}
			default:
				if p2.ProxyPoolID != "" || p2.OperatingSystem != "" || p2.MaintenanceModeState != "" || p2.Version != "" || p2.Roles != nil {
					t.Fatalf("%s lacks the v8 fields: %+v", v, p2)
				}
				if (v == V7) != (p2.FQDN != "") {
					t.Fatalf("fqdn in %s: %q", v, p2.FQDN)
				}
				if q[0].Get("extendedView") != "false" {
					t.Fatalf("sent %v", q)
				}
			}
		})
	}
}

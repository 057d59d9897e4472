package vb365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

// TestProtectedDataContract reads the four v8 protected-data lists with
// each filter, through the OpenAPI validator.
func TestProtectedDataContract(t *testing.T) {
	val, err := contract.Load("v8")
	if err != nil {
		t.Fatal(err)
	}
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL, func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport), Timeout: testTimeout}
	})
	ctx := context.Background()
	org := vb365test.DemoOrganizationID

	users, err := c.ListProtectedUsers(ctx, ProtectedFilter{OrganizationID: org, PageSize: 2}) // three pages, no totalCount
	if err != nil || len(users) != 6 {
		t.Fatalf("ListProtectedUsers: %d, %v", len(users), err)
	}
	var ceo *ProtectedUser
	for i := range users {
		if users[i].DisplayName == "Chief Executive" {
			ceo = &users[i]
		}
	}
	if ceo == nil || !ceo.HasMailbox() || !ceo.HasArchive() || len(ceo.OneDrives) != 1 || ceo.AccountType != "User" || ceo.MSID == "" {
		t.Fatalf("chief executive: %+v", ceo)
	}
	if inRepo, err := c.ListProtectedUsers(ctx, ProtectedFilter{RepositoryID: vb365test.DemoSitesRepositoryID}); err != nil || len(inRepo) != 0 {
		t.Fatalf("users in the sites repository: %d, %v", len(inRepo), err)
	}
	groups, err := c.ListProtectedGroups(ctx, ProtectedFilter{OrganizationID: org, RepositoryID: vb365test.DemoRepositoryID})
	if err != nil || len(groups) != 2 || len(groups[0].Sites) != 1 || len(groups[0].Mailboxes) != 1 {
		t.Fatalf("ListProtectedGroups: %+v, %v", groups, err)
	}
	sites, err := c.ListProtectedSites(ctx, ProtectedFilter{RepositoryID: vb365test.DemoSitesRepositoryID})
	if err != nil || len(sites) != 2 {
		t.Fatalf("ListProtectedSites: %+v, %v", sites, err)
	}
	teams, err := c.ListProtectedTeams(ctx, ProtectedFilter{OrganizationID: org})
	if err != nil || len(teams) != 1 || teams[0].ID != vb365test.DemoTeamID {
		t.Fatalf("ListProtectedTeams: %+v, %v", teams, err)
	}
	// The Fabrikam organization exists and has nothing protected.
	if none, err := c.ListProtectedTeams(ctx, ProtectedFilter{OrganizationID: "0d7e2f6a-91c3-4b8e-a5d4-3c2b1a0f9e87"}); err != nil || len(none) != 0 {
		t.Fatalf("an organization with nothing protected: %v, %v", none, err)
	}
	if vs := val.Violations(); len(vs) > 0 {
		t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
	}
	for _, p := range []string{"ProtectedUsers", "ProtectedGroups", "ProtectedSites", "ProtectedTeams"} {
		if val.Routes()["GET /v8/"+p] == 0 {
			t.Errorf("GET /v8/%s was not validated: %v", p, val.Routes())
		}
	}
}

// TestProtectedDataUnknownOrganization: the fake answers an empty page for
// an organizationId no organization has; the client asks whether the
// organization exists before it says "nothing protected".
func TestProtectedDataUnknownOrganization(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	_, err := c.ListProtectedUsers(context.Background(), ProtectedFilter{OrganizationID: "11111111-2222-3333-4444-555555555555"})
	if !IsOrganizationNotFound(err) {
		t.Fatalf("err = %v, want the organization's NotFoundError", err)
	}
	if n := fake.Count("GET /Organizations/{organizationId}"); n != 1 {
		t.Errorf("organization GETs = %d, want 1", n)
	}
}

// TestProtectedDataNeedsV8: v6 and v7 have no protected-data lists; the
// error names api_version and no request is sent.
func TestProtectedDataNeedsV8(t *testing.T) {
	for _, v := range []APIVersion{V6, V7} {
		fake := vb365test.Start(t, vb365test.Options{})
		c := newTestClient(t, fake.URL, withVersion(v))
		ctx := context.Background()
		for name, call := range map[string]func() error{
			"users":  func() error { _, err := c.ListProtectedUsers(ctx, ProtectedFilter{}); return err },
			"groups": func() error { _, err := c.ListProtectedGroups(ctx, ProtectedFilter{}); return err },
			"sites":  func() error { _, err := c.ListProtectedSites(ctx, ProtectedFilter{}); return err },
			"teams":  func() error { _, err := c.ListProtectedTeams(ctx, ProtectedFilter{}); return err },
			"find":   func() error { _, err := c.FindProtectedUser(ctx, "o", ProtectedKey{MSID: "x"}); return err },
		} {
			if err := call(); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "api_version") || !strings.Contains(err.Error(), string(v)) {
				t.Errorf("%s %s: err = %v, want ErrUnsupported naming api_version and %s", v, name, err, v)
			}
		}
		if n := fake.Count(""); n != 0 {
			t.Errorf("%s: %d requests sent", v, n)
		}
	}
}

// TestFindProtectedUser joins by msid, else by a mailbox's address, with
// the protected user's id its own or the /Users id
// (Quirks.ProtectedIDsAreUserIDs): the join never depends on it. A lookup
// by msid stops reading at the page that holds it.
func TestFindProtectedUser(t *testing.T) {
	for _, same := range []bool{false, true} {
		t.Run(fmt.Sprintf("ProtectedIDsAreUserIDs=%v", same), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{ProtectedIDsAreUserIDs: same}})
			fake.SeedDemo()
			org := vb365test.DemoOrganizationID
			fake.AddUsers(org, 25)
			for _, u := range fake.Organization(org).Users[7:] {
				fake.ProtectUser(org, u.ID, vb365test.DemoRepositoryID, vb365test.ProtectOptions{})
			}
			adele := fake.Organization(org).Users[0]
			c := newTestClient(t, fake.URL)
			ctx := context.Background()

			fake.ResetRequests()
			got, err := c.FindProtectedUser(ctx, org, ProtectedKey{MSID: strings.ToUpper(adele.MSID)})
			if err != nil || got.DisplayName != "Adele Vance" || !strings.EqualFold(got.MSID, adele.MSID) {
				t.Fatalf("by msid: %+v, %v", got, err)
			}
			if same != strings.EqualFold(got.ID, adele.ID) {
				t.Errorf("id %s vs /Users id %s with ProtectedIDsAreUserIDs=%v", got.ID, adele.ID, same)
			}
			// Adele is on the first page: the other pages are not read.
			if n := fake.Count("GET /ProtectedUsers"); n != 1 {
				t.Errorf("requests by msid = %d, want 1", n)
			}
			byMail, err := c.FindProtectedUser(ctx, org, ProtectedKey{Email: "ADELEV@contoso.onmicrosoft.com"})
			if err != nil || byMail.DisplayName != "Adele Vance" {
				t.Fatalf("by e-mail: %+v, %v", byMail, err)
			}
			// An msid that matches nothing falls back to the address.
			fallback, err := c.FindProtectedUser(ctx, org, ProtectedKey{MSID: "00000000-0000-0000-0000-00000000dead", Email: adele.Name})
			if err != nil || fallback.DisplayName != "Adele Vance" {
				t.Fatalf("fallback: %+v, %v", fallback, err)
			}
			var nf *NotFoundError
			if _, err := c.FindProtectedUser(ctx, org, ProtectedKey{Email: "shared-finance@contoso.onmicrosoft.com"}); !errors.As(err, &nf) || nf.Kind != KindProtectedUser {
				t.Fatalf("the unprotected shared mailbox: %v", err)
			}
		})
	}
}

// TestFindProtectedAmbiguous: two protected users with a mailbox at the
// same address are an AmbiguousError, never the first of them.
func TestFindProtectedAmbiguous(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	org := vb365test.DemoOrganizationID
	adele := fake.Organization(org).Users[0]
	fake.ProtectUser(org, adele.ID, vb365test.DemoSitesRepositoryID, vb365test.ProtectOptions{})
	c := newTestClient(t, fake.URL)
	if _, err := c.FindProtectedUser(context.Background(), org, ProtectedKey{Email: adele.Name}); !errors.Is(err, ErrAmbiguous) {
		t.Fatalf("err = %v, want ErrAmbiguous", err)
	}
}

// TestProtectedPagingWithoutTotalCount: v8 pages carry no totalCount (and
// here no links): full pages are followed, a short one ends; a repeated
// page and a page without results stay errors.
func TestProtectedPagingWithoutTotalCount(t *testing.T) {
	item := func(n int) string {
		return fmt.Sprintf(`{"id": "p%d", "msid": "m%d", "displayName": "U%d", "mailboxes": [], "oneDrives": [], "sites": []}`, n, n, n)
	}
	page := func(offset, n int) string {
		items := make([]string, n)
		for i := range items {
			items[i] = item(offset + i)
		}
		return fmt.Sprintf(`{"offset": %d, "limit": 2, "results": [%s]}`, offset, strings.Join(items, ","))
	}
	for _, tc := range []struct {
		name  string
		serve func(offset int) string
		want  int
		err   string
	}{
		{"full pages then a short one", func(o int) string {
			if o >= 4 {
				return page(o, 1)
			}
			return page(o, 2)
		}, 5, ""},
		{"full pages then an empty one", func(o int) string {
			if o >= 4 {
				return page(o, 0)
			}
			return page(o, 2)
		}, 4, ""},
		{"the same page again", func(int) string { return page(0, 2) }, 0, "ignores offset"},
		{"the same items again", func(o int) string {
			return strings.Replace(page(0, 2), `"offset": 0`, fmt.Sprintf(`"offset": %d`, o), 1)
		}, 0, "repeats pages"},
		{"no results", func(o int) string {
			if o > 0 {
				return `{"offset": 2, "limit": 2}`
			}
			return page(o, 2)
		}, 0, "has no results"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var requests atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/token") {
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(`{"access_token": "t", "token_type": "bearer", "expires_in": 3600}`))
					return
				}
				requests.Add(1)
				o, _ := strconv.Atoi(r.URL.Query().Get("offset"))
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tc.serve(o)))
			}))
			t.Cleanup(srv.Close)
			c := newTestClient(t, srv.URL)
			got, err := c.ListProtectedUsers(context.Background(), ProtectedFilter{PageSize: 2})
			if tc.err != "" {
				if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want ErrBadAnswer with %q", err, tc.err)
				}
				return
			}
			if err != nil || len(got) != tc.want {
				t.Fatalf("got %d, %v; want %d", len(got), err, tc.want)
			}
		})
	}
}

package vb365

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

// TestLicensedUsersContract lists licensed users of every version through
// the OpenAPI validator (v6 and v7 pages with totalCount, v8 without), and
// finds one by name: the fake's name filter matches part of a name, the
// client keeps the equal one.
func TestLicensedUsersContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			val, err := contract.Load(string(v))
			if err != nil {
				t.Fatal(err)
			}
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			org := vb365test.DemoOrganizationID
			c := newTestClient(t, fake.URL, withVersion(v), func(cfg *Config) {
				cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport), Timeout: testTimeout}
			})
			ctx := context.Background()

			all, err := c.ListLicensedUsers(ctx, LicensedUserFilter{OrganizationID: org, PageSize: 4})
			if err != nil || len(all) != 6 {
				t.Fatalf("ListLicensedUsers: %d, %v", len(all), err)
			}
			for _, u := range all {
				last, ok := u.LastBackup()
				if !u.IsBackedUp || !ok || last.After(time.Now()) || u.LicenseState != "Licensed" {
					t.Errorf("%+v: last backup %v %v", u, last, ok)
				}
			}
			// "W@" matches part of two names: AlexW@ and NestorW@.
			if part, err := c.ListLicensedUsers(ctx, LicensedUserFilter{OrganizationID: org, Name: "W@"}); err != nil || len(part) != 2 {
				t.Fatalf("name filter: %+v, %v", part, err)
			}
			alex, err := c.FindLicensedUser(ctx, org, "alexw@CONTOSO.onmicrosoft.com")
			if err != nil || alex.Name != "AlexW@contoso.onmicrosoft.com" {
				t.Fatalf("FindLicensedUser: %+v, %v", alex, err)
			}
			var nf *NotFoundError
			if _, err := c.FindLicensedUser(ctx, org, "shared-finance@contoso.onmicrosoft.com"); !errors.As(err, &nf) || nf.Kind != KindLicensedUser {
				t.Fatalf("a shared mailbox holds no licence: %v", err)
			}
			if _, err := c.ListLicensedUsers(ctx, LicensedUserFilter{OrganizationID: "11111111-2222-3333-4444-555555555555"}); !IsOrganizationNotFound(err) {
				t.Fatalf("unknown organization: %v", err)
			}
			if vs := val.Violations(); len(vs) > 0 {
				t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
			}
			if val.Routes()["GET /"+string(v)+"/LicensedUsers"] == 0 {
				t.Errorf("not validated: %v", val.Routes())
			}
		})
	}
}

// TestLicensedUserNotBackedUp: a user taken out of the backup keeps its
// licence, not backed up.
func TestLicensedUserNotBackedUp(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	org := vb365test.DemoOrganizationID
	megan := fake.Organization(org).Users[2]
	if !fake.UnprotectUser(org, megan.ID) {
		t.Fatal("Megan was not protected")
	}
	c := newTestClient(t, fake.URL, withVersion(V7))
	u, err := c.FindLicensedUser(context.Background(), org, megan.Name)
	if err != nil || u.IsBackedUp {
		t.Fatalf("%+v, %v", u, err)
	}
}

// TestUserProtectionOf asks each version where it keeps a user's backup:
// v8 the protected data (by msid, else by address), v6 and v7 the licence
// (by address; an msid alone is refused naming api_version). A user in
// neither is an answer, not an error.
func TestUserProtectionOf(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	org := vb365test.DemoOrganizationID
	ceo := fake.Organization(org).Users[4]
	ctx := context.Background()
	for _, v := range []APIVersion{V8, V7, V6} {
		c := newTestClient(t, fake.URL, withVersion(v))
		got, err := c.UserProtectionOf(ctx, org, ProtectedKey{MSID: ceo.MSID, Email: ceo.Name})
		if err != nil || !got.IsBackedUp() || (v == V8) != (got.Protected != nil) || (v == V8) == (got.Licensed != nil) {
			t.Errorf("%s ceo: %+v, %v", v, got, err)
		}
		none, err := c.UserProtectionOf(ctx, org, ProtectedKey{Email: "shared-finance@contoso.onmicrosoft.com"})
		if err != nil || none.IsBackedUp() || none.Protected != nil || none.Licensed != nil {
			t.Errorf("%s shared mailbox: %+v, %v", v, none, err)
		}
		_, err = c.UserProtectionOf(ctx, org, ProtectedKey{MSID: ceo.MSID})
		if wantErr := v != V8; wantErr != (err != nil) || wantErr && (!errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "api_version")) {
			t.Errorf("%s by msid alone: %v", v, err)
		}
	}
}

package vb365

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

// TestRestorePortalSettingsAnonymous: the settings are read without a
// token, so a client that reads only them never signs in; v6 has no portal
// address; the answer is validated against each version's document.
func TestRestorePortalSettingsAnonymous(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			val, err := contract.Load(string(v))
			if err != nil {
				t.Fatal(err)
			}
			fake := vb365test.Start(t, vb365test.Options{})
			rec := &recTransport{base: val.Transport(http.DefaultTransport)}
			c := newTestClient(t, fake.URL, withVersion(v), withRecorder(rec))
			ctx := context.Background()

			fresh, err := c.GetRestorePortalSettings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if fresh.IsEnabled || fresh.ApplicationID != "00000000-0000-0000-0000-000000000000" {
				t.Errorf("fresh server: %+v", fresh)
			}
			fake.SeedDemo()
			got, err := c.GetRestorePortalSettings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !got.IsEnabled || got.ApplicationID != "5b1f3c2a-9d8e-4f7a-b6c5-d4e3f2a1b0c9" || got.AuthorityURI != "https://login.microsoftonline.com/contoso.onmicrosoft.com" {
				t.Errorf("seeded: %+v", got)
			}
			switch {
			case v == V6 && got.PortalURI != nil:
				t.Errorf("v6 has no restorePortalUri, got %q", *got.PortalURI)
			case v != V6 && (got.PortalURI == nil || *got.PortalURI != "https://vb365.contoso.local:4443"):
				t.Errorf("portal URI = %v", got.PortalURI)
			}
			if n := fake.Count("POST /token"); n != 0 {
				t.Errorf("the token endpoint was asked %d times; the route is anonymous", n)
			}
			for _, r := range rec.Requests() {
				if r.Authorization != "" {
					t.Errorf("%s %s carried an Authorization header", r.Method, r.Path)
				}
			}
			if vs := val.Violations(); len(vs) > 0 {
				t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
			}
			if val.Routes()["GET /"+string(v)+"/RestorePortalSettings"] == 0 {
				t.Errorf("the route was not validated: %v", val.Routes())
			}
		})
	}
}

// TestRestorePortalSettingsNulls: with the quirk, an unconfigured server's
// non-nullable fields come as null; the client reads them as empty.
func TestRestorePortalSettingsNulls(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{NullsInNonNullable: true}})
	c := newTestClient(t, fake.URL)
	got, err := c.GetRestorePortalSettings(context.Background())
	if err != nil || got.IsEnabled || got.ApplicationID != "" || got.AuthorityURI != "" || got.PortalURI != nil {
		t.Fatalf("%+v, %v", got, err)
	}
}

// TestRestorePortalSettingsWithoutIsEnabled: an answer that does not say
// whether the portal is on is unusable, not "off".
func TestRestorePortalSettingsWithoutIsEnabled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"applicationId": "5b1f3c2a-9d8e-4f7a-b6c5-d4e3f2a1b0c9"}`))
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL)
	if _, err := c.GetRestorePortalSettings(context.Background()); !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "isEnabled") {
		t.Fatalf("err = %v, want ErrBadAnswer naming isEnabled", err)
	}
}

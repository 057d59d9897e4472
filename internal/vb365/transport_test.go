package vb365

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func TestConnectionRefusedIsConnectionError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	c := newTestClient(t, u, func(cfg *Config) { cfg.MaxRetries = 1 })
	rec := recordSleeps(c)
	err := c.Login(context.Background())
	if !IsConnectionError(err) {
		t.Fatalf("err = %v (%T), want a connection error", err, err)
	}
	if errors.Is(err, ErrAuthentication) {
		t.Fatalf("a refused connection is not an authentication failure: %v", err)
	}
	if w := rec.Waits(); len(w) != 1 {
		t.Fatalf("waits = %v, want one retry", w)
	}
}

func TestTLSCertificates(t *testing.T) {
	fake := vb365test.StartTLS(t, vb365test.Options{})
	fake.SeedDemo()
	ctx := context.Background()

	t.Run("untrusted", func(t *testing.T) {
		c := newTestClient(t, fake.URL)
		rec := recordSleeps(c)
		err := c.Login(ctx)
		if !IsCertificateError(err) {
			t.Fatalf("err = %v (%T), want a certificate error", err, err)
		}
		if errors.Is(err, ErrAuthentication) {
			t.Fatal("a certificate error is not an authentication failure")
		}
		if w := rec.Waits(); len(w) != 0 {
			t.Fatalf("a certificate error was retried: waits %v", w)
		}
		if IsCertificateError(errors.New("x509 lookalike")) || IsCertificateError(nil) {
			t.Fatal("IsCertificateError false positive")
		}
	})
	t.Run("insecure", func(t *testing.T) {
		c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.Insecure = true })
		orgs, err := c.ListOrganizations(ctx)
		if err != nil || len(orgs) != 2 {
			t.Fatalf("ListOrganizations = %d, %v", len(orgs), err)
		}
	})
	t.Run("ca", func(t *testing.T) {
		pemText := fake.CertificatePEM()
		if !strings.HasPrefix(pemText, "-----BEGIN CERTIFICATE-----") {
			t.Fatalf("CertificatePEM = %q", pemText)
		}
		c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.CACertPEM = pemText })
		org, err := c.GetOrganization(ctx, vb365test.DemoOrganizationID)
		if err != nil || org.Name != vb365test.DemoOrganization {
			t.Fatalf("GetOrganization = %v, %v", org, err)
		}
	})
}

// elsewhere is a server that records whatever reaches it: a redirect
// target that must never see a credential.
type elsewhere struct {
	srv  *httptest.Server
	hits atomic.Int32
	auth atomic.Value // last Authorization header
	body atomic.Value // last body
}

func newElsewhere(t *testing.T) *elsewhere {
	e := &elsewhere{}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.hits.Add(1)
		b, _ := io.ReadAll(r.Body)
		e.body.Store(string(b))
		e.auth.Store(r.Header.Get("Authorization"))
		writeToken(w, "stolen", "stolen")
	}))
	t.Cleanup(e.srv.Close)
	return e
}

// A redirect on the token endpoint would carry the password form, one
// on a GET the bearer token: neither is followed.
func TestRedirectsRefused(t *testing.T) {
	for _, route := range []string{"POST /token", "GET /Organizations"} {
		t.Run(route, func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			other := newElsewhere(t)
			fake.InjectFault(vb365test.Fault{Route: route, RedirectTo: other.srv.URL + "/v8/token"})
			c := newTestClient(t, fake.URL)
			rec := recordSleeps(c)
			_, err := c.ListOrganizations(context.Background())
			var rerr *RedirectError
			if !errors.As(err, &rerr) || rerr.Status != http.StatusTemporaryRedirect || !strings.Contains(err.Error(), "set url to the final address") {
				t.Fatalf("err = %v, want a RedirectError", err)
			}
			if n := other.hits.Load(); n != 0 {
				t.Fatalf("the redirect target got %d requests (Authorization %q, body %q)", n, other.auth.Load(), other.body.Load())
			}
			if w := rec.Waits(); len(w) != 0 {
				t.Fatalf("a redirect was retried: %v", w)
			}
		})
	}
}

// https:// against a plain-HTTP server fails at once, with a hint.
func TestSchemeMismatchNotRetried(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	c := newTestClient(t, strings.Replace(fake.URL, "http://", "https://", 1))
	rec := recordSleeps(c)
	err := c.Login(context.Background())
	var te *TransportError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "plain HTTP") {
		t.Fatalf("err = %v, want a TransportError with a scheme hint", err)
	}
	if w := rec.Waits(); len(w) != 0 {
		t.Fatalf("retried %d times", len(w))
	}
	if errors.Is(err, ErrAuthentication) {
		t.Fatal("a scheme mismatch reads as refused credentials")
	}
}

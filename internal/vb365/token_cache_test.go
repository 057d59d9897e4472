package vb365

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// With a token cache, the clients of successive walks sign in once: the
// second client calls the API with the first one's token. The file holds
// the access token and its expiry only, with mode 0600.
func TestTokenCacheSharedBetweenClients(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	dir := filepath.Join(t.TempDir(), "cache")
	withCache := func(c *Config) { c.TokenCacheDir = dir }
	ctx := context.Background()
	var refreshToken string
	for i := range 3 {
		c := newTestClient(t, fake.URL, withCache)
		if _, err := c.ListOrganizations(ctx); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
		want := authStats{Logins: 1}
		if i > 0 {
			want = authStats{Cached: 1}
		}
		if got := c.authStats(); got != want {
			t.Fatalf("client %d: %+v, want %+v", i, got, want)
		}
		if i == 0 {
			refreshToken = c.auth.tok.refresh
		}
	}
	if got := fake.Count("POST /token"); got != 1 {
		t.Fatalf("%d token requests for three clients, want 1", got)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want one", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil || len(fields) != 3 || fields["access_token"] == nil || fields["expires"] == nil || fields["refresh_at"] == nil {
		t.Fatalf("the cache file holds %s, want the access token and its times only", b)
	}
	for _, secret := range []string{fake.Password(), refreshToken} {
		if secret == "" || strings.Contains(string(b), secret) {
			t.Fatalf("the cache file holds the password or the refresh token (%q): %s", secret, b)
		}
	}
	if runtime.GOOS != "windows" {
		for path, want := range map[string]os.FileMode{dir: 0o700, files[0]: 0o600} {
			if info, err := os.Stat(path); err != nil || info.Mode().Perm() != want {
				t.Fatalf("%s: mode %v (%v), want %v", path, info.Mode().Perm(), err, want)
			}
		}
	}

	// Another account on the same server has its own file.
	other := newTestClient(t, fake.URL, withCache, func(c *Config) { c.Username = "someone-else" })
	if _, err := other.ListOrganizations(ctx); err == nil {
		t.Fatal("the fake accepted an unknown user")
	}
	if got := other.authStats(); got.Cached != 0 {
		t.Fatalf("another username used the cached token: %+v", got)
	}
}

// A cached token the server refuses (a restart), an expired one, and a
// file other users can read are replaced by a password sign-in, which
// rewrites the cache.
func TestTokenCacheReplaced(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) (*vb365test.Server, func(*Config), string) {
		fake := vb365test.Start(t, vb365test.Options{})
		fake.SeedDemo()
		dir := t.TempDir()
		withCache := func(c *Config) { c.TokenCacheDir = dir }
		if _, err := newTestClient(t, fake.URL, withCache).ListOrganizations(ctx); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "vb365-token-*"))
		if len(files) != 1 {
			t.Fatalf("cache files %v", files)
		}
		return fake, withCache, files[0]
	}
	check := func(t *testing.T, fake *vb365test.Server, withCache func(*Config), file string, wantCached int64) {
		t.Helper()
		before, _ := os.ReadFile(file)
		c := newTestClient(t, fake.URL, withCache)
		if _, err := c.ListOrganizations(ctx); err != nil {
			t.Fatal(err)
		}
		if got := c.authStats(); got.Logins != 1 || got.Cached != wantCached {
			t.Fatalf("%+v, want a password login after %d cached tokens", got, wantCached)
		}
		after, _ := os.ReadFile(file)
		if string(after) == string(before) {
			t.Fatal("the sign-in did not rewrite the cache")
		}
		if info, err := os.Stat(file); err != nil || (runtime.GOOS != "windows" && info.Mode().Perm() != 0o600) {
			t.Fatalf("mode %v (%v) after the rewrite, want 0600", info.Mode().Perm(), err)
		}
	}
	t.Run("refused by the server", func(t *testing.T) {
		fake, withCache, file := setup(t)
		fake.RevokeTokens()
		check(t, fake, withCache, file, 1)
	})
	t.Run("expired", func(t *testing.T) {
		fake, withCache, file := setup(t)
		if err := os.WriteFile(file, []byte(`{"access_token":"old","expires":"2020-01-01T00:00:00Z","refresh_at":"2020-01-01T00:00:00Z"}`), 0o600); err != nil {
			t.Fatal(err)
		}
		check(t, fake, withCache, file, 0)
	})
	t.Run("open to others", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("mode bits do not show Windows ACLs")
		}
		fake, withCache, file := setup(t)
		if err := os.Chmod(file, 0o644); err != nil {
			t.Fatal(err)
		}
		check(t, fake, withCache, file, 0)
	})
	t.Run("directory writable by others", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("mode bits do not show Windows ACLs")
		}
		fake, withCache, file := setup(t)
		if err := os.Chmod(filepath.Dir(file), 0o777); err != nil {
			t.Fatal(err)
		}
		c := newTestClient(t, fake.URL, withCache)
		if _, err := c.ListOrganizations(ctx); err != nil {
			t.Fatal(err)
		}
		if got := c.authStats(); got.Logins != 1 || got.Cached != 0 {
			t.Fatalf("%+v, want a password login and the cache left alone", got)
		}
	})
}

// The cache key covers the URL, the API version and the username.
func TestTokenCacheKey(t *testing.T) {
	base := newTokenCache("d", "https://a:4443", V8, "u").path
	for _, other := range []*tokenCache{
		newTokenCache("d", "https://b:4443", V8, "u"),
		newTokenCache("d", "https://a:4443", V7, "u"),
		newTokenCache("d", "https://a:4443", V8, "v"),
	} {
		if other.path == base {
			t.Fatalf("%s is the file of another server, version or user", other.path)
		}
	}
	if strings.Contains(base, "4443") || !strings.HasPrefix(filepath.Base(base), "vb365-token-") {
		t.Fatalf("file name %s", base)
	}
}

package vb365

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// testPasswordCheckIterations keeps the tests' password key cheap (the
// default, 600,000 PBKDF2 iterations, costs seconds under -race); the
// default is pinned by TestTokenCachePasswordKeyDefault.
const testPasswordCheckIterations = 1000

// withCache keeps the client's token in dir.
func withCache(dir string) func(*Config) {
	return func(c *Config) {
		c.TokenCacheDir = dir
		c.passwordCheckIterations = testPasswordCheckIterations
	}
}

// cacheFile returns the one token file in dir.
func cacheFile(t *testing.T, dir string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "vb365-token-*"))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want one", files)
	}
	return files[0]
}

// cachedFake starts a fake with the demo data and signs a client in to it
// with its token cached in dir.
func cachedFake(t *testing.T, dir string) (*vb365test.Server, *Client) {
	t.Helper()
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL, withCache(dir))
	if _, err := c.ListOrganizations(context.Background()); err != nil {
		t.Fatal(err)
	}
	return fake, c
}

// With a token cache, the clients of successive walks sign in once: the
// second client calls the API with the first one's token. The file holds
// the token, its times, what it was issued for, and the password check
// (salt and MAC), never the password or the refresh token; mode 0600 in a
// directory of mode 0700.
func TestTokenCacheSharedBetweenClients(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	dir := filepath.Join(t.TempDir(), "cache")
	ctx := context.Background()
	var refreshToken string
	for i := range 3 {
		c := newTestClient(t, fake.URL, withCache(dir))
		if st := c.CheckTokenCache(ctx); st != (TokenCacheStatus{}) {
			t.Fatalf("client %d: %+v", i, st)
		}
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
	file := cacheFile(t, dir)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var outer map[string]json.RawMessage
	var payload map[string]any
	if err := json.Unmarshal(b, &outer); err != nil || len(outer) != 2 || outer["mac"] == nil || json.Unmarshal(outer["payload"], &payload) != nil {
		t.Fatalf("the cache file is %s, want a payload and its MAC", b)
	}
	want := map[string]any{"format": 2.0, "url": fake.URL, "api_version": "v8", "username": fake.Username(), "kdf": "pbkdf2-hmac-sha256", "iterations": float64(testPasswordCheckIterations)}
	for k, v := range want {
		if payload[k] != v {
			t.Errorf("payload %s = %v, want %v", k, payload[k], v)
		}
	}
	for _, k := range []string{"salt", "access_token", "expires", "refresh_at"} {
		if s, _ := payload[k].(string); s == "" {
			t.Errorf("payload %s missing: %s", k, b)
		}
	}
	if len(payload) != len(want)+4 {
		t.Errorf("payload has %d fields, want %d: %s", len(payload), len(want)+4, b)
	}
	for _, secret := range []string{fake.Password(), refreshToken} {
		if secret == "" || strings.Contains(string(b), secret) {
			t.Fatalf("the cache file holds the password or the refresh token (%q): %s", secret, b)
		}
	}
	if runtime.GOOS != "windows" {
		for path, want := range map[string]os.FileMode{dir: 0o700, file: 0o600} {
			if info, err := os.Stat(path); err != nil || info.Mode().Perm() != want {
				t.Fatalf("%s: mode %v (%v), want %v", path, info.Mode().Perm(), err, want)
			}
		}
	}

	// Another account on the same server has its own file.
	other := newTestClient(t, fake.URL, withCache(dir), func(c *Config) { c.Username = "someone-else" })
	if _, err := other.ListOrganizations(ctx); err == nil {
		t.Fatal("the fake accepted an unknown user")
	}
	if got := other.authStats(); got.Cached != 0 {
		t.Fatalf("another username used the cached token: %+v", got)
	}
}

// A cached token the server refuses (a restart), an expired one, and a
// file other users can read are replaced by a password sign-in, which
// rewrites the cache. Only the last is worth a warning.
func TestTokenCacheReplaced(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) (*vb365test.Server, string, string) {
		dir := t.TempDir()
		fake, _ := cachedFake(t, dir)
		return fake, dir, cacheFile(t, dir)
	}
	check := func(t *testing.T, fake *vb365test.Server, dir, file string, wantCached int64, wantIgnored string) {
		t.Helper()
		before, _ := os.ReadFile(file)
		c := newTestClient(t, fake.URL, withCache(dir))
		if st := c.CheckTokenCache(ctx); st.Unusable != "" || !strings.Contains(st.Ignored, wantIgnored) || (wantIgnored == "") != (st.Ignored == "") {
			t.Fatalf("status %+v, want Ignored to say %q", st, wantIgnored)
		}
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
		fake, dir, file := setup(t)
		fake.RevokeTokens()
		check(t, fake, dir, file, 1, "")
	})
	t.Run("expired", func(t *testing.T) {
		fake, dir, file := setup(t)
		c := newTestClient(t, fake.URL, withCache(dir))
		tc := c.auth.cache
		past := time.Now().Add(-time.Hour)
		if err := tc.store(&token{access: "old", expiry: past, refreshAt: past}); err != nil {
			t.Fatal(err)
		}
		check(t, fake, dir, file, 0, "")
	})
	t.Run("open to others", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("mode bits do not show Windows ACLs")
		}
		fake, dir, file := setup(t)
		if err := os.Chmod(file, 0o644); err != nil {
			t.Fatal(err)
		}
		check(t, fake, dir, file, 0, "open to other users (mode -rw-r--r--)")
	})
	t.Run("not a cache file", func(t *testing.T) {
		fake, dir, file := setup(t)
		if err := os.WriteFile(file, []byte("<html>"), 0o600); err != nil {
			t.Fatal(err)
		}
		check(t, fake, dir, file, 0, "is not a VB365 token cache file")
	})
}

// A token file renamed to the name of another server's (or a cache
// directory copied from a pipeline that used the same name for another
// server) is not sent: the file records the URL, API version and user it
// was issued for, and a mismatch is ignored and reported.
func TestTokenCacheBoundToServer(t *testing.T) {
	ctx := context.Background()
	serverB := vb365test.Start(t, vb365test.Options{})
	serverB.SeedDemo()
	dir := t.TempDir()
	serverA, a := cachedFake(t, dir)
	tokenA := a.auth.tok.access
	fileA := cacheFile(t, dir)
	for _, target := range []struct {
		name string
		mod  func(*Config)
	}{
		{"another server", func(*Config) {}},
		{"another API version", withVersion(V7)},
	} {
		t.Run(target.name, func(t *testing.T) {
			rt := &recTransport{}
			b := newTestClient(t, serverB.URL, withCache(dir), target.mod, withRecorder(rt))
			if target.name == "another API version" {
				b = newTestClient(t, serverA.URL, withCache(dir), target.mod, withRecorder(rt))
			}
			// The attacker's (or the careless copy's) step: A's file under B's name.
			data, err := os.ReadFile(fileA)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(b.auth.cache.path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			st := b.CheckTokenCache(ctx)
			if !strings.Contains(st.Ignored, "was issued for "+serverA.URL) || !strings.Contains(st.Ignored, "It was not sent") {
				t.Fatalf("status %+v, want the mismatch reported", st)
			}
			if _, err := b.ListOrganizations(ctx); err != nil {
				t.Fatal(err)
			}
			for _, r := range rt.Requests() {
				if strings.Contains(r.Authorization, tokenA) {
					t.Fatalf("%s %s carried the token issued for %s", r.Method, r.Path, serverA.URL)
				}
			}
			if got := b.authStats(); got.Logins != 1 || got.Cached != 0 {
				t.Fatalf("%+v, want a password sign-in", got)
			}
		})
	}
}

// The cached token is used only with the password that obtained it: a
// wrong password is refused at once by a sign-in (not when the token
// expires), and after a password change the next client signs in with the
// new password and caches its token.
func TestTokenCachePasswordChange(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fake, _ := cachedFake(t, dir)
	file := cacheFile(t, dir)
	before, _ := os.ReadFile(file)

	wrong := newTestClient(t, fake.URL, withCache(dir), func(c *Config) { c.Password = "not-the-password" })
	if st := wrong.CheckTokenCache(ctx); st != (TokenCacheStatus{}) {
		t.Fatalf("status %+v: another password is not worth a warning", st)
	}
	_, err := wrong.ListOrganizations(ctx)
	if !errors.Is(err, ErrAuthentication) {
		t.Fatalf("a wrong password with a cached token: %v, want the sign-in refused", err)
	}
	if got := wrong.authStats(); got.Cached != 0 {
		t.Fatalf("a wrong password used the cached token: %+v", got)
	}
	if after, _ := os.ReadFile(file); string(after) != string(before) {
		t.Fatal("a refused sign-in rewrote the cache")
	}

	fake.SetPassword("new-password")
	withNew := func(c *Config) { c.Password = "new-password" }
	changed := newTestClient(t, fake.URL, withCache(dir), withNew)
	if _, err := changed.ListOrganizations(ctx); err != nil {
		t.Fatal(err)
	}
	if got := changed.authStats(); got != (authStats{Logins: 1}) {
		t.Fatalf("after the password change: %+v, want a sign-in with the new password", got)
	}
	next := newTestClient(t, fake.URL, withCache(dir), withNew)
	if _, err := next.ListOrganizations(ctx); err != nil {
		t.Fatal(err)
	}
	if got := next.authStats(); got != (authStats{Cached: 1}) {
		t.Fatalf("the walk after: %+v, want the cached token", got)
	}
	// The old password no longer fits the file.
	old := newTestClient(t, fake.URL, withCache(dir))
	if _, err := old.ListOrganizations(ctx); !errors.Is(err, ErrAuthentication) {
		t.Fatalf("the old password: %v, want the sign-in refused", err)
	}
}

// A token_cache_dir the client cannot trust is not used at all, and
// CheckTokenCache says why (the provider shows it as a warning): a relative
// path, a regular file, a directory another user owns (even mode 0755) or
// others can write (sticky or not). The client then signs in with the
// password and writes nothing there.
func TestTokenCacheUnusableDirectory(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		dir  func(t *testing.T) string
		want string
	}{
		{"relative", func(t *testing.T) string {
			t.Chdir(t.TempDir())
			return "vb365-cache"
		}, `is a relative path`},
		{"a regular file", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "file")
			if err := os.WriteFile(f, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			return f
		}, "is not a directory"},
	}
	if runtime.GOOS != "windows" {
		for _, mode := range []os.FileMode{0o777, 0o770, 0o777 | os.ModeSticky} {
			cases = append(cases, struct {
				name string
				dir  func(t *testing.T) string
				want string
			}{"mode " + mode.String(), func(t *testing.T) string {
				d := filepath.Join(t.TempDir(), "shared")
				if err := os.Mkdir(d, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(d, mode); err != nil {
					t.Fatal(err)
				}
				return d
			}, "is writable by other users"})
		}
		cases = append(cases, struct {
			name string
			dir  func(t *testing.T) string
			want string
		}{"another user's, mode 0755", dirOfAnotherUser, "belongs to another user"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			dir := tc.dir(t)
			before, _ := filepath.Glob(filepath.Join(dir, "*"))
			for i := range 2 {
				c := newTestClient(t, fake.URL, withCache(dir))
				if st := c.CheckTokenCache(ctx); !strings.Contains(st.Unusable, tc.want) || st.Ignored != "" {
					t.Fatalf("client %d: status %+v, want Unusable to say %q", i, st, tc.want)
				}
				if _, err := c.ListOrganizations(ctx); err != nil {
					t.Fatal(err)
				}
				if got := c.authStats(); got != (authStats{Logins: 1}) {
					t.Fatalf("client %d: %+v, want a password sign-in and no cached token", i, got)
				}
			}
			if after, _ := filepath.Glob(filepath.Join(dir, "*")); len(after) != len(before) {
				t.Fatalf("files %v in %s, want %v: the cache was written", after, dir, before)
			}
		})
	}
}

// dirOfAnotherUser returns a directory of mode 0755 that another user owns
// and that holds this client's valid token file: as root, a directory given
// to uid 65534; otherwise the root directory, which root owns (and which
// then holds no token file).
func dirOfAnotherUser(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		return "/"
	}
	dir := filepath.Join(t.TempDir(), "theirs")
	cachedFake(t, dir)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, 65534, 65534); err != nil {
		t.Skipf("cannot give a directory to another user (uid 65534) although running as root: %v", err)
	}
	t.Cleanup(func() { _ = os.Chown(dir, 0, 0) })
	return dir
}

// The file's token is usable only through the MAC: one changed byte of
// the payload (a token swapped in by hand) makes it ignored.
func TestTokenCacheAlteredFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fake, first := cachedFake(t, dir)
	file := cacheFile(t, dir)
	b, _ := os.ReadFile(file)
	tok := first.auth.tok.access
	swapped := strings.Replace(string(b), tok, tok[:len(tok)-1]+"x", 1)
	if swapped == string(b) {
		t.Fatal("the token is not in the file")
	}
	if err := os.WriteFile(file, []byte(swapped), 0o600); err != nil {
		t.Fatal(err)
	}
	rt := &recTransport{}
	c := newTestClient(t, fake.URL, withCache(dir), withRecorder(rt))
	if _, err := c.ListOrganizations(ctx); err != nil {
		t.Fatal(err)
	}
	if got := c.authStats(); got != (authStats{Logins: 1}) {
		t.Fatalf("%+v, want the altered token ignored", got)
	}
	for _, r := range rt.Requests() {
		if strings.HasSuffix(r.Authorization, tok[:len(tok)-1]+"x") {
			t.Fatalf("%s %s carried the altered token", r.Method, r.Path)
		}
	}
}

// The cache key covers the URL, the API version and the username; the
// password key takes 600,000 PBKDF2 iterations unless a test says less.
func TestTokenCacheKey(t *testing.T) {
	base := newTokenCache("d", "https://a:4443", V8, "u", "p", 0)
	if base.iterations != DefaultPasswordCheckIterations || DefaultPasswordCheckIterations != 600_000 {
		t.Fatalf("%d iterations, want 600,000", base.iterations)
	}
	for _, other := range []*tokenCache{
		newTokenCache("d", "https://b:4443", V8, "u", "p", 0),
		newTokenCache("d", "https://a:4443", V7, "u", "p", 0),
		newTokenCache("d", "https://a:4443", V8, "v", "p", 0),
	} {
		if other.path == base.path {
			t.Fatalf("%s is the file of another server, version or user", other.path)
		}
	}
	if strings.Contains(base.path, "4443") || !strings.HasPrefix(filepath.Base(base.path), "vb365-token-") {
		t.Fatalf("file name %s", base.path)
	}
}

// A store that fails after the directory was found usable is logged as a
// warning, not at DEBUG.
func TestTokenCacheStoreFailureWarns(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	dir := t.TempDir()
	log := &recLogger{}
	c := newTestClient(t, fake.URL, withCache(dir), func(cfg *Config) { cfg.Logger = log })
	if st := c.CheckTokenCache(context.Background()); st != (TokenCacheStatus{}) {
		t.Fatal(st)
	}
	// The directory goes away between the check and the sign-in.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListOrganizations(context.Background()); err != nil {
		t.Fatal(err)
	}
	ws := log.find("VB365 token cache not written")
	if len(ws) != 1 || ws[0].level != "warn" || !strings.Contains(ws[0].fields["error"].(string), "not a directory") {
		t.Fatalf("log %+v, want one warning", log.Entries())
	}
}

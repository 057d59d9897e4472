package vb365

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// tokenCache keeps one access token on disk between the clients of
// successive Terraform walks (each a new provider process), so that a
// pipeline's apply, plan, apply, destroy signs in once instead of once per
// walk against a token endpoint that allows five sign-ins a minute. It is
// off unless Config.TokenCacheDir is set.
//
// What is stored: the access token and its expiry, nothing else (no refresh
// token, no password). Anyone who can read the file can call the API as
// this user until the token expires (60 minutes by default), so the file is
// written with mode 0600 in a directory of mode 0700, and a file or
// directory that other users can write, or (on Unix) a file another user
// owns or others can read, is ignored. A token the server refuses (401) is
// replaced by a password sign-in, as an expired one is.
//
// The file is named by a hash of the URL, API version and username, so a
// cache directory can serve several servers and accounts.
type tokenCache struct {
	dir  string
	path string
}

type cachedToken struct {
	AccessToken string    `json:"access_token"`
	Expires     time.Time `json:"expires"`
	RefreshAt   time.Time `json:"refresh_at"`
}

func newTokenCache(dir, url string, version APIVersion, username string) *tokenCache {
	sum := sha256.Sum256([]byte(url + "\n" + string(version) + "\n" + username))
	return &tokenCache{dir: dir, path: filepath.Join(dir, "vb365-token-"+hex.EncodeToString(sum[:16])+".json")}
}

// load returns the cached token when it is safe to use and still before
// its renewal time, and nil (with the reason, for the log) otherwise.
func (tc *tokenCache) load(now time.Time) (*token, string) {
	info, err := os.Lstat(tc.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "no cached token"
	}
	if err != nil {
		return nil, err.Error()
	}
	if reason := unsafeTokenFile(info); reason != "" {
		return nil, reason
	}
	if reason := unsafeTokenDir(tc.dir); reason != "" {
		return nil, reason
	}
	b, err := os.ReadFile(tc.path)
	if err != nil {
		return nil, err.Error()
	}
	var ct cachedToken
	if err := json.Unmarshal(b, &ct); err != nil || ct.AccessToken == "" {
		return nil, "the cache file does not hold a token"
	}
	if !now.Before(ct.RefreshAt) || !now.Before(ct.Expires) {
		return nil, "the cached token has expired"
	}
	return &token{access: ct.AccessToken, expiry: ct.Expires, refreshAt: ct.RefreshAt}, ""
}

// store writes t, atomically (a temporary file renamed over the old one).
func (tc *tokenCache) store(t *token) error {
	if err := os.MkdirAll(tc.dir, 0o700); err != nil {
		return err
	}
	if reason := unsafeTokenDir(tc.dir); reason != "" {
		return errors.New(reason)
	}
	b, err := json.Marshal(cachedToken{AccessToken: t.access, Expires: t.expiry, RefreshAt: t.refreshAt})
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(tc.dir, ".vb365-token-*") // mode 0600
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), tc.path); err != nil {
		_ = os.Remove(f.Name())
		return err
	}
	return nil
}

// unsafeTokenDir says why dir must not hold a token (others may write to
// it, so swap the file), or "".
func unsafeTokenDir(dir string) string {
	info, err := os.Stat(dir)
	if err != nil {
		return err.Error()
	}
	if !info.IsDir() {
		return fmt.Sprintf("the token cache %s is not a directory", dir)
	}
	if otherWritable(info) {
		return fmt.Sprintf("the token cache directory %s is writable by other users (mode %v); make it 0700", dir, info.Mode().Perm())
	}
	return ""
}

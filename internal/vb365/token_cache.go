package vb365

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tokenCache keeps one access token on disk between the clients of
// successive Terraform walks (each a new provider process), so that a
// pipeline's apply, plan, apply, destroy signs in once instead of once per
// walk against a token endpoint that allows five sign-ins a minute. It is
// off unless Config.TokenCacheDir is set.
//
// What the file holds, and why:
//   - the access token and its times (no refresh token, no password):
//     whoever reads the file can call the API as this user until the token
//     expires (60 minutes by default);
//   - the URL, API version and username it was issued for: the file's name
//     is a hash of them, but a renamed file, or a cache directory copied
//     between pipelines, must not send one server's bearer token to another
//     (a mismatch is ignored and reported);
//   - a salt, and an HMAC-SHA256 over all of the above keyed with
//     PBKDF2-HMAC-SHA256(password, salt, 600,000 iterations): a token is
//     used only by a client configured with the password that obtained it,
//     so a wrong or changed password is noticed at once (the client signs
//     in with it) instead of when the token expires, and a file made
//     without the password is not taken. The password is not stored, and
//     the derived key is not either: a reader of the file can only test
//     guesses at the cost of 600,000 HMACs each (OWASP's figure for
//     PBKDF2-SHA256), while the token it can read is worth more for an hour.
//
// What guards it: the directory must be absolute, a directory, this user's
// and not writable by others (token_cache_unix.go); otherwise the cache is
// off for the client and CheckTokenCache says why, which the provider turns
// into a warning. The file is written with mode 0600 (atomically, a
// temporary file renamed), and one that is not a regular file, is open to
// others or belongs to another user is ignored and replaced. A token the
// server refuses (401) is replaced by a password sign-in, as an expired one.
type tokenCache struct {
	dir, path string
	// binding is what the token was issued for: URL, version, user.
	url, version, username string
	password               string
	iterations             int
	// salt and key are the password's key once derived (at load, when
	// the file's MAC matched, or at the first store), reused by later
	// stores of this client.
	salt, key []byte
}

// tokenCacheFormat is the version of the file's layout; a file of another
// layout is ignored (and replaced at the next sign-in).
const tokenCacheFormat = 2

// DefaultPasswordCheckIterations is the PBKDF2 iteration count of the
// token cache's password key.
const DefaultPasswordCheckIterations = 600_000

// tokenCacheFile is the file: the payload, and the MAC over its exact bytes.
type tokenCacheFile struct {
	Payload json.RawMessage `json:"payload"`
	MAC     string          `json:"mac"`
}

type cachedToken struct {
	Format      int       `json:"format"`
	URL         string    `json:"url"`
	APIVersion  string    `json:"api_version"`
	Username    string    `json:"username"`
	KDF         string    `json:"kdf"`
	Iterations  int       `json:"iterations"`
	Salt        string    `json:"salt"`
	AccessToken string    `json:"access_token"`
	Expires     time.Time `json:"expires"`
	RefreshAt   time.Time `json:"refresh_at"`
}

const tokenCacheKDF = "pbkdf2-hmac-sha256"

func newTokenCache(dir, url string, version APIVersion, username, password string, iterations int) *tokenCache {
	if iterations <= 0 {
		iterations = DefaultPasswordCheckIterations
	}
	sum := sha256.Sum256([]byte(url + "\n" + string(version) + "\n" + username))
	return &tokenCache{
		dir: dir, path: filepath.Join(dir, "vb365-token-"+hex.EncodeToString(sum[:16])+".json"),
		url: url, version: string(version), username: username, password: password, iterations: iterations,
	}
}

// TokenCacheStatus is what CheckTokenCache found.
type TokenCacheStatus struct {
	// Unusable says why the configured cache is off for this client ("" when
	// it is used): the client signs in with the password in every walk.
	Unusable string
	// Ignored says why the cached token was not taken although the cache is
	// used: a file for another server, API version or user, one open to
	// other users, or one that is not a token cache file. It is replaced at
	// the next sign-in. "" when there was nothing worth a warning (no file,
	// an expired token, a token obtained with another password).
	Ignored string
}

// prepare checks (and creates, mode 0700) the directory; it says why it
// cannot hold a token, or "".
func (tc *tokenCache) prepare() string {
	if !filepath.IsAbs(tc.dir) {
		return fmt.Sprintf("The token cache directory %q is a relative path, which would depend on the directory Terraform runs in; write an absolute one (in HCL, e.g. pathexpand(\"~/.cache/vb365\")).", tc.dir)
	}
	if info, err := os.Stat(tc.dir); err == nil && !info.IsDir() {
		return fmt.Sprintf("The token cache directory %s is not a directory.", tc.dir)
	}
	if err := os.MkdirAll(tc.dir, 0o700); err != nil {
		return fmt.Sprintf("The token cache directory %s cannot be created: %v.", tc.dir, unwrapPathError(err))
	}
	if reason := unsafeTokenDir(tc.dir); reason != "" {
		return reason
	}
	f, err := os.CreateTemp(tc.dir, ".vb365-token-probe-*")
	if err != nil {
		return fmt.Sprintf("The token cache directory %s cannot be written: %v.", tc.dir, unwrapPathError(err))
	}
	_ = f.Close()
	_ = os.Remove(f.Name())
	return ""
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// load returns the cached token when it is safe to use, was issued for this
// URL, version and user with this password, and is before its renewal time;
// otherwise nil, with the reason for a warning (ignored) or only for the log
// (quiet).
func (tc *tokenCache) load(now time.Time) (t *token, ignored, quiet string) {
	info, err := os.Lstat(tc.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", "no cached token"
	}
	if err != nil {
		return nil, fmt.Sprintf("The cached token %s cannot be read: %v.", tc.path, unwrapPathError(err)), ""
	}
	if reason := unsafeTokenFile(info); reason != "" {
		return nil, fmt.Sprintf("The cached token %s was not used: %s.", tc.path, reason), ""
	}
	b, err := os.ReadFile(tc.path)
	if err != nil {
		return nil, fmt.Sprintf("The cached token %s cannot be read: %v.", tc.path, unwrapPathError(err)), ""
	}
	var file tokenCacheFile
	var ct cachedToken
	if json.Unmarshal(b, &file) != nil || len(file.Payload) == 0 || json.Unmarshal(file.Payload, &ct) != nil {
		return nil, fmt.Sprintf("The file %s is not a VB365 token cache file.", tc.path), ""
	}
	if ct.Format != tokenCacheFormat {
		return nil, "", fmt.Sprintf("the cache file has format %d, not %d", ct.Format, tokenCacheFormat)
	}
	if ct.URL != tc.url || ct.APIVersion != tc.version || !strings.EqualFold(ct.Username, tc.username) {
		return nil, fmt.Sprintf("The cached token %s was issued for %s (API %s) as %q, not for %s (API %s) as %q: a renamed file, or a cache directory copied from elsewhere. It was not sent.",
			tc.path, ct.URL, ct.APIVersion, ct.Username, tc.url, tc.version, tc.username), ""
	}
	if ct.AccessToken == "" {
		return nil, fmt.Sprintf("The file %s holds no token.", tc.path), ""
	}
	if !now.Before(ct.RefreshAt) || !now.Before(ct.Expires) {
		return nil, "", "the cached token has expired"
	}
	salt, err := base64.StdEncoding.DecodeString(ct.Salt)
	if ct.KDF != tokenCacheKDF || ct.Iterations != tc.iterations || err != nil || len(salt) < 16 {
		return nil, "", "the cached token was made with another password check"
	}
	key, err := tc.passwordKey(salt)
	if err != nil {
		return nil, "", err.Error()
	}
	want, err := base64.StdEncoding.DecodeString(file.MAC)
	if err != nil || !hmac.Equal(macOf(key, file.Payload), want) {
		return nil, "", "the cached token was obtained with another password (or the file was altered)"
	}
	tc.salt, tc.key = salt, key
	return &token{access: ct.AccessToken, expiry: ct.Expires, refreshAt: ct.RefreshAt}, "", ""
}

func (tc *tokenCache) passwordKey(salt []byte) ([]byte, error) {
	return pbkdf2.Key(sha256.New, tc.password, salt, tc.iterations, sha256.Size)
}

func macOf(key, payload []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(payload)
	return m.Sum(nil)
}

// store writes t with its binding and MAC, atomically (a temporary file
// renamed over the old one).
func (tc *tokenCache) store(t *token) error {
	if reason := unsafeTokenDir(tc.dir); reason != "" {
		return errors.New(reason)
	}
	if tc.key == nil {
		salt := make([]byte, 16)
		if _, err := rand.Read(salt); err != nil {
			return err
		}
		key, err := tc.passwordKey(salt)
		if err != nil {
			return err
		}
		tc.salt, tc.key = salt, key
	}
	payload, err := json.Marshal(cachedToken{
		Format: tokenCacheFormat, URL: tc.url, APIVersion: tc.version, Username: tc.username,
		KDF: tokenCacheKDF, Iterations: tc.iterations, Salt: base64.StdEncoding.EncodeToString(tc.salt),
		AccessToken: t.access, Expires: t.expiry.UTC(), RefreshAt: t.refreshAt.UTC(),
	})
	if err != nil {
		return err
	}
	// Compact: the MAC is over the payload's exact bytes, which an indenting
	// encoder would change.
	b, err := json.Marshal(tokenCacheFile{Payload: payload, MAC: base64.StdEncoding.EncodeToString(macOf(tc.key, payload))})
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(tc.dir, ".vb365-token-*") // mode 0600
	if err != nil {
		return err
	}
	_, werr := f.Write(append(b, '\n'))
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

// unsafeTokenDir says why dir must not hold a token, or "": not a
// directory, another user's (who could swap the file or read what it
// holds), or writable by others (who could swap the file, sticky bit or
// not: they could take its name before this user does).
func unsafeTokenDir(dir string) string {
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Sprintf("The token cache directory %s cannot be used: %v.", dir, unwrapPathError(err))
	}
	if !info.IsDir() {
		return fmt.Sprintf("The token cache directory %s is not a directory.", dir)
	}
	if owner, ok := otherOwner(info); ok {
		return fmt.Sprintf("The token cache directory %s belongs to another user (%s); use a directory of your own, mode 0700.", dir, owner)
	}
	if writableByOthers(info) {
		return fmt.Sprintf("The token cache directory %s is writable by other users (mode %v); make it 0700.", dir, info.Mode().Perm())
	}
	return ""
}

package vb365

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// testClock is a settable clock shared by goroutines.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock { return &testClock{t: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// (1) One login serves every later request, concurrent or not.
func TestAuthTokenReuse(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	ctx := context.Background()

	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 25; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			org, err := c.GetOrganization(ctx, vb365test.DemoOrganizationID)
			if err == nil && org.ID != vb365test.DemoOrganizationID {
				err = errors.New("wrong organization " + org.ID)
			}
			errs <- err
		}()
	}
	wg.Wait()
	for i := 0; i < 25; i++ {
		orgs, err := c.ListOrganizations(ctx)
		if err == nil && len(orgs) != 2 {
			err = errors.New("wrong organization count")
		}
		errs <- err
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.Count("POST /token"); n != 1 {
		t.Fatalf("POST /token sent %d times, want 1", n)
	}
	if s := c.authStats(); s != (authStats{Logins: 1}) {
		t.Fatalf("authStats = %+v, want 1 login", s)
	}
	if n := fake.Count("GET /Organizations/{organizationId}") + fake.Count("GET /Organizations"); n != 50 {
		t.Fatalf("%d API requests, want 50", n)
	}
}

// (2) Inside the renewal margin the client refreshes before using the token.
func TestAuthRefreshBeforeExpiry(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{}) // tokens live 1h
	fake.SeedDemo()
	rt := &recTransport{}
	c := newTestClient(t, fake.URL, withRecorder(rt))
	clk := newTestClock()
	c.auth.now = clk.Now
	ctx := context.Background()
	get := func() {
		t.Helper()
		if _, err := c.GetOrganization(ctx, vb365test.DemoOrganizationID); err != nil {
			t.Fatalf("GetOrganization: %v", err)
		}
	}

	get()
	// 58 minutes later the token is still outside the margin (min(6m, 1m)).
	clk.Advance(58 * time.Minute)
	get()
	if s := c.authStats(); s != (authStats{Logins: 1}) {
		t.Fatalf("after 58m authStats = %+v, want no refresh yet", s)
	}
	// 59m30s: inside the one-minute margin, not yet expired.
	clk.Advance(90 * time.Second)
	get()
	if s := c.authStats(); s != (authStats{Logins: 1, Refreshes: 1}) {
		t.Fatalf("authStats = %+v, want 1 login and 1 refresh", s)
	}
	want := []string{
		"POST /token 200", "GET /Organizations/{organizationId} 200",
		"GET /Organizations/{organizationId} 200",
		"POST /token 200", "GET /Organizations/{organizationId} 200",
	}
	if got := routeLog(fake); !equalStrings(got, want) {
		t.Fatalf("fake log = %v\nwant %v", got, want)
	}

	forms := rt.tokenForms()
	if len(forms) != 2 {
		t.Fatalf("%d token requests recorded", len(forms))
	}
	if forms[0].Get("grant_type") != "password" || forms[0].Get("username") != vb365test.DefaultUsername {
		t.Fatalf("first token form = %v", forms[0])
	}
	if forms[1].Get("grant_type") != "refresh_token" || forms[1].Get("refresh_token") == "" || forms[1].Has("password") || forms[1].Has("username") {
		t.Fatalf("second token form = %v, want a refresh_token grant without credentials", forms[1])
	}
	// The refreshed access token is the one used afterwards.
	var auths []string
	for _, r := range rt.Requests() {
		if r.Method == http.MethodGet {
			auths = append(auths, r.Authorization)
		}
	}
	if len(auths) != 3 || auths[0] != auths[1] || auths[1] == auths[2] {
		t.Fatalf("Authorization headers %q: want the same token twice, then a new one", auths)
	}

	// The fake's refresh tokens are single use: a second refresh works only
	// if the client kept the rotated refresh token.
	clk.Advance(59*time.Minute + 30*time.Second)
	get()
	if s := c.authStats(); s != (authStats{Logins: 1, Refreshes: 2}) {
		t.Fatalf("authStats = %+v, want 1 login and 2 refreshes", s)
	}
	forms = rt.tokenForms()
	if len(forms) != 3 || forms[2].Get("grant_type") != "refresh_token" || forms[2].Get("refresh_token") == forms[1].Get("refresh_token") {
		t.Fatalf("third token form = %v, want the rotated refresh token", forms[len(forms)-1])
	}
}

// (3) A 401 (the server expired the token early) costs one refresh and the
// request succeeds.
func TestAuthRetryAfter401(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	rt := &recTransport{}
	c := newTestClient(t, fake.URL, withRecorder(rt))
	ctx := context.Background()
	if _, err := c.ListOrganizations(ctx); err != nil {
		t.Fatal(err)
	}
	fake.ExpireTokens()
	orgs, err := c.ListOrganizations(ctx)
	if err != nil {
		t.Fatalf("ListOrganizations after ExpireTokens: %v", err)
	}
	if len(orgs) != 2 {
		t.Fatalf("got %d organizations", len(orgs))
	}
	if s := c.authStats(); s != (authStats{Logins: 1, Refreshes: 1}) {
		t.Fatalf("authStats = %+v, want 1 login and 1 refresh", s)
	}
	want := []string{"POST /token 200", "GET /Organizations 200", "GET /Organizations 401", "POST /token 200", "GET /Organizations 200"}
	if got := routeLog(fake); !equalStrings(got, want) {
		t.Fatalf("fake log = %v\nwant %v", got, want)
	}
	if forms := rt.tokenForms(); len(forms) != 2 || forms[1].Get("grant_type") != "refresh_token" {
		t.Fatalf("token forms = %v", forms)
	}
}

// Many requests hitting 401 together still cause one refresh.
func TestAuthConcurrent401OneRefresh(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	if err := c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	fake.ExpireTokens()
	var wg sync.WaitGroup
	var failed atomic.Int32
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.GetOrganization(ctx, vb365test.DemoOrganizationID); err != nil {
				t.Error(err)
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	if failed.Load() > 0 {
		t.FailNow()
	}
	if s := c.authStats(); s != (authStats{Logins: 1, Refreshes: 1}) {
		t.Fatalf("authStats = %+v, want 1 login and 1 refresh", s)
	}
	if n := fake.Count("POST /token"); n != 2 {
		t.Fatalf("POST /token sent %d times, want 2", n)
	}
}

// A server that keeps answering 401 is re-authenticated once, not forever.
func TestAuthPersistent401(t *testing.T) {
	var tokens, gets atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v8/token" {
			tokens.Add(1)
			writeToken(w, "access", "refresh")
			return
		}
		if gets.Add(1) > 10 {
			// Bound a looping client so the test fails instead of hanging.
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"message":"Authorization has been denied for this request."}`)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	_, err := c.ListOrganizations(context.Background())
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if gets.Load() != 2 || tokens.Load() != 2 {
		t.Fatalf("%d GETs and %d token requests, want 2 and 2", gets.Load(), tokens.Load())
	}
}

// (4) When the refresh token is refused, the client logs in with the password.
func TestAuthRefreshFailsFallsBackToPassword(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	rt := &recTransport{}
	c := newTestClient(t, fake.URL, withRecorder(rt))
	ctx := context.Background()
	if _, err := c.GetOrganization(ctx, vb365test.DemoOrganizationID); err != nil {
		t.Fatal(err)
	}
	fake.RevokeTokens()
	if _, err := c.GetOrganization(ctx, vb365test.DemoOrganizationID); err != nil {
		t.Fatalf("GetOrganization after RevokeTokens: %v", err)
	}
	if s := c.authStats(); s != (authStats{Logins: 2}) {
		t.Fatalf("authStats = %+v, want 2 logins and no successful refresh", s)
	}
	want := []string{
		"POST /token 200", "GET /Organizations/{organizationId} 200",
		"GET /Organizations/{organizationId} 401",
		"POST /token 400", "POST /token 200",
		"GET /Organizations/{organizationId} 200",
	}
	if got := routeLog(fake); !equalStrings(got, want) {
		t.Fatalf("fake log = %v\nwant %v", got, want)
	}
	forms := rt.tokenForms()
	if len(forms) != 3 || forms[1].Get("grant_type") != "refresh_token" || forms[2].Get("grant_type") != "password" {
		t.Fatalf("token forms = %v", forms)
	}
}

// Refresh by clock when the refresh token has expired on the server.
func TestAuthExpiredRefreshTokenFallsBack(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{TokenLifetime: time.Hour, RefreshTokenLifetime: 2 * time.Hour})
	fake.SeedDemo()
	srvClk, cliClk := newTestClock(), newTestClock()
	fake.SetClock(srvClk.Now)
	c := newTestClient(t, fake.URL)
	c.auth.now = cliClk.Now
	ctx := context.Background()
	if err := c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	srvClk.Advance(3 * time.Hour)
	cliClk.Advance(3 * time.Hour)
	if _, err := c.ListOrganizations(ctx); err != nil {
		t.Fatal(err)
	}
	if s := c.authStats(); s != (authStats{Logins: 2}) {
		t.Fatalf("authStats = %+v, want 2 logins", s)
	}
	want := []string{"POST /token 200", "POST /token 400", "POST /token 200", "GET /Organizations 200"}
	if got := routeLog(fake); !equalStrings(got, want) {
		t.Fatalf("fake log = %v\nwant %v", got, want)
	}
}

// (5) Wrong credentials.
func TestAuthWrongPassword(t *testing.T) {
	const wrong = "Wr0ng-Pa55word-31337"
	fake := vb365test.Start(t, vb365test.Options{})
	log := &recLogger{}
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.Password = wrong; cfg.Logger = log })
	rec := recordSleeps(c)

	_, err := c.ListOrganizations(context.Background())
	if err == nil {
		t.Fatal("no error with a wrong password")
	}
	if !errors.Is(err, ErrAuthentication) {
		t.Fatalf("err = %v, want ErrAuthentication", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err %v does not wrap an APIError", err)
	}
	if apiErr.StatusCode != 400 || apiErr.ErrorCode != "invalid_grant" || apiErr.Message != "The user name or password is incorrect." || apiErr.Path != "/v8/token" {
		t.Fatalf("apiErr = %+v", apiErr)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Fatalf("error text leaks the password: %q", err)
	}
	if !strings.Contains(err.Error(), "invalid_grant") || !strings.Contains(err.Error(), "authentication failed") {
		t.Fatalf("err = %q", err)
	}
	for _, e := range log.Entries() {
		for k, v := range e.fields {
			if s, _ := v.(string); strings.Contains(s, wrong) {
				t.Fatalf("log %q field %s leaks the password", e.msg, k)
			}
		}
	}
	// Bad credentials are not retried, and nothing else was sent.
	if w := rec.Waits(); len(w) != 0 {
		t.Fatalf("a 400 was retried: %v", w)
	}
	want := []string{"POST /token 400"}
	if got := routeLog(fake); !equalStrings(got, want) {
		t.Fatalf("fake log = %v, want %v", got, want)
	}
	if s := c.authStats(); s != (authStats{}) {
		t.Fatalf("authStats = %+v, want zero", s)
	}
}

func TestAuthTokenWithoutAccessToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"token_type":"bearer","expires_in":3600}`)
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	// Not "authentication failed": nothing refused the credentials.
	if err := c.Login(context.Background()); !errors.Is(err, ErrBadAnswer) || errors.Is(err, ErrAuthentication) || !strings.Contains(err.Error(), "without an access_token") {
		t.Fatalf("err = %v", err)
	}
}

// (6) The token form per version.
func TestAuthTokenFormPerVersion(t *testing.T) {
	type seen struct {
		path, contentType string
		form              url.Values
	}
	for _, tt := range []struct {
		v               APIVersion
		wantAntiforgery bool
	}{{V6, false}, {V7, true}, {V8, true}} {
		t.Run(string(tt.v), func(t *testing.T) {
			var mu sync.Mutex
			var got []seen
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ct := r.Header.Get("Content-Type")
				if err := r.ParseForm(); err != nil {
					t.Errorf("ParseForm: %v", err)
				}
				mu.Lock()
				got = append(got, seen{r.URL.Path, ct, r.PostForm})
				mu.Unlock()
				writeToken(w, "access", "refresh")
			}))
			defer srv.Close()
			c := newTestClient(t, srv.URL, withVersion(tt.v), func(cfg *Config) { cfg.Password = "p&ss=word +x" })
			if err := c.Login(context.Background()); err != nil {
				t.Fatal(err)
			}
			// Force a refresh to see that form too.
			c.auth.invalidate("access")
			if err := c.Login(context.Background()); err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 {
				t.Fatalf("%d token requests", len(got))
			}
			login, refresh := got[0], got[1]
			if login.path != "/"+string(tt.v)+"/token" {
				t.Errorf("path = %q", login.path)
			}
			for _, s := range got {
				if s.contentType != "application/x-www-form-urlencoded" {
					t.Errorf("Content-Type = %q", s.contentType)
				}
				v, has := s.form["disable_antiforgery_token"]
				if tt.wantAntiforgery && (!has || len(v) != 1 || v[0] != "true") {
					t.Errorf("%s: disable_antiforgery_token = %v, want true", s.form.Get("grant_type"), v)
				}
				if !tt.wantAntiforgery && has {
					t.Errorf("%s: v6 sent disable_antiforgery_token=%v", s.form.Get("grant_type"), v)
				}
			}
			if login.form.Get("grant_type") != "password" || login.form.Get("username") != vb365test.DefaultUsername || login.form.Get("password") != "p&ss=word +x" {
				t.Errorf("login form = %v", login.form)
			}
			wantKeys := 3
			if tt.wantAntiforgery {
				wantKeys = 4
			}
			if len(login.form) != wantKeys {
				t.Errorf("login form has %d keys, want %d: %v", len(login.form), wantKeys, login.form)
			}
			if refresh.form.Get("grant_type") != "refresh_token" || refresh.form.Get("refresh_token") != "refresh" {
				t.Errorf("refresh form = %v", refresh.form)
			}
			if s := c.authStats(); s != (authStats{Logins: 1, Refreshes: 1}) {
				t.Errorf("authStats = %+v", s)
			}
		})
	}
}

// A strict v7/v8 server refuses refresh grants without
// disable_antiforgery_token: the client's refreshes still succeed.
func TestAuthStrictAntiforgeryRefresh(t *testing.T) {
	for _, v := range []APIVersion{V7, V8} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{StrictAntiforgery: true}})
			fake.SeedDemo()
			c := newTestClient(t, fake.URL, withVersion(v))
			ctx := context.Background()
			if _, err := c.ListOrganizations(ctx); err != nil {
				t.Fatal(err)
			}
			fake.ExpireTokens()
			if _, err := c.ListOrganizations(ctx); err != nil {
				t.Fatal(err)
			}
			if s := c.authStats(); s != (authStats{Logins: 1, Refreshes: 1}) {
				t.Fatalf("authStats = %+v, want the refresh accepted", s)
			}
		})
	}
}

// (7) A throttled token endpoint is retried after Retry-After.
func TestAuthTokenThrottledRetryAfter(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v8/token" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, "API calls quota exceeded! maximum admitted 1 per Second.")
			return
		}
		writeToken(w, "access", "refresh")
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	rec := recordSleeps(c) // the wait is recorded, not slept
	if err := c.Login(context.Background()); err != nil {
		t.Fatalf("Login: %v", err)
	}
	if w := rec.Waits(); len(w) != 1 || w[0] != time.Second {
		t.Fatalf("waits = %v, want [1s]", w)
	}
	if calls.Load() != 2 {
		t.Fatalf("%d token requests, want 2", calls.Load())
	}
	if s := c.authStats(); s != (authStats{Logins: 1}) {
		t.Fatalf("authStats = %+v", s)
	}
}

// The fake's throttle (1/s, 5/min) with its clock moved by the client's
// waits: a second client logging in at once waits one second.
func TestAuthTokenThrottleQuirk(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{ThrottleToken: true}})
	fake.SeedDemo()
	clk := newTestClock()
	fake.SetClock(clk.Now)
	ctx := context.Background()

	c1 := newTestClient(t, fake.URL)
	if err := c1.Login(ctx); err != nil {
		t.Fatal(err)
	}
	c2 := newTestClient(t, fake.URL)
	rec := recordSleeps(c2)
	rec.hook = clk.Advance
	if _, err := c2.ListOrganizations(ctx); err != nil {
		t.Fatalf("ListOrganizations: %v", err)
	}
	if w := rec.Waits(); len(w) != 1 || w[0] != time.Second {
		t.Fatalf("waits = %v, want [1s]", w)
	}
	want := []string{"POST /token 200", "POST /token 429", "POST /token 200", "GET /Organizations 200"}
	if got := routeLog(fake); !equalStrings(got, want) {
		t.Fatalf("fake log = %v\nwant %v", got, want)
	}
}

// (8) A fresh client hit by 20 goroutines at once logs in once.
func TestAuthConcurrentFirstUse(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	start := make(chan struct{})
	var wg sync.WaitGroup
	var failed atomic.Int32
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			var err error
			if i%2 == 0 {
				_, err = c.GetOrganization(ctx, vb365test.DemoOrganizationID)
			} else {
				_, err = c.ListOrganizations(ctx)
			}
			if err != nil {
				t.Error(err)
				failed.Add(1)
			}
		}(i)
	}
	close(start)
	wg.Wait()
	if failed.Load() > 0 {
		t.FailNow()
	}
	if n := fake.Count("POST /token"); n != 1 {
		t.Fatalf("POST /token sent %d times, want 1", n)
	}
	if s := c.authStats(); s != (authStats{Logins: 1}) {
		t.Fatalf("authStats = %+v", s)
	}
}

// A caller waiting for another's login gives up when its context ends.
// The first login is held at the server until the test ends, so a second
// caller that ignored its cancellation would wait for the whole test (and
// hit go test's timeout); nothing depends on how long anything takes.
func TestAuthWaitForLoginHonoursContext(t *testing.T) {
	arrived := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived) // one token request only: a second would panic
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		writeToken(w, "access", "refresh")
	}))
	defer srv.Close()
	defer close(release)
	c := newTestClient(t, srv.URL)
	go func() { _ = c.Login(context.Background()) }()
	<-arrived // the first login holds the login lock
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Login(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Login(ctx2) }()
	cancel2()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// A refused sign-in is asked once per client: the 20 calls after it fail
// with the same LoginError without another token request (the real endpoint
// locks accounts and allows 5 requests a minute).
func TestAuthRefusedLoginAskedOnce(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.Password = "wrong" })
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 21)
	for range 21 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.ListOrganizations(ctx)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		var login *LoginError
		if !errors.As(err, &login) || !errors.Is(err, ErrAuthentication) {
			t.Fatalf("err = %v, want a LoginError wrapping ErrAuthentication", err)
		}
		if login.URL != fake.URL {
			t.Errorf("LoginError.URL = %q, want %q", login.URL, fake.URL)
		}
	}
	if n := fake.Count("POST /token"); n != 1 {
		t.Fatalf("POST /token sent %d times, want 1", n)
	}
}

// A sign-in its caller gave up on while the token request was in flight is
// not remembered as failed: the next caller signs in.
func TestAuthCancelledLoginNotRemembered(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select { // the first sign-in hangs until its caller gives up
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		writeToken(w, "access", "refresh")
	}))
	defer srv.Close()
	defer close(release)
	c := newTestClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := c.Login(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if err := c.Login(context.Background()); err != nil {
		t.Fatalf("the sign-in after a cancelled one: %v", err)
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("%d token requests, want 2", n)
	}
}

func FuzzTokenResponse(f *testing.F) {
	f.Add(200, `{"access_token":"a-token","refresh_token":"r","expires_in":3600}`)
	f.Add(200, `{"token_type":"bearer"}`)
	f.Add(400, `{"error":"invalid_grant"}`)
	f.Add(200, `{"access_token":"a","expires_in":-5}`)
	f.Add(404, `<html>not here</html>`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 200 || status > 599 {
			return
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		}))
		defer srv.Close()
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = -1; cfg.RateLimitWait = -1 })
		err := c.Login(context.Background())
		if err == nil && (status >= 300 || c.auth.tok == nil || c.auth.tok.access == "") {
			t.Fatalf("Login succeeded on HTTP %d %q", status, body)
		}
		if err != nil && strings.Contains(err.Error(), vb365test.DefaultPassword) {
			t.Fatalf("the error shows the password: %v", err)
		}
	})
}

// Only an OAuth refusal is "authentication failed"; a wrong path or
// version, or a plain-HTTP server, say what they are.
func TestTokenErrorsSayWhatIsWrong(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()

	c := newTestClient(t, fake.URL+"/wrong-prefix")
	err := c.Login(context.Background())
	if errors.Is(err, ErrAuthentication) || !strings.Contains(err.Error(), "no token endpoint") || !strings.Contains(err.Error(), "api_version") {
		t.Fatalf("404 on /token: %v", err)
	}

	fake.InjectFault(vb365test.Fault{Route: "POST /token", Status: 400, Body: ptr("Client sent an HTTP request to an HTTPS server."), ContentType: "text/plain"})
	err = newTestClient(t, fake.URL).Login(context.Background())
	if errors.Is(err, ErrAuthentication) || !strings.Contains(err.Error(), "https://") {
		t.Fatalf("HTTP to HTTPS: %v", err)
	}
}

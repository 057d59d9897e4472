package vb365

// Tests of how the client behaves when a server, or a proxy in front of
// it, misbehaves: each pins one numbered item of the hardening review.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func ptr[T any](v T) *T { return &v }

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

// (4) A redirect on the token endpoint would carry the password form, one
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

// (5) A server that echoes the request in its error message: no secret of
// the request (nor the provider password) reaches the error or the logs.
func TestServerEchoedSecretsMasked(t *testing.T) {
	const smtpPassword = "smtp-Secret-4711"
	const requestID = "oauth-request-id-0815"
	fake := vb365test.Start(t, vb365test.Options{})
	fake.InjectFault(vb365test.Fault{Route: "PUT /AuditEmailSettings", EchoRequest: true})
	log := &recLogger{}
	c := newTestClient(t, fake.URL, withVersion(V8), func(cfg *Config) { cfg.Logger = log })
	err := c.UpdateAuditEmailSettings(context.Background(), EmailSettingsUpdate{
		EnableNotification: ptr(true), SMTPServer: ptr("smtp.contoso.com"), Port: ptr(587), UseAuthentication: ptr(true),
		Username: ptr("alerts"), UserPassword: ptr(smtpPassword), From: ptr("a@contoso.com"), To: []string{"b@contoso.com"},
		Subject: ptr("s"), AuthenticationType: ptr("CustomSmtp"), RequestID: ptr(requestID),
	})
	if err == nil || !strings.Contains(err.Error(), "The request is invalid") {
		t.Fatalf("err = %v, want the echoed 400", err)
	}
	// The echo went through: the masking is what hides it.
	if !strings.Contains(err.Error(), Redacted) {
		t.Fatalf("err = %q: the echoed body lost its masks", err)
	}
	// A later request's failure that echoes the provider password.
	fake.ClearFaults()
	fake.InjectFault(vb365test.Fault{Route: "GET /AuditEmailSettings", Status: 500, Body: ptr(`{"message":"login ` + vb365test.DefaultPassword + ` failed, old password ` + smtpPassword + `"}`)})
	_, err2 := c.GetAuditEmailSettings(context.Background())
	for _, e := range []error{err, err2} {
		for _, secret := range []string{smtpPassword, requestID, vb365test.DefaultPassword} {
			if strings.Contains(e.Error(), secret) {
				t.Fatalf("error text leaks %q: %s", secret, e)
			}
		}
	}
	for _, e := range log.Entries() {
		text := fmt.Sprint(e.msg, e.fields)
		for _, secret := range []string{smtpPassword, requestID, vb365test.DefaultPassword} {
			if strings.Contains(text, secret) {
				t.Fatalf("log %q leaks %q: %s", e.msg, secret, text)
			}
		}
	}
}

// (6) A password written into url is refused, and never printed.
func TestURLUserinfoRefused(t *testing.T) {
	for _, raw := range []string{"http://admin:s3cr3t-pw@vb365.example:4443", "https://admin@vb365.example", "admin:s3cr3t-pw@vb365.example:4443"} {
		_, err := New(Config{URL: raw, Username: "u", Password: "p"})
		var cerr *ConfigError
		if !errors.As(err, &cerr) || cerr.Field != "url" || !strings.Contains(err.Error(), "user name or password") {
			t.Fatalf("New(%q) = %v, want a ConfigError for url", raw, err)
		}
		if strings.Contains(err.Error(), "s3cr3t-pw") {
			t.Fatalf("the error prints the password: %v", err)
		}
	}
}

// (8) While the server sends Retry-After, the client waits for the time
// budget, not for max_retries attempts.
func TestRateLimitWaitIndependentOfMaxRetries(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	rec := recordSleeps(c)
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusTooManyRequests, RetryAfter: "1", Times: 30})
	if _, err := c.ListOrganizations(context.Background()); err != nil {
		t.Fatalf("ListOrganizations after 30 throttled answers: %v", err)
	}
	if w := rec.Waits(); len(w) != 30 {
		t.Fatalf("%d waits, want 30", len(w))
	}
	// Without Retry-After the attempts count: 1 + MaxRetries.
	fake.ClearFaults()
	fake.ResetRequests()
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusTooManyRequests})
	if _, err := c.ListOrganizations(context.Background()); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	if n := fake.Count("GET /Organizations"); n != 3 {
		t.Fatalf("sent %d times, want 3", n)
	}
	// Retry-After: 0 forever does not spin: each wait counts for at least
	// RetryWaitMin against the budget.
	fake.ClearFaults()
	fake.ResetRequests()
	c2 := newTestClient(t, fake.URL, func(cfg *Config) { cfg.RateLimitWait = 10 * time.Millisecond })
	recordSleeps(c2)
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: http.StatusTooManyRequests, RetryAfter: "0"})
	if _, err := c2.ListOrganizations(context.Background()); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	if n := fake.Count("GET /Organizations"); n != 11 {
		t.Fatalf("sent %d times, want 11 (10ms budget of 1ms waits)", n)
	}
}

// (9) https:// against a plain-HTTP server fails at once, with a hint.
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

// rawPages answers every users page with the given function.
func rawPages(t *testing.T, page func(r *http.Request, n int) string) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v8/token" {
			writeToken(w, "access-token-1", "refresh-token-1")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, page(r, int(n.Add(1))))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// (10) A server or proxy that ignores offset and always links a next page.
func TestPagingStopsOnRepeatedPages(t *testing.T) {
	for name, body := range map[string]func(*http.Request, int) string{
		"offset echoed": func(*http.Request, int) string {
			return `{"offset":0,"limit":2,"results":[{"id":"u1"},{"id":"u2"}],"_links":{"next":{"href":"x"}}}`
		},
		"no offset echoed": func(*http.Request, int) string {
			return `{"limit":2,"results":[{"id":"u1"},{"id":"u2"}],"_links":{"next":{"href":"x"}}}`
		},
		"more than totalCount": func(r *http.Request, n int) string {
			return fmt.Sprintf(`{"limit":2,"totalCount":3,"results":[{"id":"u%d"},{"id":"v%d"}],"_links":{"next":{"href":"x"}}}`, n, n)
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv, n := rawPages(t, body)
			c := newTestClient(t, srv.URL)
			users, err := c.ListUsers(context.Background(), "org", UserFilter{PageSize: 2})
			if !errors.Is(err, ErrBadAnswer) {
				t.Fatalf("err = %v (%d users), want ErrBadAnswer", err, len(users))
			}
			if got := n.Load(); got > 3 {
				t.Fatalf("%d requests, want at most 3", got)
			}
		})
	}
}

// (11) A 200 that holds no JSON, or a page without results, is an error
// naming the request, never an empty list.
func TestEmptyAnswersAreErrors(t *testing.T) {
	for name, body := range map[string]string{
		"empty":        "",
		"whitespace":   " \n\t",
		"null":         "null",
		"results null": `{"offset":0,"limit":10000,"results":null}`,
		"no results":   `{"offset":0,"limit":10000}`,
		"html":         "<html><body>Sign in to the proxy</body></html>",
	} {
		t.Run(name, func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			fake.InjectFault(vb365test.Fault{Route: "GET /Organizations/{organizationId}/Users", Body: ptr(body), ContentType: "application/json"})
			fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Body: ptr(body)})
			c := newTestClient(t, fake.URL)
			users, err := c.ListUsers(context.Background(), auditOrg, UserFilter{})
			if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "/v8/Organizations/"+auditOrg+"/Users") {
				t.Fatalf("ListUsers = %d users, %v; want ErrBadAnswer naming the request", len(users), err)
			}
			orgs, err := c.ListOrganizations(context.Background())
			if !errors.Is(err, ErrBadAnswer) {
				t.Fatalf("ListOrganizations = %d, %v; want ErrBadAnswer", len(orgs), err)
			}
		})
	}
	// An object endpoint with no other check: an empty 200 is not a set
	// of empty settings.
	for _, body := range []string{"", " \r\n", "null"} {
		fake := vb365test.Start(t, vb365test.Options{})
		fake.InjectFault(vb365test.Fault{Route: "GET /AuditEmailSettings", Body: ptr(body), ContentType: "application/json"})
		got, err := newTestClient(t, fake.URL).GetAuditEmailSettings(context.Background())
		if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "GET /v8/AuditEmailSettings") {
			t.Fatalf("GetAuditEmailSettings(%q) = %+v, %v; want ErrBadAnswer", body, got, err)
		}
	}
}

// (11) A looked-up principal must be the one asked for.
func TestGetPrincipalChecksID(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	u := demoUser(t, fake, "ceo@contoso.onmicrosoft.com")
	other := demoUser(t, fake, "AlexW@contoso.onmicrosoft.com")
	c := newTestClient(t, fake.URL)
	for name, body := range map[string]string{
		"empty object": `{}`,
		"another user": `{"id":"` + other.ID + `","name":"AlexW@contoso.onmicrosoft.com"}`,
		"empty body":   ``,
	} {
		fake.ClearFaults()
		fake.InjectFault(vb365test.Fault{Route: "GET /Organizations/{organizationId}/Users/{userId}", Body: ptr(body)})
		if got, err := c.GetUser(context.Background(), auditOrg, u.ID); !errors.Is(err, ErrBadAnswer) {
			t.Fatalf("%s: GetUser = %+v, %v; want ErrBadAnswer", name, got, err)
		}
	}
	fake.ClearFaults()
	// The same ID in other case is the same user.
	if got, err := c.GetUser(context.Background(), auditOrg, strings.ToUpper(u.ID)); err != nil && !errors.Is(err, ErrNotFound) {
		t.Fatalf("GetUser upper case: %+v, %v", got, err)
	}
}

// (12) Bodies are capped.
func TestBodiesCapped(t *testing.T) {
	big := `{"offset":0,"limit":10000,"results":[` + strings.Repeat(`{"id":"x"},`, 200000) + `{"id":"y"}]}`
	srv, _ := rawPages(t, func(*http.Request, int) string { return big })
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxResponseBytes = 1 << 20 })
	_, err := c.ListUsers(context.Background(), "org", UserFilter{})
	if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "larger than the client's limit of 1 MiB") {
		t.Fatalf("err = %v", err)
	}
	// An error body is capped at 1 MiB, whatever the success cap.
	huge := strings.Repeat("x", 3<<20)
	fake := vb365test.Start(t, vb365test.Options{})
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Status: 400, Body: &huge})
	c2 := newTestClient(t, fake.URL)
	if _, err := c2.ListOrganizations(context.Background()); !errors.Is(err, ErrBadAnswer) {
		t.Fatalf("err = %v, want ErrBadAnswer for a 3 MiB error body", err)
	}
}

// (15) Only an OAuth refusal is "authentication failed"; a wrong path or
// version, an HTML page, a bare array say what they are.
func TestTokenAndAnswerErrorsSayWhatIsWrong(t *testing.T) {
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
	fake.ClearFaults()

	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Body: ptr("<html><title>Proxy login</title></html>"), ContentType: "text/html"})
	_, err = newTestClient(t, fake.URL).ListOrganizations(context.Background())
	if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "text/html") || !strings.Contains(err.Error(), "Proxy login") {
		t.Fatalf("HTML: %v", err)
	}
	fake.ClearFaults()

	// A v7 server answers a bare array where v8 pages.
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Body: ptr(`[{"id":"x"}]`), ContentType: "application/json"})
	_, err = newTestClient(t, fake.URL).ListOrganizations(context.Background())
	if !errors.Is(err, ErrBadAnswer) || !strings.Contains(err.Error(), "api_version") {
		t.Fatalf("bare array: %v", err)
	}
}

// (7) Adding and removing audit items survive 5xx answers and answers lost
// after the server processed the write: no duplicate, no lost item, also
// where a duplicate add is a 400.
func TestAuditWritesSafeToRepeat(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault vb365test.Fault
	}{
		{"503", vb365test.Fault{Status: http.StatusServiceUnavailable, Times: 2}},
		{"dropped after processing", vb365test.Fault{DropAfterServing: true, Times: 2}},
		{"dropped before processing", vb365test.Fault{Drop: true, Times: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := auditFake(t, vb365test.Quirks{AuditDuplicateIsError: true, AuditRemoveUnknownIsError: true})
			c := newTestClient(t, fake.URL)
			ctx := context.Background()
			a, b := demoUser(t, fake, "ceo@contoso.onmicrosoft.com"), demoUser(t, fake, "AlexW@contoso.onmicrosoft.com")
			ua, err := c.GetUser(ctx, auditOrg, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			ub, err := c.GetUser(ctx, auditOrg, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			f := tc.fault
			f.Route = "POST /Organizations/{organizationId}/AuditItems"
			fake.InjectFault(f)
			if err := c.AddAuditItems(ctx, auditOrg, []AuditEntry{{User: ua}, {User: ub}}); err != nil {
				t.Fatalf("AddAuditItems: %v", err)
			}
			items := fake.AuditItems(auditOrg)
			if len(items) != 2 {
				t.Fatalf("server holds %v, want the two users once each", items)
			}
			f.Route = "POST /Organizations/{organizationId}/AuditItems/remove"
			fake.InjectFault(f)
			if err := c.RemoveAuditItems(ctx, auditOrg, []string{items[0].ID, items[1].ID}); err != nil {
				t.Fatalf("RemoveAuditItems: %v", err)
			}
			if left := fake.AuditItems(auditOrg); len(left) != 0 {
				t.Fatalf("server still holds %v", left)
			}
		})
	}
}

// (1) An item of a type newer than the documents is classified by the
// object it embeds.
func TestAuditItemUnknownTypeClassifiedByObject(t *testing.T) {
	for _, tc := range []struct {
		item        AuditItem
		user, group bool
	}{
		{AuditItem{Type: "UserV2", User: &User{ID: "u"}}, true, false},
		{AuditItem{Type: "GroupV2", Group: &Group{ID: "g"}}, false, true},
		{AuditItem{Type: "", User: &User{ID: "u"}}, true, false},
		{AuditItem{Type: "Mystery"}, false, false},
		{AuditItem{Type: "Mystery", User: &User{ID: "u"}, Group: &Group{ID: "g"}}, false, false},
		{AuditItem{Type: "user", Group: &Group{ID: "g"}}, true, false},
	} {
		if tc.item.IsUser() != tc.user || tc.item.IsGroup() != tc.group {
			t.Errorf("%+v: IsUser %v IsGroup %v, want %v %v", tc.item, tc.item.IsUser(), tc.item.IsGroup(), tc.user, tc.group)
		}
	}
}

// A token rejected again right after the re-authentication (expired twice
// in a row, as the fault storm found) gets one more new token; the same
// token rejected twice does not loop.
func TestReauthenticatesPerRejectedToken(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	if err := c.Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", Times: 2, ExpireTokens: true})
	if _, err := c.ListOrganizations(context.Background()); err != nil {
		t.Fatalf("ListOrganizations after two expiries: %v", err)
	}
	if n := fake.Count("GET /Organizations"); n != 3 {
		t.Fatalf("sent %d times, want 3", n)
	}
	// A server that rejects every token: bounded by MaxRetries, no loop.
	fake.ClearFaults()
	fake.ResetRequests()
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations", ExpireTokens: true})
	c2 := newTestClient(t, fake.URL, func(cfg *Config) { cfg.MaxRetries = 2 })
	if _, err := c2.ListOrganizations(context.Background()); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if n := fake.Count("GET /Organizations"); n != 3 {
		t.Fatalf("sent %d times, want 3 (one new token per rejection, MaxRetries 2)", n)
	}
}

func TestMayHaveWritten(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&APIError{StatusCode: 503}, true},
		{&APIError{StatusCode: 403}, false},
		{&APIError{StatusCode: 400}, false},
		{&TransportError{Err: io.ErrUnexpectedEOF}, true},
		{&TransportError{Err: &RedirectError{Status: 307}}, false},
		{fmt.Errorf("POST x: %w", context.Canceled), true},
		{organizationNotFound("o"), false},
	} {
		if got := MayHaveWritten(tc.err); got != tc.want {
			t.Errorf("MayHaveWritten(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

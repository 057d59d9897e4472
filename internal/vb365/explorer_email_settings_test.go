package vb365

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

// explorerRoutes is every Explorer's routes per version, as the documents
// spell them: the settings path and the test mail's path and status.
var explorerRoutes = map[APIVersion]map[Explorer]struct {
	settings, test string
	put, sent      int
}{
	V6: {
		ExplorerExchange:   {"/VexEmailSettings", "/VexEmailSettings/SendTest", 200, 200},
		ExplorerOneDrive:   {"/VeodEmailSettings", "/VeodEmailSettings/SendTestEmail", 200, 200},
		ExplorerSharePoint: {"/VespEmailSettings", "/VespEmailSettings/SendTestEmail", 200, 200},
		ExplorerTeams:      {"/VetEmailSettings", "/VetEmailSettings/sendTest", 200, 200},
	},
	V7: {
		ExplorerExchange:   {"/VexEmailSettings", "/VexEmailSettings/SendTest", 200, 200},
		ExplorerOneDrive:   {"/VeodEmailSettings", "/VeodEmailSettings/SendTestEmail", 200, 200},
		ExplorerSharePoint: {"/VespEmailSettings", "/VespEmailSettings/SendTestEmail", 200, 200},
		ExplorerTeams:      {"/VetEmailSettings", "/VetEmailSettings/sendTest", 200, 200},
	},
	V8: {
		ExplorerExchange:   {"/VexEmailSettings", "/VexEmailSettings/SendTestEmail", 204, 204},
		ExplorerOneDrive:   {"/VeodEmailSettings", "/VeodEmailSettings/SendTestEmail", 204, 204},
		ExplorerSharePoint: {"/VespEmailSettings", "/VespEmailSettings/SendTestEmail", 204, 204},
		ExplorerTeams:      {"/VetEmailSettings", "/VetEmailSettings/SendTestEmail", 204, 204},
	},
}

// relayUpdate is a corporate relay with a password.
func relayUpdate(password string) ExplorerEmailSettingsUpdate {
	return ExplorerEmailSettingsUpdate{
		EnableNotification: auditPtr(true),
		Server:             auditPtr("relay.contoso.com"),
		Port:               auditPtr(587),
		UseAuthentication:  auditPtr(true),
		Username:           auditPtr("vb365-explorer@contoso.onmicrosoft.com"),
		UserPassword:       auditPtr(password),
		UseSSL:             auditPtr(true),
		From:               auditPtr("vb365-explorer@contoso.onmicrosoft.com"),
	}
}

func TestExplorerEmailSettingsDefaults(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			c := newTestClient(t, fake.URL, withVersion(v))
			for _, e := range Explorers() {
				got, err := c.GetExplorerEmailSettings(context.Background(), e)
				if err != nil {
					t.Fatal(err)
				}
				want := &ExplorerEmailSettings{Explorer: e, EmailSettings: EmailSettings{Port: 25}}
				if v.SupportsExplorerEmailOAuth() {
					// Only v8 reports the type; before, it stays unknown.
					want.AuthenticationType = EmailAuthCustomSMTP
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: %+v, want %+v", e, got, want)
				}
			}
		})
	}
}

func TestExplorerEmailSettingsUpdateAndRead(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		for _, e := range Explorers() {
			t.Run(string(v)+"/"+string(e), func(t *testing.T) {
				t.Parallel()
				fake := vb365test.Start(t, vb365test.Options{})
				c := newTestClient(t, fake.URL, withVersion(v))
				ctx := context.Background()
				audit, job := fake.AuditEmailSettings(), fake.JobEmailSettings()
				if err := c.UpdateExplorerEmailSettings(ctx, e, relayUpdate("Relay-Pa55")); err != nil {
					t.Fatal(err)
				}
				stored := fake.ExplorerEmailSettings(string(e))
				if stored.Password != "Relay-Pa55" || stored.SMTPServer != "relay.contoso.com" || stored.Port != 587 || !stored.EnableNotification {
					t.Fatalf("stored = %+v", stored)
				}
				got, err := c.GetExplorerEmailSettings(ctx, e)
				if err != nil {
					t.Fatal(err)
				}
				want := &ExplorerEmailSettings{Explorer: e, EmailSettings: EmailSettings{
					EnableNotification: true, SMTPServer: "relay.contoso.com", Port: 587, UseAuthentication: true,
					Username: "vb365-explorer@contoso.onmicrosoft.com", UseSSL: true, From: "vb365-explorer@contoso.onmicrosoft.com",
				}}
				if v.SupportsExplorerEmailOAuth() {
					want.AuthenticationType = EmailAuthCustomSMTP
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("read back = %+v\nwant        %+v", got, want)
				}

				// Turning sending off leaves the rest (the fake's default PUT
				// changes only what it is sent).
				if err := c.UpdateExplorerEmailSettings(ctx, e, ExplorerEmailSettingsUpdate{EnableNotification: auditPtr(false)}); err != nil {
					t.Fatal(err)
				}
				stored = fake.ExplorerEmailSettings(string(e))
				if stored.EnableNotification || stored.SMTPServer != "relay.contoso.com" || stored.Password != "Relay-Pa55" {
					t.Fatalf("after disabling: %+v", stored)
				}

				// The documented path and success status of each version.
				r := explorerRoutes[v][e]
				var puts []int
				for _, l := range fake.Requests() {
					if l.Route == "PUT "+r.settings {
						puts = append(puts, l.Status)
						if l.Path != "/"+string(v)+r.settings {
							t.Errorf("PUT path %s", l.Path)
						}
					}
				}
				if !reflect.DeepEqual(puts, []int{r.put, r.put}) {
					t.Fatalf("PUT statuses = %v, want two %d", puts, r.put)
				}
				// The other Explorers and the other e-mail settings are untouched.
				for _, other := range Explorers() {
					if other != e && fake.ExplorerEmailSettings(string(other)).SMTPServer != "" {
						t.Fatalf("writing %s changed %s", e, other)
					}
				}
				if !reflect.DeepEqual(fake.AuditEmailSettings(), audit) || !reflect.DeepEqual(fake.JobEmailSettings(), job) {
					t.Fatal("writing an Explorer's account changed the audit or job settings")
				}
			})
		}
	}
}

// TestExplorerEmailSettingsWire pins what the client sends: the Explorers'
// field names (server, not smtpServer), none of the fields their requests
// lack (authenticationType, to, subject), nil fields left out, and the
// recipient of a test mail in its body.
func TestExplorerEmailSettingsWire(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	rec := &recTransport{}
	c := newTestClient(t, fake.URL, withRecorder(rec))
	ctx := context.Background()
	u := relayUpdate("pw")
	u.MailAPIURL = auditPtr("https://graph.microsoft.us")
	if err := c.UpdateExplorerEmailSettings(ctx, ExplorerTeams, u); err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateExplorerEmailSettings(ctx, ExplorerOneDrive, ExplorerEmailSettingsUpdate{EnableNotification: auditPtr(false)}); err != nil {
		t.Fatal(err)
	}
	if err := c.SendExplorerTestEmail(ctx, ExplorerTeams, "soc@contoso.onmicrosoft.com"); err != nil {
		t.Fatal(err)
	}
	var bodies []map[string]any
	for _, r := range rec.Requests() {
		if r.Method == http.MethodPut || strings.Contains(r.Path, "Test") {
			var m map[string]any
			if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
				t.Fatalf("%s %s: %v", r.Method, r.Path, err)
			}
			bodies = append(bodies, m)
		}
	}
	keys := func(m map[string]any) []string {
		var k []string
		for key := range m {
			k = append(k, key)
		}
		sort.Strings(k)
		return k
	}
	want := [][]string{
		{"enableNotification", "from", "mailApiUrl", "port", "server", "useAuthentication", "useSSL", "userPassword", "username"},
		{"enableNotification"},
		{"email"},
	}
	if len(bodies) != len(want) {
		t.Fatalf("%d bodies, want %d", len(bodies), len(want))
	}
	for i := range want {
		if got := keys(bodies[i]); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("body %d keys = %v, want %v", i, got, want[i])
		}
	}
	if bodies[2]["email"] != "soc@contoso.onmicrosoft.com" {
		t.Errorf("test mail body = %v", bodies[2])
	}
}

// TestExplorerEmailSettingsNulls reads answers whose fields are null (the
// Exchange and Teams schemas declare most of them nullable; a fresh install
// under ExplorerEmailUnsetNull sends nothing else): zero values, and the
// booleans that were null are named.
func TestExplorerEmailSettingsNulls(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{ExplorerEmailUnsetNull: true}})
			c := newTestClient(t, fake.URL, withVersion(v))
			for _, e := range Explorers() {
				got, err := c.GetExplorerEmailSettings(context.Background(), e)
				if err != nil {
					t.Fatal(err)
				}
				want := &ExplorerEmailSettings{Explorer: e, EmailSettings: EmailSettings{
					NullBooleans: map[string]bool{"enableNotification": true, "useAuthentication": true, "useSSL": true},
				}}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: %+v, want %+v", e, got, want)
				}
			}
		})
	}
	// A raw answer with every v8 field null and unknown fields beside.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v8/token" {
			writeToken(w, "a", "r")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"enableNotification": null, "server": "smtp.contoso.com", "port": null, "from": null,
			"useAuthentication": false, "useSSL": null, "username": null, "authenticationType": "Microsoft365",
			"clientId": null, "tenantId": null, "userId": "mailer@contoso.com", "mailApiUrl": null, "isAuthenticated": null,
			"smtpServer": "not this one", "_links": {"self": {"href": "/v8/VexEmailSettings"}}, "_actions": {}}`))
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	got, err := c.GetExplorerEmailSettings(context.Background(), ExplorerExchange)
	if err != nil {
		t.Fatal(err)
	}
	want := &ExplorerEmailSettings{Explorer: ExplorerExchange, EmailSettings: EmailSettings{
		SMTPServer: "smtp.contoso.com", AuthenticationType: EmailAuthMicrosoft365, UserID: "mailer@contoso.com",
		NullBooleans: map[string]bool{"enableNotification": true, "useSSL": true},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("raw nulls: %+v\nwant %+v", got, want)
	}
}

func TestExplorerEmailOAuthRefusedBeforeV8(t *testing.T) {
	for _, v := range []APIVersion{V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			c := newTestClient(t, fake.URL, withVersion(v))
			ctx := context.Background()
			for name, u := range map[string]ExplorerEmailSettingsUpdate{
				"userId":     {UserID: auditPtr("mailer@contoso.onmicrosoft.com")},
				"requestId":  {RequestID: auditPtr("r")},
				"mailApiUrl": {MailAPIURL: auditPtr("https://graph.microsoft.us")},
			} {
				err := c.UpdateExplorerEmailSettings(ctx, ExplorerExchange, u)
				if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "v8") {
					t.Errorf("%s on %s: %v", name, v, err)
				}
			}
			if _, err := c.prepareExplorerEmailOAuthSignIn(ctx, ExplorerTeams, OAuthSignInRequest{Kind: EmailAuthMicrosoft365, RedirectURL: "http://localhost"}); !errors.Is(err, ErrUnsupported) {
				t.Errorf("Prepare on %s: %v", v, err)
			}
			if _, err := c.completeExplorerEmailOAuthSignIn(ctx, ExplorerTeams, "c", "s"); !errors.Is(err, ErrUnsupported) {
				t.Errorf("Complete on %s: %v", v, err)
			}
			if n := fake.Count(""); n != 0 {
				t.Fatalf("%d requests reached the server; the client must refuse before sending", n)
			}
		})
	}
}

func TestExplorerEmailUnknownExplorer(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	if _, err := c.GetExplorerEmailSettings(ctx, "yammer"); err == nil || !strings.Contains(err.Error(), "exchange, onedrive, sharepoint, teams") {
		t.Fatalf("unknown Explorer: %v", err)
	}
	if err := c.SendExplorerTestEmail(ctx, "Exchange", "a@contoso.com"); err == nil {
		t.Fatal("Explorer names are exact")
	}
	if p := c.ExplorerTestEmailPath("yammer"); p != "" {
		t.Fatalf("path of an unknown Explorer = %q", p)
	}
	if n := fake.Count(""); n != 0 {
		t.Fatalf("%d requests", n)
	}
}

func TestExplorerTestMail(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		for _, e := range Explorers() {
			t.Run(string(v)+"/"+string(e), func(t *testing.T) {
				t.Parallel()
				fake := vb365test.Start(t, vb365test.Options{})
				c := newTestClient(t, fake.URL, withVersion(v))
				ctx := context.Background()
				r := explorerRoutes[v][e]
				// Nothing to send with: refused, and not retried.
				if err := c.SendExplorerTestEmail(ctx, e, "soc@contoso.onmicrosoft.com"); !errors.Is(err, ErrBadRequest) {
					t.Fatalf("unconfigured: %v", err)
				}
				if err := c.UpdateExplorerEmailSettings(ctx, e, relayUpdate("pw")); err != nil {
					t.Fatal(err)
				}
				if err := c.SendExplorerTestEmail(ctx, e, "soc@contoso.onmicrosoft.com"); err != nil {
					t.Fatal(err)
				}
				sent := fake.SentExplorerTestEmails()
				if len(sent) != 1 || sent[0].Version != string(v) || sent[0].Explorer != string(e) || sent[0].To != "soc@contoso.onmicrosoft.com" ||
					sent[0].Route != "POST "+r.test || sent[0].Settings.SMTPServer != "relay.contoso.com" {
					t.Fatalf("sent = %+v", sent)
				}
				var hits []int
				for _, l := range fake.Requests() {
					if l.Route == "POST "+r.test {
						hits = append(hits, l.Status)
						if l.Path != "/"+string(v)+r.test {
							t.Errorf("path %s, want the documented casing %s", l.Path, r.test)
						}
					}
				}
				if !reflect.DeepEqual(hits, []int{400, r.sent}) {
					t.Fatalf("%s statuses = %v, want [400 %d]", r.test, hits, r.sent)
				}
				if got, want := c.ExplorerTestEmailPath(e), "/"+string(v)+r.test; got != want {
					t.Fatalf("ExplorerTestEmailPath = %q, want %q", got, want)
				}
				if fake.SentTestEmails() != nil {
					t.Fatal("an Explorer's test mail was recorded as an audit or job test mail")
				}
			})
		}
	}
}

func TestExplorerTestMailNotRetriedAfterServerError(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	c := newTestClient(t, fake.URL)
	recordSleeps(c)
	ctx := context.Background()
	if err := c.UpdateExplorerEmailSettings(ctx, ExplorerSharePoint, relayUpdate("pw")); err != nil {
		t.Fatal(err)
	}
	fake.InjectFault(vb365test.Fault{Route: "POST /VespEmailSettings/SendTestEmail", Times: 1, Status: 502})
	fake.InjectFault(vb365test.Fault{Route: "PUT /VespEmailSettings", Times: 1, Status: 503})
	if err := c.SendExplorerTestEmail(ctx, ExplorerSharePoint, "soc@contoso.onmicrosoft.com"); !errors.Is(err, ErrServer) {
		t.Fatalf("after 502: %v", err)
	}
	if n := fake.Count("POST /VespEmailSettings/SendTestEmail"); n != 1 {
		t.Fatalf("the test mail was sent %d times; it must not be retried", n)
	}
	// The PUT is idempotent: retried.
	if err := c.UpdateExplorerEmailSettings(ctx, ExplorerSharePoint, ExplorerEmailSettingsUpdate{Port: auditPtr(25)}); err != nil {
		t.Fatal(err)
	}
	if n := fake.Count("PUT /VespEmailSettings"); n != 3 { // the first PUT, then a 503 and its retry
		t.Fatalf("%d PUTs, want 3", n)
	}
}

// TestExplorerEmailOAuthFlow signs each Explorer in on v8 (prepare, browser,
// complete), sends the requestId without an authenticationType, and reads
// the sign-in's kind back as the type. What a later PUT without a requestId
// does to the type is open: both answers of the fake are read.
func TestExplorerEmailOAuthFlow(t *testing.T) {
	for i, e := range Explorers() {
		kind := []string{EmailAuthMicrosoft365, EmailAuthGoogleGmail}[i%2]
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			fake := vb365test.Start(t, vb365test.Options{})
			c := newTestClient(t, fake.URL)
			ctx := context.Background()
			signIn, err := c.prepareExplorerEmailOAuthSignIn(ctx, e, OAuthSignInRequest{Kind: kind, RedirectURL: "http://localhost"})
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(signIn.SignInURL)
			if err != nil || u.Query().Get("state") != signIn.RequestID {
				t.Fatalf("sign-in = %+v (%v)", signIn, err)
			}
			// An unfinished sign-in cannot be used.
			if err := c.UpdateExplorerEmailSettings(ctx, e, ExplorerEmailSettingsUpdate{RequestID: &signIn.RequestID}); !errors.Is(err, ErrBadRequest) {
				t.Fatalf("PUT with a pending requestId: %v", err)
			}
			res, err := c.completeExplorerEmailOAuthSignIn(ctx, e, "0.AAAA-code", signIn.RequestID)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.UpdateExplorerEmailSettings(ctx, e, ExplorerEmailSettingsUpdate{
				EnableNotification: auditPtr(true), UserID: &res.UserID, RequestID: &res.RequestID, From: &res.UserID,
			}); err != nil {
				t.Fatal(err)
			}
			got, err := c.GetExplorerEmailSettings(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			if got.AuthenticationType != kind || got.UserID != vb365test.OAuthUserID || !got.IsAuthenticated || !got.EnableNotification {
				t.Fatalf("after sign-in: %+v", got)
			}
			// A requestId of another account is refused.
			err = c.UpdateExplorerEmailSettings(ctx, e, ExplorerEmailSettingsUpdate{UserID: auditPtr("someone@contoso.onmicrosoft.com"), RequestID: &res.RequestID})
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("mismatched userId: %v", err)
			}

			// A later PUT without a requestId keeps the type ...
			if err := c.UpdateExplorerEmailSettings(ctx, e, ExplorerEmailSettingsUpdate{Server: auditPtr("relay.contoso.com")}); err != nil {
				t.Fatal(err)
			}
			if got, _ := c.GetExplorerEmailSettings(ctx, e); got.AuthenticationType != kind || got.SMTPServer != "relay.contoso.com" {
				t.Fatalf("without requestId: %+v", got)
			}
			// ... or, on a server that infers the type, turns it back to SMTP.
			fake.SetQuirks(vb365test.Quirks{ExplorerSMTPWithoutRequestID: true})
			if err := c.UpdateExplorerEmailSettings(ctx, e, ExplorerEmailSettingsUpdate{Port: auditPtr(587)}); err != nil {
				t.Fatal(err)
			}
			if got, _ := c.GetExplorerEmailSettings(ctx, e); got.AuthenticationType != EmailAuthCustomSMTP || got.IsAuthenticated || got.UserID != "" {
				t.Fatalf("ExplorerSMTPWithoutRequestID: %+v", got)
			}
		})
	}
}

// TestExplorerEmailPutReplaces reads the fake's other answer to "is a PUT
// partial?": under ExplorerEmailPutReplaces a field left out is reset, the
// password included, and a sign-in stays only when the body names it.
func TestExplorerEmailPutReplaces(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{ExplorerEmailPutReplaces: true}})
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	if err := c.UpdateExplorerEmailSettings(ctx, ExplorerExchange, relayUpdate("pw")); err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateExplorerEmailSettings(ctx, ExplorerExchange, ExplorerEmailSettingsUpdate{EnableNotification: auditPtr(false)}); err != nil {
		t.Fatal(err)
	}
	if st := fake.ExplorerEmailSettings("exchange"); st.SMTPServer != "" || st.Password != "" || st.Port != 25 {
		t.Fatalf("a replacing PUT kept %+v", st)
	}
	requestID := fake.CompleteOAuthSignInAs(vb365test.OAuthUserID, EmailAuthMicrosoft365)
	user := vb365test.OAuthUserID
	if err := c.UpdateExplorerEmailSettings(ctx, ExplorerExchange, ExplorerEmailSettingsUpdate{UserID: &user, RequestID: &requestID}); err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateExplorerEmailSettings(ctx, ExplorerExchange, ExplorerEmailSettingsUpdate{EnableNotification: auditPtr(true), UserID: &user}); err != nil {
		t.Fatal(err)
	}
	if st := fake.ExplorerEmailSettings("exchange"); st.AuthenticationType != EmailAuthMicrosoft365 || !st.IsAuthenticated || !st.EnableNotification {
		t.Fatalf("a PUT naming the account lost the sign-in: %+v", st)
	}
	if err := c.UpdateExplorerEmailSettings(ctx, ExplorerExchange, ExplorerEmailSettingsUpdate{EnableNotification: auditPtr(false)}); err != nil {
		t.Fatal(err)
	}
	if st := fake.ExplorerEmailSettings("exchange"); st.AuthenticationType != EmailAuthCustomSMTP || st.UserID != "" {
		t.Fatalf("a PUT without the account kept the sign-in: %+v", st)
	}
}

func TestExplorerEmailSecretsNotLogged(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	log := &recLogger{}
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.Logger = log })
	ctx := context.Background()
	const secret = "Expl0rer-Pa55"
	if err := c.UpdateExplorerEmailSettings(ctx, ExplorerTeams, relayUpdate(secret)); err != nil {
		t.Fatal(err)
	}
	requestID := fake.CompleteOAuthSignInAs(vb365test.OAuthUserID, EmailAuthMicrosoft365)
	if err := c.UpdateExplorerEmailSettings(ctx, ExplorerTeams, ExplorerEmailSettingsUpdate{RequestID: &requestID}); err != nil {
		t.Fatal(err)
	}
	sawBody := false
	for _, e := range log.Entries() {
		for k, v := range e.fields {
			s, _ := v.(string)
			for _, leak := range []string{secret, requestID} {
				if strings.Contains(s, leak) {
					t.Errorf("%s %q field %s leaks %q: %s", e.level, e.msg, k, leak, s)
				}
			}
			if k == "body" && strings.Contains(s, `"userPassword":"***"`) {
				sawBody = true
			}
		}
	}
	if !sawBody {
		t.Fatal("no request body with a masked userPassword was logged; the test cannot see a leak")
	}
}

// TestExplorerEmailSettingsContract runs every Explorer operation of each
// version through the OpenAPI validator: GET, PUT, the test mail, an error
// answer and (v8) the sign-in, for the four Explorers.
func TestExplorerEmailSettingsContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			for _, quirks := range []vb365test.Quirks{{}, {ExplorerEmailUnsetNull: true, NullsInNonNullable: true}} {
				val, err := contract.Load(string(v))
				if err != nil {
					t.Fatal(err)
				}
				fake := vb365test.Start(t, vb365test.Options{Quirks: quirks})
				c := newTestClient(t, fake.URL, withVersion(v), func(cfg *Config) {
					cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport)}
				})
				ctx := context.Background()
				var routes []string
				for _, e := range Explorers() {
					r := explorerRoutes[v][e]
					if _, err := c.GetExplorerEmailSettings(ctx, e); err != nil {
						t.Fatal(err)
					}
					if err := c.UpdateExplorerEmailSettings(ctx, e, relayUpdate("pw")); err != nil {
						t.Fatal(err)
					}
					if _, err := c.GetExplorerEmailSettings(ctx, e); err != nil {
						t.Fatal(err)
					}
					if err := c.SendExplorerTestEmail(ctx, e, "soc@contoso.onmicrosoft.com"); err != nil {
						t.Fatal(err)
					}
					// An error answer is checked too (RESTExceptionInfo of the version).
					if err := c.UpdateExplorerEmailSettings(ctx, e, ExplorerEmailSettingsUpdate{Server: auditPtr("")}); !errors.Is(err, ErrBadRequest) {
						t.Fatalf("want a 400: %v", err)
					}
					routes = append(routes, "GET /"+string(v)+r.settings, "PUT /"+string(v)+r.settings, "POST /"+string(v)+r.test)
					if !v.SupportsExplorerEmailOAuth() {
						continue
					}
					signIn, err := c.prepareExplorerEmailOAuthSignIn(ctx, e, OAuthSignInRequest{Kind: EmailAuthMicrosoft365, RedirectURL: "http://localhost",
						ClientID: "5a1f0e1c-0000-4000-8000-00000000c11e", TenantID: "contoso.onmicrosoft.com"})
					if err != nil {
						t.Fatal(err)
					}
					res, err := c.completeExplorerEmailOAuthSignIn(ctx, e, "code", signIn.RequestID)
					if err != nil {
						t.Fatal(err)
					}
					if err := c.UpdateExplorerEmailSettings(ctx, e, ExplorerEmailSettingsUpdate{UserID: &res.UserID, RequestID: &res.RequestID,
						MailAPIURL: auditPtr("https://graph.microsoft.com")}); err != nil {
						t.Fatal(err)
					}
					if _, err := c.GetExplorerEmailSettings(ctx, e); err != nil {
						t.Fatal(err)
					}
					routes = append(routes, "POST /v8"+r.settings+"/PrepareOAuthSignIn", "POST /v8"+r.settings+"/CompleteOAuthSignIn")
				}
				if vs := val.Violations(); len(vs) > 0 {
					t.Fatalf("contract violations (%+v):\n%s", quirks, strings.Join(vs, "\n"))
				}
				seen := val.Routes()
				for _, r := range routes {
					if seen[r] == 0 {
						t.Errorf("route %s was not validated (validated: %v)", r, seen)
					}
				}
			}
		})
	}
}

package vb365

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

func auditPtr[T any](v T) *T { return &v }

// smtpUpdate is the documented CustomSmtp example.
func smtpUpdate(password string) EmailSettingsUpdate {
	return EmailSettingsUpdate{
		EnableNotification: auditPtr(true),
		AuthenticationType: auditPtr(EmailAuthCustomSMTP),
		SMTPServer:         auditPtr("smtp.office365.com"),
		Port:               auditPtr(587),
		UseAuthentication:  auditPtr(true),
		Username:           auditPtr("vb365-audit@contoso.onmicrosoft.com"),
		UserPassword:       auditPtr(password),
		UseSSL:             auditPtr(true),
		From:               auditPtr("vb365-audit@contoso.onmicrosoft.com"),
		To:                 []string{"SecurityOfficer@contoso.onmicrosoft.com", "soc@contoso.onmicrosoft.com"},
		Subject:            auditPtr("[Audit] %OrganizationName% - %Action% by %InitiatedByUserName%"),
	}
}

func TestAuditEmailSettingsDefaults(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			c := newTestClient(t, fake.URL, withVersion(v))
			got, err := c.GetAuditEmailSettings(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			want := &EmailSettings{Port: 25, Subject: vb365test.DefaultAuditSubject, AuthenticationType: EmailAuthCustomSMTP}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("defaults = %+v, want %+v", got, want)
			}
		})
	}
}

func TestAuditEmailSettingsUpdateAndRead(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			c := newTestClient(t, fake.URL, withVersion(v))
			ctx := context.Background()
			if err := c.UpdateAuditEmailSettings(ctx, smtpUpdate("S3cret-Pa55")); err != nil {
				t.Fatal(err)
			}
			stored := fake.AuditEmailSettings()
			if stored.Password != "S3cret-Pa55" || stored.To != "SecurityOfficer@contoso.onmicrosoft.com;soc@contoso.onmicrosoft.com" || stored.Port != 587 {
				t.Fatalf("stored = %+v", stored)
			}
			got, err := c.GetAuditEmailSettings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := &EmailSettings{
				EnableNotification: true, SMTPServer: "smtp.office365.com", Port: 587, UseAuthentication: true,
				Username: "vb365-audit@contoso.onmicrosoft.com", UseSSL: true, From: "vb365-audit@contoso.onmicrosoft.com",
				To:      []string{"SecurityOfficer@contoso.onmicrosoft.com", "soc@contoso.onmicrosoft.com"},
				Subject: "[Audit] %OrganizationName% - %Action% by %InitiatedByUserName%", AuthenticationType: EmailAuthCustomSMTP,
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("read back = %+v\nwant        %+v", got, want)
			}

			// Omitted fields stay; the password stays when not sent.
			if err := c.UpdateAuditEmailSettings(ctx, EmailSettingsUpdate{EnableNotification: auditPtr(false)}); err != nil {
				t.Fatal(err)
			}
			stored = fake.AuditEmailSettings()
			if stored.EnableNotification || stored.SMTPServer != "smtp.office365.com" || stored.Password != "S3cret-Pa55" || stored.Port != 587 {
				t.Fatalf("after a partial PUT: %+v", stored)
			}

			// The documented success status of each version.
			wantPut := map[APIVersion]int{V6: 200, V7: 200, V8: 204}[v]
			var puts []int
			for _, r := range fake.Requests() {
				if r.Route == "PUT /AuditEmailSettings" {
					puts = append(puts, r.Status)
				}
			}
			if !reflect.DeepEqual(puts, []int{wantPut, wantPut}) {
				t.Fatalf("PUT statuses = %v, want two %d", puts, wantPut)
			}
		})
	}
}

func TestAuditEmailSettingsServerValidation(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	c := newTestClient(t, fake.URL)
	err := c.UpdateAuditEmailSettings(context.Background(), EmailSettingsUpdate{EnableNotification: auditPtr(true), To: []string{"soc@contoso.onmicrosoft.com"}})
	var apiErr *APIError
	if !errors.Is(err, ErrBadRequest) || !errors.As(err, &apiErr) || apiErr.ErrorCode != "ParameterValidationFailure" || !strings.Contains(apiErr.Message, "SMTP server") {
		t.Fatalf("enabled without smtpServer: %v", err)
	}
	if s := fake.AuditEmailSettings(); s.EnableNotification {
		t.Fatal("a refused PUT changed the settings")
	}
}

func TestAuditEmailSettingsV6RefusesOAuth(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	c := newTestClient(t, fake.URL, withVersion(V6))
	ctx := context.Background()
	for name, u := range map[string]EmailSettingsUpdate{
		"authenticationType": {AuthenticationType: auditPtr(EmailAuthMicrosoft365)},
		"userId":             {UserID: auditPtr("audit-mailer@contoso.onmicrosoft.com")},
		"requestId":          {RequestID: auditPtr("r")},
		"mailApiUrl":         {MailAPIURL: auditPtr("https://graph.microsoft.us")},
	} {
		err := c.UpdateAuditEmailSettings(ctx, u)
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "v7") {
			t.Errorf("%s on v6: %v", name, err)
		}
	}
	if _, err := c.prepareAuditEmailOAuthSignIn(ctx, OAuthSignInRequest{Kind: "Microsoft365", RedirectURL: "http://localhost"}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Prepare on v6: %v", err)
	}
	if _, err := c.completeAuditEmailOAuthSignIn(ctx, "c", "s"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Complete on v6: %v", err)
	}
	if n := fake.Count(""); n != 0 {
		t.Fatalf("%d requests reached the server; the client must refuse before sending", n)
	}
	// CustomSmtp is the only kind v6 has: it is dropped, not refused.
	if err := c.UpdateAuditEmailSettings(ctx, smtpUpdate("x")); err != nil {
		t.Fatal(err)
	}
}

func TestAuditEmailTestMail(t *testing.T) {
	for _, tc := range []struct {
		v      APIVersion
		route  string
		status int
	}{
		{V8, "POST /AuditEmailSettings/SendTestEmail", 204},
		{V7, "POST /AuditEmailSettings/SendTest", 200},
		{V6, "POST /AuditEmailSettings/SendTest", 200},
	} {
		t.Run(string(tc.v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			c := newTestClient(t, fake.URL, withVersion(tc.v))
			ctx := context.Background()
			// Nothing to send with: refused, and not retried.
			if err := c.SendAuditTestEmail(ctx); !errors.Is(err, ErrBadRequest) {
				t.Fatalf("unconfigured: %v", err)
			}
			if err := c.UpdateAuditEmailSettings(ctx, smtpUpdate("pw")); err != nil {
				t.Fatal(err)
			}
			if err := c.SendAuditTestEmail(ctx); err != nil {
				t.Fatal(err)
			}
			sent := fake.SentTestEmails()
			if len(sent) != 1 || sent[0].Version != string(tc.v) || sent[0].Settings.To != "SecurityOfficer@contoso.onmicrosoft.com;soc@contoso.onmicrosoft.com" {
				t.Fatalf("sent = %+v", sent)
			}
			var hits []int
			for _, r := range fake.Requests() {
				if r.Route == tc.route {
					hits = append(hits, r.Status)
				}
			}
			if !reflect.DeepEqual(hits, []int{400, tc.status}) {
				t.Fatalf("%s statuses = %v, want [400 %d]", tc.route, hits, tc.status)
			}
			if got, want := c.AuditTestEmailPath(), "/"+string(tc.v)+"/"+strings.TrimPrefix(tc.route, "POST /"); got != want {
				t.Fatalf("AuditTestEmailPath = %q, want %q", got, want)
			}
		})
	}
}

func TestAuditTestMailNotRetriedAfterServerError(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	c := newTestClient(t, fake.URL)
	recordSleeps(c)
	ctx := context.Background()
	if err := c.UpdateAuditEmailSettings(ctx, smtpUpdate("pw")); err != nil {
		t.Fatal(err)
	}
	fake.InjectFault(vb365test.Fault{Route: "POST /AuditEmailSettings/SendTestEmail", Times: 1, Status: 502})
	fake.InjectFault(vb365test.Fault{Route: "PUT /AuditEmailSettings", Times: 1, Status: 503})
	if err := c.SendAuditTestEmail(ctx); !errors.Is(err, ErrServer) {
		t.Fatalf("SendTestEmail after 502: %v", err)
	}
	if n := fake.Count("POST /AuditEmailSettings/SendTestEmail"); n != 1 {
		t.Fatalf("SendTestEmail sent %d times; a test mail must not be retried", n)
	}
	// PUT is idempotent: retried.
	if err := c.UpdateAuditEmailSettings(ctx, EmailSettingsUpdate{Subject: auditPtr("s")}); err != nil {
		t.Fatal(err)
	}
	if n := fake.Count("PUT /AuditEmailSettings"); n != 3 { // the first PUT, then a 503 and its retry
		t.Fatalf("%d PUTs, want 3", n)
	}
}

func TestAuditEmailOAuthFlow(t *testing.T) {
	for _, v := range []APIVersion{V8, V7} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			c := newTestClient(t, fake.URL, withVersion(v))
			ctx := context.Background()
			signIn, err := c.prepareAuditEmailOAuthSignIn(ctx, OAuthSignInRequest{Kind: EmailAuthMicrosoft365, RedirectURL: "http://localhost"})
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(signIn.SignInURL)
			if err != nil || signIn.RequestID == "" || u.Query().Get("state") != signIn.RequestID || u.Query().Get("redirect_uri") != "http://localhost" {
				t.Fatalf("sign-in = %+v (%v)", signIn, err)
			}
			// An unfinished sign-in cannot be used.
			err = c.UpdateAuditEmailSettings(ctx, EmailSettingsUpdate{RequestID: &signIn.RequestID})
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("PUT with a pending requestId: %v", err)
			}
			res, err := c.completeAuditEmailOAuthSignIn(ctx, "0.AAAA-code", u.Query().Get("state"))
			if err != nil {
				t.Fatal(err)
			}
			if res.RequestID != signIn.RequestID || res.UserID != vb365test.OAuthUserID {
				t.Fatalf("complete = %+v", res)
			}
			err = c.UpdateAuditEmailSettings(ctx, EmailSettingsUpdate{
				EnableNotification: auditPtr(true), AuthenticationType: auditPtr(EmailAuthMicrosoft365),
				UserID: &res.UserID, RequestID: &res.RequestID,
				From: auditPtr(res.UserID), To: []string{"soc@contoso.onmicrosoft.com"},
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.GetAuditEmailSettings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got.AuthenticationType != EmailAuthMicrosoft365 || got.UserID != vb365test.OAuthUserID || !got.IsAuthenticated || !got.EnableNotification {
				t.Fatalf("after sign-in: %+v", got)
			}
			// A requestId of another account is refused.
			err = c.UpdateAuditEmailSettings(ctx, EmailSettingsUpdate{UserID: auditPtr("someone@contoso.onmicrosoft.com"), RequestID: &res.RequestID})
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("mismatched userId: %v", err)
			}
		})
	}
}

func TestAuditEmailSecretsNotLogged(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	log := &recLogger{}
	c := newTestClient(t, fake.URL, func(cfg *Config) { cfg.Logger = log })
	ctx := context.Background()
	const secret = "Sm7p-Pa55-w0rd"
	if err := c.UpdateAuditEmailSettings(ctx, smtpUpdate(secret)); err != nil {
		t.Fatal(err)
	}
	signIn, err := c.prepareAuditEmailOAuthSignIn(ctx, OAuthSignInRequest{Kind: EmailAuthGoogleGmail, RedirectURL: "http://localhost", ClientSecret: "gcp-client-secret"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.completeAuditEmailOAuthSignIn(ctx, "google-auth-code", signIn.RequestID); err != nil {
		t.Fatal(err)
	}
	sawBody := false
	for _, e := range log.Entries() {
		for k, v := range e.fields {
			s, _ := v.(string)
			for _, leak := range []string{secret, "gcp-client-secret", "google-auth-code"} {
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

// TestAuditEmailSettingsContract runs every audit e-mail operation through
// the OpenAPI validator of each version.
func TestAuditEmailSettingsContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			val, err := contract.Load(string(v))
			if err != nil {
				t.Fatal(err)
			}
			fake := vb365test.Start(t, vb365test.Options{})
			c := newTestClient(t, fake.URL, withVersion(v), func(cfg *Config) {
				cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport)}
			})
			ctx := context.Background()
			if _, err := c.GetAuditEmailSettings(ctx); err != nil {
				t.Fatal(err)
			}
			if err := c.UpdateAuditEmailSettings(ctx, smtpUpdate("pw")); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetAuditEmailSettings(ctx); err != nil {
				t.Fatal(err)
			}
			if err := c.SendAuditTestEmail(ctx); err != nil {
				t.Fatal(err)
			}
			// An error answer is checked too (RESTExceptionInfo of the version).
			if err := c.UpdateAuditEmailSettings(ctx, EmailSettingsUpdate{SMTPServer: auditPtr(""), EnableNotification: auditPtr(true)}); !errors.Is(err, ErrBadRequest) {
				t.Fatalf("want a 400: %v", err)
			}
			routes := []string{"GET /" + string(v) + "/AuditEmailSettings", "PUT /" + string(v) + "/AuditEmailSettings"}
			if v == V8 {
				routes = append(routes, "POST /v8/AuditEmailSettings/SendTestEmail")
			} else {
				routes = append(routes, "POST /"+string(v)+"/AuditEmailSettings/SendTest")
			}
			if v.SupportsEmailOAuth() {
				signIn, err := c.prepareAuditEmailOAuthSignIn(ctx, OAuthSignInRequest{Kind: EmailAuthMicrosoft365, RedirectURL: "http://localhost",
					ClientID: "5a1f0e1c-0000-4000-8000-00000000c11e", TenantID: "contoso.onmicrosoft.com"})
				if err != nil {
					t.Fatal(err)
				}
				res, err := c.completeAuditEmailOAuthSignIn(ctx, "code", signIn.RequestID)
				if err != nil {
					t.Fatal(err)
				}
				if err := c.UpdateAuditEmailSettings(ctx, EmailSettingsUpdate{AuthenticationType: auditPtr(EmailAuthMicrosoft365),
					UserID: &res.UserID, RequestID: &res.RequestID, MailAPIURL: auditPtr("https://graph.microsoft.com")}); err != nil {
					t.Fatal(err)
				}
				if _, err := c.GetAuditEmailSettings(ctx); err != nil {
					t.Fatal(err)
				}
				routes = append(routes, "POST /"+string(v)+"/AuditEmailSettings/PrepareOAuthSignIn", "POST /"+string(v)+"/AuditEmailSettings/CompleteOAuthSignIn")
			}
			if vs := val.Violations(); len(vs) > 0 {
				t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
			}
			seen := val.Routes()
			for _, r := range routes {
				if seen[r] == 0 {
					t.Errorf("route %s was not validated (validated: %v)", r, seen)
				}
			}
		})
	}
}

// TestFakeAuditEmailOutOfBand covers the fake's out-of-band HTTP route (used
// by the demo) and its refusal of OAuth fields on v6.
func TestFakeAuditEmailOutOfBand(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	patch := func(body string) int {
		req, _ := http.NewRequest(http.MethodPatch, fake.URL+"/_fake/audit-email-settings", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := patch(`{"to": "mallory@fabrikam.com", "enableNotification": true, "smtpServer": "smtp.fabrikam.com", "isAuthenticated": true, "userPassword": "oob"}`); code != http.StatusNoContent {
		t.Fatalf("PATCH = %d", code)
	}
	s := fake.AuditEmailSettings()
	if s.To != "mallory@fabrikam.com" || !s.EnableNotification || s.SMTPServer != "smtp.fabrikam.com" || !s.IsAuthenticated || s.Password != "oob" || s.Port != 25 {
		t.Fatalf("after PATCH: %+v", s)
	}
	if code := patch(`{"port": "x"}`); code != http.StatusBadRequest {
		t.Fatalf("bad PATCH = %d", code)
	}

	// v6 refuses the OAuth fields a v7 client would send.
	form := url.Values{"grant_type": {"password"}, "username": {fake.Username()}, "password": {fake.Password()}}
	resp, err := http.PostForm(fake.URL+"/v6/token", form)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %v", err)
	}
	resp.Body.Close()
	req, _ := http.NewRequest(http.MethodPut, fake.URL+"/v6/AuditEmailSettings", strings.NewReader(`{"authenticationType": "Microsoft365"}`))
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Message string `json:"message"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body.Message, "not supported by REST API v6") {
		t.Fatalf("v6 PUT with authenticationType = %d %q, want 400 naming v6", resp.StatusCode, body.Message)
	}
}

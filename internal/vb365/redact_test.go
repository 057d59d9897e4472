package vb365

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func TestLogsRedactSecrets(t *testing.T) {
	const (
		password     = "S3cr3t-Pa55word!"
		accessToken  = "ACCESS-7f3a9c0e51b2"
		accessToken2 = "ACCESS-second-88d1"
		refreshToken = "REFRESH-4d7c0c1e2b0f"
		refresh2     = "REFRESH-second-0c0c"
		userPassword = "smtp-Pa55-0f9e8d"
	)
	var tokenCalls, puts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v8/token":
			if tokenCalls.Add(1) == 1 {
				writeToken(w, accessToken, refreshToken)
			} else {
				writeToken(w, accessToken2, refresh2)
			}
		case r.Method == http.MethodPut:
			// First answer 401 (forcing a refresh), then echo the body
			// back, password included, as a careless server might.
			if puts.Add(1) == 1 {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = io.WriteString(w, `{"message":"Authorization has been denied for this request."}`)
				return
			}
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(b)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	log := &recLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Password = password; cfg.Logger = log })

	body := map[string]any{
		"enableNotification": true, "smtpServer": "smtp.contoso.com", "port": 587,
		"useAuthentication": true, "userName": "notify@contoso.com", "userPassword": userPassword,
		"nested": []any{map[string]any{"password": password, "ok": "visible"}},
	}
	var out map[string]any
	if err := c.do(context.Background(), request{method: http.MethodPut, path: "AuditEmailSettings", body: body, idempotent: true}, &out); err != nil {
		t.Fatalf("PUT: %v", err)
	}
	if out["userPassword"] != userPassword {
		t.Fatalf("the echo did not decode: %v", out)
	}
	if s := c.authStats(); s.Logins != 1 || s.Refreshes != 1 {
		t.Fatalf("authStats = %+v, want one login and one refresh", s)
	}

	entries := log.Entries()
	if len(entries) < 6 {
		t.Fatalf("only %d log entries", len(entries))
	}
	secrets := []string{password, accessToken, accessToken2, refreshToken, refresh2, userPassword}
	sawBody, sawTrace := false, false
	for _, e := range entries {
		for k, v := range e.fields {
			s := fmt.Sprint(v)
			for _, sec := range secrets {
				if strings.Contains(s, sec) || strings.Contains(k, sec) {
					t.Errorf("log %q field %s = %q leaks %q", e.msg, k, s, sec)
				}
			}
		}
		if e.msg == "VB365 API request" && e.fields["method"] == "PUT" {
			sawBody = true
			if b := fmt.Sprint(e.fields["body"]); !strings.Contains(b, `"userPassword":"***"`) || !strings.Contains(b, `"smtpServer":"smtp.contoso.com"`) || !strings.Contains(b, `"ok":"visible"`) {
				t.Errorf("logged body = %s", b)
			}
		}
		if e.level == "trace" && strings.Contains(fmt.Sprint(e.fields["body"]), "userPassword") {
			sawTrace = true
		}
	}
	if !sawBody || !sawTrace {
		t.Fatalf("request body logged %v, response body traced %v", sawBody, sawTrace)
	}
}

func TestRedactJSON(t *testing.T) {
	got := redactJSON([]byte(`{"Password":"p","access_token":"a","refresh_token":null,"list":[{"userPassword":"u","code":"c"}],"name":"n"}`))
	want := `{"Password":"***","access_token":"***","list":[{"code":"***","userPassword":"***"}],"name":"n","refresh_token":null}`
	if got != want {
		t.Fatalf("redactJSON = %s\nwant        %s", got, want)
	}
	if got := redactJSON([]byte("password=hunter2")); strings.Contains(got, "hunter2") {
		t.Fatalf("non-JSON body logged verbatim: %s", got)
	}
	if got := redactJSON(bytes.Repeat([]byte("a"), maxLoggedBody+1)); got != fmt.Sprintf("<%d bytes>", maxLoggedBody+1) {
		t.Fatalf("large body = %s", got)
	}
}

// A server that echoes the request in its error message: no secret of
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

func FuzzRedact(f *testing.F) {
	f.Add(`{"password":"p","nested":[{"userPassword":"q"}],"to":"a"}`, "p", "the password p was wrong")
	f.Add(`not json`, "x*", "xx* and x*")
	f.Add(`{"a":"b"}`, `qu"ote\`, `echo qu\"ote\\ here`)
	f.Fuzz(func(t *testing.T, body, secret, text string) {
		out := redactJSON([]byte(body))
		if len(body) > 0 && json.Valid([]byte(body)) && len(body) <= maxLoggedBody && !json.Valid([]byte(out)) {
			t.Fatalf("redactJSON(%q) = %q, not JSON", body, out)
		}
		var s secretSet
		s.remember(secret)
		s.rememberBody([]byte(body))
		masked := s.mask(text)
		if strings.Trim(secret, "*") != "" && strings.Contains(masked, secret) {
			t.Fatalf("mask(%q) = %q still holds %q", text, masked, secret)
		}
	})
}

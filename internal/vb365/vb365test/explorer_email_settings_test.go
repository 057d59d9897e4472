package vb365test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// TestExplorerEmailShapes reads the four accounts over raw HTTP in each
// version: the fields of RESTSmtpSettings (Exchange, Teams) and
// RESTSharePointSmtpSettings (OneDrive, SharePoint), the OAuth fields from v8
// only, a port of 0 null only where the schema allows it, and every field null
// for a never-written account under ExplorerEmailUnsetNull.
func TestExplorerEmailShapes(t *testing.T) {
	base := []string{"_links", "enableNotification", "from", "port", "server", "useAuthentication", "useSSL", "username"}
	oauth := []string{"authenticationType", "clientId", "isAuthenticated", "mailApiUrl", "tenantId", "userId"}
	for _, version := range []string{"v6", "v7", "v8"} {
		s := Start(t, Options{})
		token := login(t, s, version)
		for _, e := range explorerMailboxes {
			s.UpdateExplorerEmailSettings(e.name, func(st *ExplorerEmailSettings) { st.Port = 0 })
			var got map[string]any
			if code := get(t, s, token, "/"+version+e.path, &got); code != http.StatusOK {
				t.Fatalf("%s %s: %d", version, e.path, code)
			}
			want := append([]string(nil), base...)
			if version == "v8" {
				want = append(want, oauth...)
			}
			sort.Strings(want)
			if keys := sortedKeys(got); !reflect.DeepEqual(keys, want) {
				t.Errorf("%s %s fields = %v, want %v", version, e.path, keys, want)
			}
			if port, isNull := got["port"], got["port"] == nil; isNull != !e.sharePointShape {
				t.Errorf("%s %s port 0 answered as %v", version, e.path, port)
			}
			if version == "v8" && (got["userId"] == nil) != !e.sharePointShape {
				t.Errorf("%s %s empty userId answered as %v", version, e.path, got["userId"])
			}
		}

		s.SetQuirks(Quirks{ExplorerEmailUnsetNull: true})
		s.explorers.accounts = nil // a fresh install again
		for _, e := range explorerMailboxes {
			var got map[string]any
			get(t, s, token, "/"+version+e.path, &got)
			for k, v := range got {
				if k != "_links" && v != nil {
					t.Errorf("%s %s under ExplorerEmailUnsetNull: %s = %v", version, e.path, k, v)
				}
			}
		}
	}
}

func sortedKeys(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}

// TestExplorerEmailOutOfBand covers the out-of-band route (used by the
// demo), the refusal of the v8 OAuth fields before v8, and the fields the
// Explorers' requests lack, which are ignored.
func TestExplorerEmailOutOfBand(t *testing.T) {
	s := Start(t, Options{})
	patch := func(query, body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPatch, s.URL+"/_fake/explorer-email-settings"+query, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var answer struct {
			Message string `json:"message"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&answer)
		return resp.StatusCode, answer.Message
	}
	code, _ := patch("?explorer=teams", `{"enableNotification": true, "server": "smtp.fabrikam.com", "userPassword": "oob", "authenticationType": "googlegmail", "isAuthenticated": true}`)
	if code != http.StatusNoContent {
		t.Fatalf("PATCH = %d", code)
	}
	st := s.ExplorerEmailSettings("teams")
	if !st.EnableNotification || st.SMTPServer != "smtp.fabrikam.com" || st.Password != "oob" || st.AuthenticationType != "GoogleGmail" || !st.IsAuthenticated || st.Port != 25 {
		t.Fatalf("after PATCH: %+v", st)
	}
	if other := s.ExplorerEmailSettings("exchange"); other.EnableNotification {
		t.Fatal("the PATCH of teams changed exchange")
	}
	if code, msg := patch("?explorer=yammer", `{}`); code != http.StatusNotFound || !strings.Contains(msg, "yammer") {
		t.Fatalf("unknown Explorer = %d %q", code, msg)
	}
	if code, _ := patch("?explorer=exchange", `{"port": 70000}`); code != http.StatusBadRequest {
		t.Fatalf("bad PATCH = %d", code)
	}

	for _, version := range []string{"v6", "v7"} {
		token := login(t, s, version)
		for _, field := range []string{"userId", "mailApiUrl", "requestId"} {
			code, body := send(t, s, token, http.MethodPut, "/"+version+"/VexEmailSettings", `{"`+field+`": "x"}`)
			if code != http.StatusBadRequest || !strings.Contains(body, "not supported by REST API "+version) {
				t.Errorf("%s PUT with %s = %d %s, want 400 naming %s", version, field, code, body, version)
			}
		}
		// Fields the Explorers' requests do not have are ignored, as model binding ignores them.
		if code, body := send(t, s, token, http.MethodPut, "/"+version+"/VexEmailSettings", `{"smtpServer": "x", "to": "y@contoso.com", "authenticationType": "Microsoft365"}`); code != http.StatusOK {
			t.Fatalf("%s PUT with unknown fields = %d %s", version, code, body)
		}
	}
	if st := s.ExplorerEmailSettings("exchange"); st.SMTPServer != "" || st.To != "" || st.AuthenticationType != "CustomSmtp" {
		t.Fatalf("unknown fields were stored: %+v", st)
	}
}

// TestExplorerEmailTestMailRoutes sends a test mail through each Explorer's
// route of each version, as the documents spell it, and nowhere else.
func TestExplorerEmailTestMailRoutes(t *testing.T) {
	s := Start(t, Options{})
	for _, e := range explorerMailboxes {
		s.UpdateExplorerEmailSettings(e.name, func(st *ExplorerEmailSettings) { st.SMTPServer = "relay.contoso.com" })
	}
	for _, tc := range []struct{ version, path string }{
		{"v6", "/VexEmailSettings/SendTest"}, {"v7", "/VexEmailSettings/SendTest"}, {"v8", "/VexEmailSettings/SendTestEmail"},
		{"v6", "/VetEmailSettings/sendTest"}, {"v7", "/VetEmailSettings/sendTest"}, {"v8", "/VetEmailSettings/SendTestEmail"},
		{"v6", "/VeodEmailSettings/SendTestEmail"}, {"v8", "/VespEmailSettings/SendTestEmail"},
	} {
		token := login(t, s, tc.version)
		want := map[string]int{"v6": http.StatusOK, "v7": http.StatusOK, "v8": http.StatusNoContent}[tc.version]
		if code, body := send(t, s, token, http.MethodPost, "/"+tc.version+tc.path, `{"email": "soc@contoso.com"}`); code != want {
			t.Errorf("%s %s = %d %s, want %d", tc.version, tc.path, code, body, want)
		}
		if code, _ := send(t, s, token, http.MethodPost, "/"+tc.version+tc.path, `{"email": "not an address"}`); code != http.StatusBadRequest {
			t.Errorf("%s %s with a bad address = %d", tc.version, tc.path, code)
		}
	}
	for _, tc := range []struct{ version, path string }{
		{"v8", "/VexEmailSettings/SendTest"}, {"v6", "/VexEmailSettings/SendTestEmail"}, {"v7", "/VetEmailSettings/SendTestEmail"},
		{"v6", "/VexEmailSettings/PrepareOAuthSignIn"}, {"v7", "/VetEmailSettings/CompleteOAuthSignIn"},
	} {
		token := login(t, s, tc.version)
		if code, _ := send(t, s, token, http.MethodPost, "/"+tc.version+tc.path, `{}`); code != http.StatusNotFound {
			t.Errorf("%s %s = %d, want 404: the version has no such route", tc.version, tc.path, code)
		}
	}
	if n := len(s.SentExplorerTestEmails()); n != 8 {
		t.Fatalf("%d test mails recorded, want 8", n)
	}
}

package vb365test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
)

// The Explorers' mail accounts: /VexEmailSettings (Exchange),
// /VeodEmailSettings (OneDrive), /VespEmailSettings (SharePoint) and
// /VetEmailSettings (Teams), through which the Explorers send backed-up
// items by e-mail. Four singletons with one shape: GET, PUT, a test mail
// with a recipient, and (v8) the OAuth sign-in of the audit settings.

// ExplorerEmailSettings is the stored account of one Explorer, in the
// audit settings' fields: SMTPServer is the wire's "server"; To and Subject
// are never set (an Explorer has neither). Password and RequestID are never
// returned by the API; tests read them here.
type ExplorerEmailSettings = AuditEmailSettings

// SentExplorerTestEmail records a test mail an Explorer was asked to send.
type SentExplorerTestEmail struct {
	Version  string
	Explorer string // "exchange", "onedrive", "sharepoint", "teams"
	Route    string // e.g. "POST /VetEmailSettings/sendTest"
	To       string // the recipient of the request
	Settings ExplorerEmailSettings
}

// explorerEmailState is the fake's state of the four accounts.
type explorerEmailState struct {
	accounts map[string]*ExplorerEmailSettings // by Explorer; absent: never written
	sent     []SentExplorerTestEmail
	// signInKinds: requestId -> the kind PrepareOAuthSignIn was asked for
	// (Microsoft365, GoogleGmail). An Explorer's PUT has no
	// authenticationType: the requestId's kind is its type.
	signInKinds map[string]string
}

// noteSignInKind remembers the kind of a sign-in. Callers hold s.mu.
func (s *Server) noteSignInKind(requestID, kind string) {
	if s.explorers.signInKinds == nil {
		s.explorers.signInKinds = map[string]string{}
	}
	s.explorers.signInKinds[requestID] = kind
}

// explorerMailbox is one Explorer's routes.
type explorerMailbox struct {
	name string // "exchange"
	path string // "/VexEmailSettings"
	// sharePointShape: RESTSharePointSmtpSettings (OneDrive, SharePoint),
	// whose enableNotification, port, useAuthentication, useSSL and (v8)
	// userId are not nullable; RESTSmtpSettings (Exchange, Teams) declares
	// them nullable.
	sharePointShape bool
	// tests are the test-mail routes: the path below path and the versions.
	tests []explorerTestRoute
}

type explorerTestRoute struct {
	path     string
	versions []string
	v6, v7   int // success status; v8 is always 204
}

var explorerMailboxes = []explorerMailbox{
	{name: "exchange", path: "/VexEmailSettings", tests: []explorerTestRoute{
		{"/SendTest", []string{"v6", "v7"}, http.StatusOK, http.StatusOK},
		{"/SendTestEmail", []string{"v8"}, 0, 0},
	}},
	{name: "onedrive", path: "/VeodEmailSettings", sharePointShape: true, tests: []explorerTestRoute{
		{"/SendTestEmail", []string{"v6", "v7", "v8"}, http.StatusOK, http.StatusOK},
	}},
	{name: "sharepoint", path: "/VespEmailSettings", sharePointShape: true, tests: []explorerTestRoute{
		{"/SendTestEmail", []string{"v6", "v7", "v8"}, http.StatusOK, http.StatusOK},
	}},
	{name: "teams", path: "/VetEmailSettings", tests: []explorerTestRoute{
		// Lower-case s, as the v6 and v7 documents spell it.
		{"/sendTest", []string{"v6", "v7"}, http.StatusOK, http.StatusOK},
		{"/SendTestEmail", []string{"v8"}, 0, 0},
	}},
}

// defaultExplorerEmailSettings is a fresh install's account: off, port 25,
// SMTP. Veeam does not document the defaults (ExplorerEmailUnsetNull
// answers nulls instead).
func defaultExplorerEmailSettings() ExplorerEmailSettings {
	return ExplorerEmailSettings{Port: 25, AuthenticationType: "CustomSmtp"}
}

// explorerEmailSettingsRoutes adds the four accounts' routes and the
// out-of-band PATCH /_fake/explorer-email-settings?explorer=exchange.
func explorerEmailSettingsRoutes(r *router) {
	for _, e := range explorerMailboxes {
		r.handle(http.MethodGet, e.path, func(c *call) { c.getExplorerEmailSettings(e) })
		r.handle(http.MethodPut, e.path, func(c *call) { c.putExplorerEmailSettings(e) }, succeeds(http.StatusOK, http.StatusOK, http.StatusNoContent))
		for _, t := range e.tests {
			name := "POST " + e.path + t.path
			r.handle(http.MethodPost, e.path+t.path, func(c *call) { c.sendExplorerTestEmail(e, name) },
				onlyVersions(t.versions...), succeeds(t.v6, t.v7, http.StatusNoContent))
		}
		r.handle(http.MethodPost, e.path+"/PrepareOAuthSignIn", (*call).prepareOAuthSignIn, onlyVersions("v8"))
		r.handle(http.MethodPost, e.path+"/CompleteOAuthSignIn", (*call).completeOAuthSignIn, onlyVersions("v8"))
	}

	// PATCH /_fake/explorer-email-settings?explorer=teams {"enableNotification": true, ...}
	// takes API field names (server, port, ..., plus userPassword,
	// authenticationType, clientId, tenantId and isAuthenticated) and
	// changes them behind Terraform's back.
	r.handleAdmin(http.MethodPatch, "/_fake/explorer-email-settings", func(c *call) {
		e, ok := explorerMailboxNamed(c.query("explorer"))
		if !ok {
			c.writeJSON(http.StatusNotFound, map[string]any{"message": fmt.Sprintf("no Explorer %q: use exchange, onedrive, sharepoint or teams", c.query("explorer"))})
			return
		}
		var body map[string]json.RawMessage
		if !c.decode(&body) {
			return
		}
		s := c.s
		s.mu.Lock()
		defer s.mu.Unlock()
		next := s.explorerAccount(e.name)
		if problem := mergeExplorerEmailFields(&next, body, "", true); problem != "" {
			c.writeJSON(http.StatusBadRequest, map[string]any{"message": problem})
			return
		}
		s.storeExplorerAccount(e.name, next)
		c.noContent(http.StatusNoContent)
	})
}

func explorerMailboxNamed(name string) (explorerMailbox, bool) {
	for _, e := range explorerMailboxes {
		if strings.EqualFold(e.name, name) {
			return e, true
		}
	}
	return explorerMailbox{}, false
}

// explorerAccount returns a copy of an Explorer's account (the defaults
// when it was never written). Callers hold s.mu.
func (s *Server) explorerAccount(name string) ExplorerEmailSettings {
	if st, ok := s.explorers.accounts[name]; ok {
		return *st
	}
	return defaultExplorerEmailSettings()
}

// storeExplorerAccount stores an Explorer's account. Callers hold s.mu.
func (s *Server) storeExplorerAccount(name string, st ExplorerEmailSettings) {
	if s.explorers.accounts == nil {
		s.explorers.accounts = map[string]*ExplorerEmailSettings{}
	}
	s.explorers.accounts[name] = &st
}

// ExplorerEmailSettings returns a copy of an Explorer's stored account
// ("exchange", "onedrive", "sharepoint", "teams"), password included.
func (s *Server) ExplorerEmailSettings(explorer string) ExplorerEmailSettings {
	e := mustExplorer(explorer)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.explorerAccount(e.name)
}

// UpdateExplorerEmailSettings changes an Explorer's stored account out of
// band.
func (s *Server) UpdateExplorerEmailSettings(explorer string, change func(*ExplorerEmailSettings)) {
	e := mustExplorer(explorer)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.explorerAccount(e.name)
	change(&st)
	s.storeExplorerAccount(e.name, st)
}

// SentExplorerTestEmails returns the test mails the Explorers were asked
// to send.
func (s *Server) SentExplorerTestEmails() []SentExplorerTestEmail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentExplorerTestEmail(nil), s.explorers.sent...)
}

// CompleteOAuthSignInAs is CompleteOAuthSignInFor with the kind of account
// PrepareOAuthSignIn would have been asked for (Microsoft365, GoogleGmail),
// which an Explorer's PUT takes as its authentication type.
func (s *Server) CompleteOAuthSignInAs(userID, kind string) (requestID string) {
	requestID = s.CompleteOAuthSignInFor(userID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noteSignInKind(requestID, kind)
	return requestID
}

func mustExplorer(name string) explorerMailbox {
	e, ok := explorerMailboxNamed(name)
	if !ok {
		panic("vb365test: no Explorer " + name)
	}
	return e
}

func (c *call) getExplorerEmailSettings(e explorerMailbox) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	st, written := s.explorers.accounts[e.name]
	if !written {
		if s.opts.Quirks.ExplorerEmailUnsetNull {
			c.writeJSON(http.StatusOK, c.explorerEmailNulls(e))
			return
		}
		d := defaultExplorerEmailSettings()
		st = &d
	}
	c.writeJSON(http.StatusOK, c.explorerEmailJSON(e, *st))
}

// explorerEmailJSON is RESTSmtpSettings or RESTSharePointSmtpSettings in
// the call's version.
func (c *call) explorerEmailJSON(e explorerMailbox, st ExplorerEmailSettings) map[string]any {
	m := map[string]any{
		"enableNotification": st.EnableNotification,
		"server":             c.text(st.SMTPServer),
		"port":               st.Port,
		"from":               c.text(st.From),
		"useAuthentication":  st.UseAuthentication,
		"useSSL":             st.UseSSL,
		"username":           c.text(st.Username),
		"_links":             map[string]any{"self": c.link(e.path)},
	}
	if st.Port == 0 && !e.sharePointShape {
		m["port"] = nil
	}
	if c.version != "v8" {
		return m
	}
	m["authenticationType"] = st.AuthenticationType
	m["clientId"] = c.text(st.ClientID)
	m["tenantId"] = c.text(st.TenantID)
	m["userId"] = nullable(st.UserID)
	if e.sharePointShape {
		m["userId"] = c.text(st.UserID)
	}
	m["mailApiUrl"] = nullable(st.MailAPIURL)
	m["isAuthenticated"] = st.IsAuthenticated
	return m
}

// explorerEmailNulls is a never-written account under
// ExplorerEmailUnsetNull: every field null.
func (c *call) explorerEmailNulls(e explorerMailbox) map[string]any {
	m := map[string]any{"_links": map[string]any{"self": c.link(e.path)}}
	fields := []string{"enableNotification", "server", "port", "from", "useAuthentication", "useSSL", "username"}
	if c.version == "v8" {
		fields = append(fields, "authenticationType", "clientId", "tenantId", "userId", "mailApiUrl", "isAuthenticated")
	}
	for _, f := range fields {
		m[f] = nil
	}
	return m
}

// PUT changes the fields the body carries (ExplorerEmailPutReplaces: sets
// the account to the body), validates the result and answers a bodiless
// 200 (v6, v7) or 204 (v8).
func (c *call) putExplorerEmailSettings(e explorerMailbox) {
	var body map[string]json.RawMessage
	if !c.decode(&body) {
		return
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.explorerAccount(e.name)
	next := prev
	if s.opts.Quirks.ExplorerEmailPutReplaces {
		next = defaultExplorerEmailSettings()
		if prev.AuthenticationType != "CustomSmtp" && hasField(body, "userId") && strings.EqualFold(explorerField(body, "userId"), prev.UserID) {
			// The body names the signed-in account: the sign-in stays.
			next.AuthenticationType, next.UserID, next.IsAuthenticated = prev.AuthenticationType, prev.UserID, prev.IsAuthenticated
			next.ClientID, next.TenantID, next.RequestID = prev.ClientID, prev.TenantID, prev.RequestID
		}
	}
	if problem := mergeExplorerEmailFields(&next, body, c.version, false); problem != "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
		return
	}
	switch {
	case hasField(body, "requestId"):
		if problem := s.useSignIn(&next, body); problem != "" {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
			return
		}
		// The request has no authenticationType: the sign-in's kind is it.
		next.AuthenticationType = s.explorers.signInKinds[next.RequestID]
		if next.AuthenticationType == "" {
			next.AuthenticationType = "Microsoft365"
		}
	case s.opts.Quirks.ExplorerSMTPWithoutRequestID:
		next.AuthenticationType, next.UserID, next.IsAuthenticated = "CustomSmtp", "", false
	}
	if next.EnableNotification {
		if problem := senderProblem(next); problem != "" {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
			return
		}
	}
	s.storeExplorerAccount(e.name, next)
	c.noContent(c.success())
}

// explorerField returns a string field of a body ("" when absent or not a
// string), its name matched without regard to case.
func explorerField(body map[string]json.RawMessage, name string) string {
	for k, raw := range body {
		if strings.EqualFold(k, name) {
			var v string
			_ = json.Unmarshal(raw, &v)
			return v
		}
	}
	return ""
}

// mergeExplorerEmailFields applies a body to st with the audit settings'
// rules (mergeAuditEmailFields) under the Explorers' names: server for
// smtpServer; to, subject and authenticationType are not in the Explorers'
// requests and are ignored as unknown, as model binding ignores them. Before
// v8 the OAuth fields are refused (a real server would drop them silently:
// refusing makes a client that sends them visible in tests). admin also
// accepts the read-only fields, authenticationType included.
func mergeExplorerEmailFields(st *ExplorerEmailSettings, body map[string]json.RawMessage, version string, admin bool) (problem string) {
	shared := map[string]json.RawMessage{}
	for k, raw := range body {
		switch key := strings.ToLower(k); key {
		case "server":
			shared["smtpServer"] = raw
		case "smtpserver", "to", "subject":
		case "authenticationtype":
			if admin {
				shared[k] = raw
			}
		case "userid", "mailapiurl", "requestid":
			if !admin && version != "v8" && hasField(map[string]json.RawMessage{k: raw}, k) {
				return fmt.Sprintf("The property '%s' is not supported by REST API %s; the Explorers' OAuth sign-in needs v8.", k, version)
			}
			shared[k] = raw
		default:
			shared[k] = raw
		}
	}
	return mergeAuditEmailFields(st, shared, "", admin)
}

// SendTest / sendTest (v6, v7) and SendTestEmail: the body names the
// recipient; record the mail and answer 200 or 204 with no body. An
// account that cannot send is refused.
func (c *call) sendExplorerTestEmail(e explorerMailbox, route string) {
	var in struct {
		Email string `json:"email"`
	}
	if !c.decode(&in) {
		return
	}
	if _, err := mail.ParseAddress(in.Email); err != nil || strings.ContainsAny(in.Email, "<>") {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "Cannot send a test e-mail: %q is not an e-mail address.", in.Email)
		return
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.explorerAccount(e.name)
	if problem := senderProblem(st); problem != "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "Cannot send a test e-mail: %s", problem)
		return
	}
	s.explorers.sent = append(s.explorers.sent, SentExplorerTestEmail{Version: c.version, Explorer: e.name, Route: route, To: in.Email, Settings: st})
	c.noContent(c.success())
}

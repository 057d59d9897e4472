package vb365test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// The e-mail settings singletons, /AuditEmailSettings and
// /VboEmailSettings (job notifications): each read with GET and changed with
// a merging PUT. The password is stored but never returned. Both share the
// fields of AuditEmailSettings; the job settings add JobFlags.

// emailSettingsStore says where one singleton lives.
type emailSettingsStore struct {
	path      string // "/AuditEmailSettings"
	adminPath string // "/_fake/audit-email-settings"
	what      string // "audit e-mails", in messages
	shared    func(*Server) *AuditEmailSettings
	flags     func(*Server) *JobFlags // nil: no job flags
}

var (
	auditEmailStore = emailSettingsStore{
		path: "/AuditEmailSettings", adminPath: "/_fake/audit-email-settings", what: "audit e-mails",
		shared: func(s *Server) *AuditEmailSettings { return &s.settings },
	}
	jobEmailStore = emailSettingsStore{
		path: "/VboEmailSettings", adminPath: "/_fake/job-email-settings", what: "job notification e-mails",
		shared: func(s *Server) *AuditEmailSettings { return &s.job.AuditEmailSettings },
		flags:  func(s *Server) *JobFlags { return &s.job.JobFlags },
	}
)

// auditEmailSettingsRoutes adds the audit e-mail settings routes.
func auditEmailSettingsRoutes(r *router) { auditEmailStore.routes(r) }

// jobEmailSettingsRoutes adds the job notification e-mail settings routes.
func jobEmailSettingsRoutes(r *router) { jobEmailStore.routes(r) }

func (e emailSettingsStore) routes(r *router) {
	r.handle(http.MethodGet, e.path, func(c *call) { c.getEmailSettings(e) })
	r.handle(http.MethodPut, e.path, func(c *call) { c.putEmailSettings(e) }, succeeds(http.StatusOK, http.StatusOK, http.StatusNoContent))
	r.handle(http.MethodPost, e.path+"/SendTest", func(c *call) { c.sendTestEmail(e) }, onlyVersions("v6", "v7"))
	r.handle(http.MethodPost, e.path+"/SendTestEmail", func(c *call) { c.sendTestEmail(e) }, onlyVersions("v8"), succeeds(0, 0, http.StatusNoContent))
	r.handle(http.MethodPost, e.path+"/PrepareOAuthSignIn", (*call).prepareOAuthSignIn, onlyVersions("v7", "v8"))
	r.handle(http.MethodPost, e.path+"/CompleteOAuthSignIn", (*call).completeOAuthSignIn, onlyVersions("v7", "v8"))

	// PATCH /_fake/audit-email-settings {"to": "...", "enableNotification": false, ...}
	// takes API field names (any version's, plus userPassword, clientId,
	// tenantId and isAuthenticated) and changes them behind Terraform's back.
	r.handleAdmin(http.MethodPatch, e.adminPath, func(c *call) {
		var body map[string]json.RawMessage
		if !c.decode(&body) {
			return
		}
		s := c.s
		s.mu.Lock()
		defer s.mu.Unlock()
		next, flags := e.load(s)
		if problem := mergeAuditEmailFields(&next, body, "", true); problem != "" {
			c.writeJSON(http.StatusBadRequest, map[string]any{"message": problem})
			return
		}
		if problem := mergeJobFlags(flags, body); problem != "" {
			c.writeJSON(http.StatusBadRequest, map[string]any{"message": problem})
			return
		}
		e.store(s, next, flags)
		c.noContent(http.StatusNoContent)
	})
}

// load copies a singleton's stored state (flags nil without job flags).
// Callers hold s.mu.
func (e emailSettingsStore) load(s *Server) (AuditEmailSettings, *JobFlags) {
	if e.flags == nil {
		return *e.shared(s), nil
	}
	f := *e.flags(s)
	return *e.shared(s), &f
}

func (e emailSettingsStore) store(s *Server, st AuditEmailSettings, flags *JobFlags) {
	*e.shared(s) = st
	if flags != nil {
		*e.flags(s) = *flags
	}
}

// JobEmailSettings returns a copy of the stored job notification settings,
// password included.
func (s *Server) JobEmailSettings() JobEmailSettings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.job
}

// UpdateJobEmailSettings changes the stored job settings out of band.
func (s *Server) UpdateJobEmailSettings(change func(*JobEmailSettings)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change(&s.job)
}

// AuditEmailSettings returns a copy of the stored settings, password included.
func (s *Server) AuditEmailSettings() AuditEmailSettings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

// UpdateAuditEmailSettings changes the stored settings out of band.
func (s *Server) UpdateAuditEmailSettings(change func(*AuditEmailSettings)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change(&s.settings)
}

// SentTestEmails returns the test mails the fake was asked to send.
func (s *Server) SentTestEmails() []SentTestEmail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentTestEmail(nil), s.sent...)
}

var auditAuthTypes = map[string]string{
	"customsmtp":   "CustomSmtp",
	"microsoft365": "Microsoft365",
	"googlegmail":  "GoogleGmail",
}

func (c *call) emailSettingsJSON(e emailSettingsStore, st AuditEmailSettings, flags *JobFlags) map[string]any {
	m := map[string]any{
		"enableNotification": st.EnableNotification,
		"smtpServer":         c.text(st.SMTPServer),
		"port":               nil,
		"useAuthentication":  st.UseAuthentication,
		"username":           c.text(st.Username),
		"useSSL":             st.UseSSL,
		"from":               c.text(st.From),
		"to":                 c.text(st.To),
		"subject":            c.text(st.Subject),
		"_links":             map[string]any{"self": c.link(e.path)},
	}
	if st.Port != 0 {
		m["port"] = st.Port
	}
	if flags != nil {
		m["notifyOnSuccess"] = flags.NotifyOnSuccess
		m["notifyOnWarning"] = flags.NotifyOnWarning
		m["notifyOnFailure"] = flags.NotifyOnFailure
		m["supressUntilLastRetry"] = flags.SupressUntilLastRetry
		m["attachDetailedReport"] = flags.AttachDetailedReport
	}
	if c.version == "v6" {
		return m
	}
	m["authenticationType"] = st.AuthenticationType
	m["userId"] = c.text(st.UserID)
	m["mailApiUrl"] = nullable(st.MailAPIURL)
	m["isAuthenticated"] = st.IsAuthenticated
	if c.version == "v7" {
		// v7 declares clientId and tenantId non-nullable.
		m["clientId"] = c.text(st.ClientID)
		m["tenantId"] = c.text(st.TenantID)
	} else {
		m["clientId"] = nullable(st.ClientID)
		m["tenantId"] = nullable(st.TenantID)
	}
	return m
}

func (c *call) getEmailSettings(e emailSettingsStore) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	st, flags := e.load(s)
	c.writeJSON(http.StatusOK, c.emailSettingsJSON(e, st, flags))
}

// PUT merges the non-null fields of the body into the stored settings,
// validates the result and answers 204 (v8) or a bodiless 200 (v6, v7).
func (c *call) putEmailSettings(e emailSettingsStore) {
	var body map[string]json.RawMessage
	if !c.decode(&body) {
		return
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	next, flags := e.load(s)
	if problem := mergeAuditEmailFields(&next, body, c.version, false); problem != "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
		return
	}
	if problem := mergeJobFlags(flags, body); problem != "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
		return
	}
	// A requestId must come from a completed sign-in; it authenticates the
	// account it was issued for.
	if hasField(body, "requestId") {
		userID := s.oauth[next.RequestID]
		switch {
		case userID == "":
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure",
				"The OAuth sign-in request %q was not found or has expired. Sign in again (PrepareOAuthSignIn, CompleteOAuthSignIn).", next.RequestID)
			return
		case !hasField(body, "userId"):
			next.UserID = userID
		case !strings.EqualFold(next.UserID, userID):
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure",
				"The OAuth sign-in request was completed by %s, not by %s.", userID, next.UserID)
			return
		}
		next.IsAuthenticated = true
	}
	if msg := validateAuditEmailSettings(next); msg != "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", msg)
		return
	}
	e.store(s, next, flags)
	c.noContent(c.success())
}

func validateAuditEmailSettings(st AuditEmailSettings) string {
	if !st.EnableNotification {
		return ""
	}
	switch st.AuthenticationType {
	case "CustomSmtp", "":
		if st.SMTPServer == "" {
			return "SMTP server is not specified."
		}
		if st.UseAuthentication && st.Username == "" {
			return "SMTP user name is not specified."
		}
	default:
		if st.UserID == "" || !st.IsAuthenticated {
			return fmt.Sprintf("The %s account is not signed in. Sign in (PrepareOAuthSignIn, CompleteOAuthSignIn) and send userId and requestId.", st.AuthenticationType)
		}
	}
	if st.To == "" {
		return "Recipient e-mail address is not specified."
	}
	return ""
}

func hasField(body map[string]json.RawMessage, name string) bool {
	for k, v := range body {
		if strings.EqualFold(k, name) && !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return true
		}
	}
	return false
}

// mergeAuditEmailFields applies the non-null fields of a body to st and
// returns the server's message when a field is refused. Field
// names are matched without regard to case (the server's binder does the
// same: v5 documents "userpassword", the spec "userPassword"). Unknown
// fields are ignored, as ASP.NET model binding ignores them.
//
// On v6 the OAuth fields are refused rather than ignored: a v6 server would
// drop them silently, and refusing makes a client that sends v7 fields to
// v6 visible in tests. admin also accepts the read-only fields (clientId,
// tenantId, isAuthenticated).
func mergeAuditEmailFields(st *AuditEmailSettings, body map[string]json.RawMessage, version string, admin bool) (problem string) {
	for k, raw := range body {
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		key := strings.ToLower(k)
		var err error
		str := func(dst *string) { err = json.Unmarshal(raw, dst) }
		boolean := func(dst *bool) { err = json.Unmarshal(raw, dst) }
		if version == "v6" && !admin {
			switch key {
			case "authenticationtype", "userid", "mailapiurl", "requestid":
				return fmt.Sprintf("The property '%s' is not supported by REST API v6; OAuth sign-in for e-mails needs v7 or later.", k)
			}
		}
		switch key {
		case "enablenotification":
			boolean(&st.EnableNotification)
		case "smtpserver":
			str(&st.SMTPServer)
		case "port":
			var p int
			if err = json.Unmarshal(raw, &p); err == nil {
				if p < 1 || p > 65535 {
					return fmt.Sprintf("The port %d is out of range (1-65535).", p)
				}
				st.Port = p
			}
		case "useauthentication":
			boolean(&st.UseAuthentication)
		case "username":
			str(&st.Username)
		case "userpassword":
			str(&st.Password)
		case "usessl":
			boolean(&st.UseSSL)
		case "from":
			str(&st.From)
		case "to":
			str(&st.To)
		case "subject":
			str(&st.Subject)
		case "authenticationtype":
			var t string
			if err = json.Unmarshal(raw, &t); err == nil {
				canon, ok := auditAuthTypes[strings.ToLower(t)]
				if !ok {
					return fmt.Sprintf("The authentication type '%s' is not valid: use CustomSmtp, Microsoft365 or GoogleGmail.", t)
				}
				st.AuthenticationType = canon
			}
		case "userid":
			str(&st.UserID)
		case "mailapiurl":
			str(&st.MailAPIURL)
		case "requestid":
			str(&st.RequestID)
		case "clientid", "tenantid", "isauthenticated":
			if !admin {
				continue
			}
			switch key {
			case "clientid":
				str(&st.ClientID)
			case "tenantid":
				str(&st.TenantID)
			default:
				boolean(&st.IsAuthenticated)
			}
		}
		if err != nil {
			return fmt.Sprintf("The property '%s' has an invalid value: %v", k, err)
		}
	}
	return ""
}

// mergeJobFlags applies the job flags of a body (nil flags: the settings
// have none, and the fields are ignored as unknown).
func mergeJobFlags(flags *JobFlags, body map[string]json.RawMessage) (problem string) {
	if flags == nil {
		return ""
	}
	for k, raw := range body {
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		var dst *bool
		switch strings.ToLower(k) {
		case "notifyonsuccess":
			dst = &flags.NotifyOnSuccess
		case "notifyonwarning":
			dst = &flags.NotifyOnWarning
		case "notifyonfailure":
			dst = &flags.NotifyOnFailure
		case "supressuntillastretry":
			dst = &flags.SupressUntilLastRetry
		case "attachdetailedreport":
			dst = &flags.AttachDetailedReport
		default:
			continue
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return fmt.Sprintf("The property '%s' has an invalid value: %v", k, err)
		}
	}
	return ""
}

// SendTest (v6, v7) and SendTestEmail (v8): record the mail, answer 200 or
// 204 with no body. Settings that cannot send anything are refused.
func (c *call) sendTestEmail(e emailSettingsStore) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	st := *e.shared(s)
	switch {
	case st.AuthenticationType == "CustomSmtp" && st.SMTPServer == "":
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "Cannot send a test e-mail: the SMTP server is not specified.")
		return
	case st.AuthenticationType != "CustomSmtp" && !st.IsAuthenticated:
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "Cannot send a test e-mail: the %s account is not signed in.", st.AuthenticationType)
		return
	case st.To == "":
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "Cannot send a test e-mail: no recipient is specified.")
		return
	}
	s.sent = append(s.sent, SentTestEmail{Version: c.version, Path: e.path, Settings: st})
	c.noContent(c.success())
}

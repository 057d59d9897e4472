package vb365

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Authentication types of the e-mail settings (RESTAuthenticationType).
const (
	EmailAuthCustomSMTP   = "CustomSmtp"
	EmailAuthMicrosoft365 = "Microsoft365"
	EmailAuthGoogleGmail  = "GoogleGmail"
)

// EmailSettings is what the two e-mail settings singletons share: the audit
// e-mail settings (RESTAuditEmailSettingsResponse, the e-mail VB365 sends
// when someone restores or browses the data of an audited user or group) are
// exactly this; the job notification settings (JobEmailSettings) add their
// flags. The SMTP password is never returned by the server.
//
// Null fields decode as the zero value. The OAuth fields (AuthenticationType
// to IsAuthenticated) exist from v7; a v6 server has only the SMTP fields,
// and AuthenticationType is then reported as CustomSmtp.
type EmailSettings struct {
	EnableNotification bool
	SMTPServer         string
	// Port is 0 when the server sends null.
	Port              int
	UseAuthentication bool
	Username          string
	UseSSL            bool
	From              string
	// To holds the recipients; the wire format is one string separated by ';'.
	To      []string
	Subject string

	AuthenticationType string
	ClientID           string
	TenantID           string
	UserID             string
	MailAPIURL         string
	IsAuthenticated    bool

	// NullBooleans names the boolean fields the server sent as null or
	// left out (JSON names), which read as false above: a caller that
	// wrote them can tell "not returned" from "false".
	NullBooleans map[string]bool
	// UsernameNotReported: the answer has no username at all, not even
	// null. v5's documents list username among the fields of a PUT only
	// [C-doc]: Username is then unknown, not empty.
	UsernameNotReported bool
}

// emailSettingsWire is the shared JSON of both settings responses.
type emailSettingsWire struct {
	EnableNotification *bool    `json:"enableNotification"`
	SMTPServer         *string  `json:"smtpServer"`
	Port               *int     `json:"port"`
	UseAuthentication  *bool    `json:"useAuthentication"`
	Username           presence `json:"username"`
	UseSSL             *bool    `json:"useSSL"`
	From               *string  `json:"from"`
	To                 *string  `json:"to"`
	Subject            *string  `json:"subject"`
	AuthenticationType *string  `json:"authenticationType"`
	ClientID           *string  `json:"clientId"`
	TenantID           *string  `json:"tenantId"`
	UserID             *string  `json:"userId"`
	MailAPIURL         *string  `json:"mailApiUrl"`
	IsAuthenticated    *bool    `json:"isAuthenticated"`
}

// EmailSettingsUpdate is RESTAuditEmailSettingsRequest, and the shared part
// of RESTNotificationEmailSettingsRequest. The server
// changes only the fields that are sent: a nil pointer (or a nil To) leaves
// the stored value as it is. UserPassword and RequestID are write-only on
// the server.
type EmailSettingsUpdate struct {
	EnableNotification *bool
	SMTPServer         *string
	Port               *int
	UseAuthentication  *bool
	Username           *string
	UserPassword       *string
	UseSSL             *bool
	From               *string
	// To replaces the recipients when not nil.
	To      []string
	Subject *string

	// v7 and later.
	AuthenticationType *string
	UserID             *string
	MailAPIURL         *string
	// RequestID comes from completeAuditEmailOAuthSignIn.
	RequestID *string
}

type emailSettingsUpdateWire struct {
	EnableNotification *bool   `json:"enableNotification,omitempty"`
	SMTPServer         *string `json:"smtpServer,omitempty"`
	Port               *int    `json:"port,omitempty"`
	UseAuthentication  *bool   `json:"useAuthentication,omitempty"`
	Username           *string `json:"username,omitempty"`
	UserPassword       *string `json:"userPassword,omitempty"`
	UseSSL             *bool   `json:"useSSL,omitempty"`
	From               *string `json:"from,omitempty"`
	To                 *string `json:"to,omitempty"`
	Subject            *string `json:"subject,omitempty"`
	AuthenticationType *string `json:"authenticationType,omitempty"`
	UserID             *string `json:"userId,omitempty"`
	MailAPIURL         *string `json:"mailApiUrl,omitempty"`
	RequestID          *string `json:"requestId,omitempty"`
}

// presence is a string field of an answer that tells a field left out
// (sent false) from one sent as null.
type presence struct {
	sent  bool
	value *string
}

func (p *presence) UnmarshalJSON(b []byte) error {
	p.sent = true
	return json.Unmarshal(b, &p.value)
}

// splitRecipients splits the server's "a@x;b@x" form into addresses,
// trimming blanks and dropping empty entries.
func splitRecipients(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// joinRecipients renders addresses in the server's form, separated by ';'.
func joinRecipients(to []string) string { return strings.Join(to, ";") }

// settings converts the shared part of an answer. Booleans the server sent
// as null or left out are named in NullBooleans.
func (w *emailSettingsWire) settings() *EmailSettings {
	s := &EmailSettings{
		EnableNotification:  deref(w.EnableNotification),
		SMTPServer:          deref(w.SMTPServer),
		Port:                deref(w.Port),
		UseAuthentication:   deref(w.UseAuthentication),
		Username:            deref(w.Username.value),
		UsernameNotReported: !w.Username.sent,
		UseSSL:              deref(w.UseSSL),
		From:                deref(w.From),
		To:                  splitRecipients(deref(w.To)),
		Subject:             deref(w.Subject),
		AuthenticationType:  deref(w.AuthenticationType),
		ClientID:            deref(w.ClientID),
		TenantID:            deref(w.TenantID),
		UserID:              deref(w.UserID),
		MailAPIURL:          deref(w.MailAPIURL),
		IsAuthenticated:     deref(w.IsAuthenticated),
	}
	s.nullBoolean("enableNotification", w.EnableNotification)
	s.nullBoolean("useAuthentication", w.UseAuthentication)
	s.nullBoolean("useSSL", w.UseSSL)
	if s.AuthenticationType == "" {
		// v6 knows only SMTP; a null from v7+ means the default.
		s.AuthenticationType = EmailAuthCustomSMTP
	}
	return s
}

// nullBoolean records a boolean the server did not send.
func (s *EmailSettings) nullBoolean(name string, v *bool) {
	if v == nil {
		if s.NullBooleans == nil {
			s.NullBooleans = map[string]bool{}
		}
		s.NullBooleans[name] = true
	}
}

// wire renders the shared part of a PUT for the client's version. On v6,
// which has no OAuth sign-in, an OAuth field (or an authentication type
// other than CustomSmtp) is refused with ErrUnsupported; what names the
// settings in the message.
func (c *Client) emailUpdateWire(u EmailSettingsUpdate, what string) (emailSettingsUpdateWire, error) {
	w := emailSettingsUpdateWire{
		EnableNotification: u.EnableNotification,
		SMTPServer:         u.SMTPServer,
		Port:               u.Port,
		UseAuthentication:  u.UseAuthentication,
		Username:           u.Username,
		UserPassword:       u.UserPassword,
		UseSSL:             u.UseSSL,
		From:               u.From,
		Subject:            u.Subject,
		AuthenticationType: u.AuthenticationType,
		UserID:             u.UserID,
		MailAPIURL:         u.MailAPIURL,
		RequestID:          u.RequestID,
	}
	if u.To != nil {
		to := joinRecipients(u.To)
		w.To = &to
	}
	if !c.spec.emailOAuth {
		var unsupported []string
		if w.AuthenticationType != nil && *w.AuthenticationType != EmailAuthCustomSMTP {
			unsupported = append(unsupported, "authenticationType "+*w.AuthenticationType)
		}
		if w.UserID != nil {
			unsupported = append(unsupported, "userId")
		}
		if w.MailAPIURL != nil {
			unsupported = append(unsupported, "mailApiUrl")
		}
		if w.RequestID != nil {
			unsupported = append(unsupported, "requestId")
		}
		if len(unsupported) > 0 {
			return w, c.requireEmailOAuth(what + " OAuth sign-in (" + strings.Join(unsupported, ", ") + ")")
		}
		// v6 sends every mail through SMTP; the field does not exist.
		w.AuthenticationType = nil
	}
	return w, nil
}

func (c *Client) requireEmailOAuth(op string) error {
	if !c.spec.emailOAuth {
		return fmt.Errorf("%w: %s needs REST API v7 or later, the client speaks %s", ErrUnsupported, op, c.version)
	}
	return nil
}

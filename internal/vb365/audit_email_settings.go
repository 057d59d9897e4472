package vb365

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// Authentication types of the audit e-mail settings (RESTAuthenticationType).
const (
	AuditEmailAuthCustomSMTP   = "CustomSmtp"
	AuditEmailAuthMicrosoft365 = "Microsoft365"
	AuditEmailAuthGoogleGmail  = "GoogleGmail"
)

// AuditEmailSettings is RESTAuditEmailSettingsResponse: where VB365 sends an
// e-mail when someone restores or browses the data of an audited user or
// group. The SMTP password is never returned by the server.
//
// Null fields decode as the zero value. The OAuth fields (AuthenticationType
// to IsAuthenticated) exist from v7; a v6 server has only the SMTP fields,
// and AuthenticationType is then reported as CustomSmtp.
type AuditEmailSettings struct {
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
}

// auditEmailSettingsWire is the JSON of RESTAuditEmailSettingsResponse.
type auditEmailSettingsWire struct {
	EnableNotification *bool   `json:"enableNotification"`
	SMTPServer         *string `json:"smtpServer"`
	Port               *int    `json:"port"`
	UseAuthentication  *bool   `json:"useAuthentication"`
	Username           *string `json:"username"`
	UseSSL             *bool   `json:"useSSL"`
	From               *string `json:"from"`
	To                 *string `json:"to"`
	Subject            *string `json:"subject"`
	AuthenticationType *string `json:"authenticationType"`
	ClientID           *string `json:"clientId"`
	TenantID           *string `json:"tenantId"`
	UserID             *string `json:"userId"`
	MailAPIURL         *string `json:"mailApiUrl"`
	IsAuthenticated    *bool   `json:"isAuthenticated"`
}

// AuditEmailSettingsUpdate is RESTAuditEmailSettingsRequest. The server
// changes only the fields that are sent: a nil pointer (or a nil To) leaves
// the stored value as it is. UserPassword and RequestID are write-only on
// the server.
type AuditEmailSettingsUpdate struct {
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

type auditEmailSettingsUpdateWire struct {
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

// GetAuditEmailSettings reads the audit e-mail notification settings.
func (c *Client) GetAuditEmailSettings(ctx context.Context) (*AuditEmailSettings, error) {
	var w auditEmailSettingsWire
	if err := c.do(ctx, request{method: http.MethodGet, path: "AuditEmailSettings", wantStatus: http.StatusOK, idempotent: true}, &w); err != nil {
		return nil, err
	}
	s := &AuditEmailSettings{
		EnableNotification: deref(w.EnableNotification),
		SMTPServer:         deref(w.SMTPServer),
		Port:               deref(w.Port),
		UseAuthentication:  deref(w.UseAuthentication),
		Username:           deref(w.Username),
		UseSSL:             deref(w.UseSSL),
		From:               deref(w.From),
		To:                 splitRecipients(deref(w.To)),
		Subject:            deref(w.Subject),
		AuthenticationType: deref(w.AuthenticationType),
		ClientID:           deref(w.ClientID),
		TenantID:           deref(w.TenantID),
		UserID:             deref(w.UserID),
		MailAPIURL:         deref(w.MailAPIURL),
		IsAuthenticated:    deref(w.IsAuthenticated),
	}
	for name, v := range map[string]*bool{"enableNotification": w.EnableNotification, "useAuthentication": w.UseAuthentication, "useSSL": w.UseSSL} {
		if v == nil {
			if s.NullBooleans == nil {
				s.NullBooleans = map[string]bool{}
			}
			s.NullBooleans[name] = true
		}
	}
	if s.AuthenticationType == "" {
		// v6 knows only SMTP; a null from v7+ means the default.
		s.AuthenticationType = AuditEmailAuthCustomSMTP
	}
	return s, nil
}

// UpdateAuditEmailSettings changes the fields set in u and leaves the others
// as the server has them. On v6, which has no OAuth sign-in, an OAuth field
// (or an authentication type other than CustomSmtp) is refused with
// ErrUnsupported before anything is sent.
func (c *Client) UpdateAuditEmailSettings(ctx context.Context, u AuditEmailSettingsUpdate) error {
	w := auditEmailSettingsUpdateWire{
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
	if !c.spec.auditEmailOAuth {
		var unsupported []string
		if w.AuthenticationType != nil && *w.AuthenticationType != AuditEmailAuthCustomSMTP {
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
			return c.requireAuditEmailOAuth("audit e-mail OAuth sign-in (" + strings.Join(unsupported, ", ") + ")")
		}
		// v6 sends every audit mail through SMTP; the field does not exist.
		w.AuthenticationType = nil
	}
	return c.do(ctx, request{method: http.MethodPut, path: c.spec.auditEmailPut.path, body: w, wantStatus: c.spec.auditEmailPut.status, idempotent: true}, nil)
}

// SendAuditTestEmail asks the server to send a test audit e-mail with the
// stored settings (SendTestEmail in v8, SendTest in v6 and v7). It is not
// retried after a server error, so that one call sends at most one mail.
func (c *Client) SendAuditTestEmail(ctx context.Context) error {
	return c.do(ctx, request{method: http.MethodPost, path: c.spec.auditEmailTest.path, wantStatus: c.spec.auditEmailTest.status}, nil)
}

// AuditTestEmailPath returns the path, below the version prefix, that sends
// the test audit e-mail in the client's version (for messages).
func (c *Client) AuditTestEmailPath() string {
	return "/" + string(c.version) + "/" + c.spec.auditEmailTest.path
}

// OAuthSignInRequest is RESTPrepareOAuthSignInRequest.
type OAuthSignInRequest struct {
	// Kind is Microsoft365 or GoogleGmail.
	Kind string `json:"authenticationServiceKind"`
	// ClientID, ClientSecret and TenantID name your own Entra / Google
	// application; leave them empty to use Veeam's application.
	ClientID     string `json:"clientId,omitempty"`
	ClientSecret string `json:"clientSecret,omitempty"`
	TenantID     string `json:"tenantId,omitempty"`
	// RedirectURL is where the browser lands after the sign-in, with code
	// and state in its query, e.g. http://localhost.
	RedirectURL string `json:"redirectUrl"`
}

// OAuthSignIn is RESTPrepareOAuthSignInResponse.
type OAuthSignIn struct {
	RequestID string `json:"requestId"`
	SignInURL string `json:"signInUrl"`
}

// OAuthSignInResult is RESTCompleteOAuthSignInResponse: the userId and
// requestId to PUT into the audit e-mail settings.
type OAuthSignInResult struct {
	RequestID string `json:"requestId"`
	UserID    string `json:"userId"`
}

func (c *Client) requireAuditEmailOAuth(op string) error {
	if !c.spec.auditEmailOAuth {
		return fmt.Errorf("%w: %s needs REST API v7 or later, the client speaks %s", ErrUnsupported, op, c.version)
	}
	return nil
}

// prepareAuditEmailOAuthSignIn starts the browser sign-in of the account
// that sends audit e-mails (v7+).
func (c *Client) prepareAuditEmailOAuthSignIn(ctx context.Context, r OAuthSignInRequest) (*OAuthSignIn, error) {
	if err := c.requireAuditEmailOAuth("PrepareOAuthSignIn"); err != nil {
		return nil, err
	}
	var out OAuthSignIn
	if err := c.do(ctx, request{method: http.MethodPost, path: "AuditEmailSettings/PrepareOAuthSignIn", body: r, wantStatus: http.StatusOK}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// completeAuditEmailOAuthSignIn finishes the sign-in with the code and
// state the browser was redirected with (v7+).
func (c *Client) completeAuditEmailOAuthSignIn(ctx context.Context, code, state string) (*OAuthSignInResult, error) {
	if err := c.requireAuditEmailOAuth("CompleteOAuthSignIn"); err != nil {
		return nil, err
	}
	body := map[string]string{"code": code, "state": state}
	var out OAuthSignInResult
	if err := c.do(ctx, request{method: http.MethodPost, path: "AuditEmailSettings/CompleteOAuthSignIn", body: body, wantStatus: http.StatusOK}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

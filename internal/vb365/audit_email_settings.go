package vb365

import (
	"context"
	"errors"
	"net/http"
)

// GetAuditEmailSettings reads the audit e-mail notification settings.
func (c *Client) GetAuditEmailSettings(ctx context.Context) (*EmailSettings, error) {
	var w emailSettingsWire
	if err := c.do(ctx, request{method: http.MethodGet, path: "AuditEmailSettings", wantStatus: http.StatusOK, idempotent: true}, &w); err != nil {
		return nil, err
	}
	return w.settings(), nil
}

// UpdateAuditEmailSettings changes the fields set in u and leaves the others
// as the server has them. On v6, which has no OAuth sign-in, an OAuth field
// (or an authentication type other than CustomSmtp) is refused with
// ErrUnsupported before anything is sent.
func (c *Client) UpdateAuditEmailSettings(ctx context.Context, u EmailSettingsUpdate) error {
	w, err := c.emailUpdateWire(u, "audit e-mail")
	if err != nil {
		return err
	}
	return c.do(ctx, request{method: http.MethodPut, path: c.spec.auditEmailPut.path, body: w, wantStatus: c.spec.auditEmailPut.status, idempotent: true}, nil)
}

// SendAuditTestEmail asks the server to send a test audit e-mail with the
// stored settings (SendTestEmail in v8, SendTest in v6 and v7, the action
// sendTest in v5). It is not retried after a server error, so that one call
// sends at most one mail. Where the version's documents give no body (v5),
// each body the version table lists is sent in turn while the server
// refuses it as a bad request, which sends nothing: the last refusal is
// returned.
func (c *Client) SendAuditTestEmail(ctx context.Context) error {
	t := c.spec.auditEmailTest
	bodies := c.spec.auditEmailTestBodies
	if len(bodies) == 0 {
		return c.do(ctx, request{method: http.MethodPost, path: t.path, wantStatus: t.status}, nil)
	}
	var err error
	for i, body := range bodies {
		err = c.do(ctx, request{method: http.MethodPost, path: t.path, body: body, wantStatus: t.status}, nil)
		if !errors.Is(err, ErrBadRequest) {
			return err
		}
		c.log.Debug(ctx, "VB365 refused the test mail's body", map[string]any{"path": t.path, "body": i + 1, "of": len(bodies), "error": err.Error()})
	}
	return err
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
// requestId to PUT into the e-mail settings that were signed in.
type OAuthSignInResult struct {
	RequestID string `json:"requestId"`
	UserID    string `json:"userId"`
}

// prepareAuditEmailOAuthSignIn starts the browser sign-in of the account
// that sends audit e-mails (v7+).
func (c *Client) prepareAuditEmailOAuthSignIn(ctx context.Context, r OAuthSignInRequest) (*OAuthSignIn, error) {
	if err := c.requireEmailOAuth("PrepareOAuthSignIn"); err != nil {
		return nil, err
	}
	return c.prepareOAuthSignIn(ctx, "AuditEmailSettings", r)
}

// prepareOAuthSignIn posts PrepareOAuthSignIn below the path of the
// settings being signed in (AuditEmailSettings, VexEmailSettings, ...).
func (c *Client) prepareOAuthSignIn(ctx context.Context, settings string, r OAuthSignInRequest) (*OAuthSignIn, error) {
	var out OAuthSignIn
	if err := c.do(ctx, request{method: http.MethodPost, path: settings + "/PrepareOAuthSignIn", body: r, wantStatus: http.StatusOK}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// completeAuditEmailOAuthSignIn finishes the sign-in with the code and
// state the browser was redirected with (v7+).
func (c *Client) completeAuditEmailOAuthSignIn(ctx context.Context, code, state string) (*OAuthSignInResult, error) {
	if err := c.requireEmailOAuth("CompleteOAuthSignIn"); err != nil {
		return nil, err
	}
	return c.completeOAuthSignIn(ctx, "AuditEmailSettings", code, state)
}

// completeOAuthSignIn posts CompleteOAuthSignIn below the path of the
// settings being signed in.
func (c *Client) completeOAuthSignIn(ctx context.Context, settings, code, state string) (*OAuthSignInResult, error) {
	body := map[string]string{"code": code, "state": state}
	var out OAuthSignInResult
	if err := c.do(ctx, request{method: http.MethodPost, path: settings + "/CompleteOAuthSignIn", body: body, wantStatus: http.StatusOK}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

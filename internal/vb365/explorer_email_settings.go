package vb365

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// Explorer names one Veeam Explorer whose mail account
// (/VexEmailSettings, /VeodEmailSettings, /VespEmailSettings,
// /VetEmailSettings) sends backed-up items out by e-mail: the `.../send*`
// restore operations (sendToDifferentAddress takes any recipient) and the
// export reports go through it. It is not a notification setting.
type Explorer string

const (
	ExplorerExchange   Explorer = "exchange"   // /VexEmailSettings
	ExplorerOneDrive   Explorer = "onedrive"   // /VeodEmailSettings
	ExplorerSharePoint Explorer = "sharepoint" // /VespEmailSettings
	ExplorerTeams      Explorer = "teams"      // /VetEmailSettings
)

// Explorers lists every Explorer with a mail account, in a fixed order.
func Explorers() []Explorer {
	return []Explorer{ExplorerExchange, ExplorerOneDrive, ExplorerSharePoint, ExplorerTeams}
}

// ExplorerEmailSettings is what GET /Ve{x,od,sp,t}EmailSettings answers
// (RESTSmtpSettings for Exchange and Teams, RESTSharePointSmtpSettings for
// OneDrive and SharePoint; the two have the same fields), in the shape the
// other e-mail settings share:
//
//   - SMTPServer is the wire's "server" (the audit and job settings call it
//     smtpServer);
//   - To and Subject are always empty: an Explorer has neither, the
//     recipient comes with each send;
//   - AuthenticationType is empty where the version does not report it
//     (v6, v7), not CustomSmtp as for the other settings: a VB365 8 server
//     answering v7 may send through an OAuth account all the same;
//   - the OAuth fields (AuthenticationType to IsAuthenticated) exist from v8
//     only, one version later than for the audit and job settings.
//
// Null fields decode as the zero value, and the booleans that were null are
// named in NullBooleans: Exchange and Teams declare enableNotification,
// port, useAuthentication and useSSL nullable in every version.
type ExplorerEmailSettings struct {
	Explorer Explorer
	EmailSettings
}

// explorerEmailSettingsWire is both answers: the shared fields, with the
// server under its own name.
type explorerEmailSettingsWire struct {
	emailSettingsWire
	Server *string `json:"server"`
}

// ExplorerEmailSettingsUpdate is the PUT of an Explorer's mail account
// (RestSmtpSettingsFromClient for Exchange, RESTTeamsSmtpSettingsFromClient
// for Teams, RESTSharePointSmtpSettingsFromClient for OneDrive and
// SharePoint; the three have the same fields). A nil field is not sent.
//
// There is no authenticationType, to or subject: unlike the audit and job
// requests, the Explorers' requests have none. An OAuth account is chosen by
// sending the requestId of a completed sign-in (v8).
type ExplorerEmailSettingsUpdate struct {
	EnableNotification *bool   `json:"enableNotification,omitempty"`
	Server             *string `json:"server,omitempty"`
	Port               *int    `json:"port,omitempty"`
	UseAuthentication  *bool   `json:"useAuthentication,omitempty"`
	Username           *string `json:"username,omitempty"`
	// UserPassword is write-only on the server.
	UserPassword *string `json:"userPassword,omitempty"`
	UseSSL       *bool   `json:"useSSL,omitempty"`
	From         *string `json:"from,omitempty"`

	// v8 and later.
	UserID     *string `json:"userId,omitempty"`
	MailAPIURL *string `json:"mailApiUrl,omitempty"`
	// RequestID comes from CompleteOAuthSignIn; write-only on the server.
	RequestID *string `json:"requestId,omitempty"`
}

// explorerEmail returns the operations of an Explorer's mail account in the
// client's version.
func (c *Client) explorerEmail(e Explorer) (explorerEmailOps, error) {
	ops, ok := c.spec.explorerEmail[e]
	if !ok {
		names := make([]string, 0, len(c.spec.explorerEmail))
		for _, x := range Explorers() {
			names = append(names, string(x))
		}
		return ops, fmt.Errorf("vb365: unknown Explorer %q (known: %s)", e, strings.Join(names, ", "))
	}
	return ops, nil
}

// GetExplorerEmailSettings reads the mail account of one Explorer.
func (c *Client) GetExplorerEmailSettings(ctx context.Context, e Explorer) (*ExplorerEmailSettings, error) {
	ops, err := c.explorerEmail(e)
	if err != nil {
		return nil, err
	}
	var w explorerEmailSettingsWire
	if err := c.do(ctx, request{method: http.MethodGet, path: ops.put.path, wantStatus: http.StatusOK, idempotent: true}, &w); err != nil {
		return nil, err
	}
	s := &ExplorerEmailSettings{Explorer: e, EmailSettings: *w.settings()}
	s.SMTPServer = deref(w.Server)
	// settings() reports a missing type as CustomSmtp; here it stays unknown.
	s.AuthenticationType = deref(w.AuthenticationType)
	return s, nil
}

// UpdateExplorerEmailSettings sends the fields set in u. Whether the server
// leaves the fields it is not sent as they are (the audit settings'
// documented behaviour) is not documented for the Explorers. Before v8, an
// OAuth field is refused with ErrUnsupported before anything is sent.
func (c *Client) UpdateExplorerEmailSettings(ctx context.Context, e Explorer, u ExplorerEmailSettingsUpdate) error {
	ops, err := c.explorerEmail(e)
	if err != nil {
		return err
	}
	if !c.spec.explorerEmailOAuth {
		var unsupported []string
		if u.UserID != nil {
			unsupported = append(unsupported, "userId")
		}
		if u.MailAPIURL != nil {
			unsupported = append(unsupported, "mailApiUrl")
		}
		if u.RequestID != nil {
			unsupported = append(unsupported, "requestId")
		}
		if len(unsupported) > 0 {
			return c.requireExplorerEmailOAuth(string(e) + " Explorer e-mail OAuth sign-in (" + strings.Join(unsupported, ", ") + ")")
		}
	}
	return c.do(ctx, request{method: http.MethodPut, path: ops.put.path, body: u, wantStatus: ops.put.status, idempotent: true}, nil)
}

// SendExplorerTestEmail asks the server to send a test e-mail to email with
// an Explorer's stored account (SendTest, sendTest or SendTestEmail,
// by version and Explorer). It is not retried after a server error, so that
// one call sends at most one mail.
func (c *Client) SendExplorerTestEmail(ctx context.Context, e Explorer, email string) error {
	ops, err := c.explorerEmail(e)
	if err != nil {
		return err
	}
	body := map[string]string{"email": email}
	return c.do(ctx, request{method: http.MethodPost, path: ops.test.path, body: body, wantStatus: ops.test.status}, nil)
}

// ExplorerTestEmailPath is the path that sends an Explorer's test e-mail in
// the client's version (for messages).
func (c *Client) ExplorerTestEmailPath(e Explorer) string {
	ops, err := c.explorerEmail(e)
	if err != nil {
		return ""
	}
	return "/" + string(c.version) + "/" + ops.test.path
}

// prepareExplorerEmailOAuthSignIn starts the browser sign-in of the account
// an Explorer sends through (v8). The provider does not call it: the
// sign-in happens outside Terraform, as for the audit e-mails.
func (c *Client) prepareExplorerEmailOAuthSignIn(ctx context.Context, e Explorer, r OAuthSignInRequest) (*OAuthSignIn, error) {
	ops, err := c.explorerEmail(e)
	if err != nil {
		return nil, err
	}
	if err := c.requireExplorerEmailOAuth("PrepareOAuthSignIn"); err != nil {
		return nil, err
	}
	return c.prepareOAuthSignIn(ctx, ops.put.path, r)
}

// completeExplorerEmailOAuthSignIn finishes an Explorer's sign-in (v8).
func (c *Client) completeExplorerEmailOAuthSignIn(ctx context.Context, e Explorer, code, state string) (*OAuthSignInResult, error) {
	ops, err := c.explorerEmail(e)
	if err != nil {
		return nil, err
	}
	if err := c.requireExplorerEmailOAuth("CompleteOAuthSignIn"); err != nil {
		return nil, err
	}
	return c.completeOAuthSignIn(ctx, ops.put.path, code, state)
}

func (c *Client) requireExplorerEmailOAuth(op string) error {
	if !c.spec.explorerEmailOAuth {
		return fmt.Errorf("%w: %s needs REST API v8, the client speaks %s", ErrUnsupported, op, c.version)
	}
	return nil
}

package vb365

import (
	"context"
	"net/http"
)

// RestorePortalSettings is RESTRestorePortalSettings: whether the Restore
// Portal (where restore operators and users restore backed-up data in a
// browser) is on, and the Microsoft Entra application it signs in with. No
// version has a PUT: the portal is configured with PowerShell
// (Set-VBORestorePortalSettings).
type RestorePortalSettings struct {
	IsEnabled bool
	// ApplicationID is the Entra application's ID, as the server sends it
	// ("" when null; a server that was never configured may send the zero
	// GUID).
	ApplicationID string
	// AuthorityURI is msalAuthorityUri, where the portal's users sign in.
	AuthorityURI string
	// PortalURI is restorePortalUri, the portal's address; nil when the
	// answer has none (null), and always before v7, whose schema has no
	// such field (a v6 answer that carried one is not read).
	PortalURI *string
}

type restorePortalWire struct {
	ApplicationID    *string `json:"applicationId"`
	MSALAuthorityURI *string `json:"msalAuthorityUri"`
	RestorePortalURI *string `json:"restorePortalUri"`
	IsEnabled        *bool   `json:"isEnabled"`
}

// GetRestorePortalSettings reads GET /RestorePortalSettings. The route is
// anonymous in every version (x-anonymous in the documents), so the
// request carries no token and the client does not sign in for it: a walk
// that reads only this costs one request and no login.
func (c *Client) GetRestorePortalSettings(ctx context.Context) (*RestorePortalSettings, error) {
	var w restorePortalWire
	if err := c.do(ctx, request{method: http.MethodGet, path: "RestorePortalSettings", wantStatus: http.StatusOK, idempotent: true, anonymous: true}, &w); err != nil {
		return nil, err
	}
	if w.IsEnabled == nil {
		// Nothing is required in the schema, but an answer without
		// isEnabled says nothing about the one thing asked.
		return nil, &BadAnswerError{Method: http.MethodGet, Path: "/" + string(c.version) + "/RestorePortalSettings", Status: http.StatusOK,
			Reason: "the answer has no isEnabled"}
	}
	out := &RestorePortalSettings{IsEnabled: *w.IsEnabled, ApplicationID: deref(w.ApplicationID), AuthorityURI: deref(w.MSALAuthorityURI)}
	if c.spec.restorePortalURI {
		out.PortalURI = w.RestorePortalURI
	}
	return out, nil
}

package vb365test

import (
	"net/http"
)

// RestorePortal is the stored Restore Portal configuration (GET
// /RestorePortalSettings, anonymous, every version; no PUT in any: an
// administrator sets it with PowerShell, which SetRestorePortal stands for).
type RestorePortal struct {
	Enabled       bool
	ApplicationID string // the Entra application; "" sends the zero GUID
	AuthorityURI  string
	PortalURI     string // v7 and later
}

const zeroGUIDText = "00000000-0000-0000-0000-000000000000"

func restorePortalRoutes(r *router) {
	r.handle(http.MethodGet, "/RestorePortalSettings", func(c *call) {
		c.s.mu.Lock()
		p := c.s.access.portal
		c.s.mu.Unlock()
		// applicationId is a non-nullable uuid: an unconfigured server is
		// taken to send the zero GUID (null under NullsInNonNullable).
		var app any = p.ApplicationID
		if p.ApplicationID == "" {
			app = zeroGUIDText
			if c.s.opts.Quirks.NullsInNonNullable {
				app = nil
			}
		}
		body := map[string]any{"applicationId": app, "msalAuthorityUri": c.text(p.AuthorityURI), "isEnabled": p.Enabled}
		if c.version != "v6" {
			body["restorePortalUri"] = c.text(p.PortalURI)
		}
		c.writeJSON(http.StatusOK, body)
	}, anonymous)
	// PUT /_fake/restore-portal {"enabled": ..., "applicationId": ...,
	// "authorityUri": ..., "portalUri": ...} replaces the settings, as
	// Set-VBORestorePortalSettings would.
	r.handleAdmin(http.MethodPut, "/_fake/restore-portal", func(c *call) {
		var in struct {
			Enabled       bool   `json:"enabled"`
			ApplicationID string `json:"applicationId"`
			AuthorityURI  string `json:"authorityUri"`
			PortalURI     string `json:"portalUri"`
		}
		if !c.decode(&in) {
			return
		}
		c.s.SetRestorePortal(RestorePortal{Enabled: in.Enabled, ApplicationID: in.ApplicationID, AuthorityURI: in.AuthorityURI, PortalURI: in.PortalURI})
		c.noContent(http.StatusNoContent)
	})
}

// SetRestorePortal replaces the Restore Portal settings out of band.
func (s *Server) SetRestorePortal(p RestorePortal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access.portal = p
}

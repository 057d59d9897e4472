package vb365test

import (
	"net/http"
	"strings"
	"time"
)

// The out-of-band API: plain HTTP under /_fake/, no token, for the demo and
// the standalone fake, to make changes behind Terraform's back. Tests use
// the Server's methods directly.

// adminRoutes adds the admin routes.
func adminRoutes(r *router) {
	r.handleAdmin(http.MethodGet, "/_fake/requests", func(c *call) {
		c.writeJSON(http.StatusOK, c.s.CountByRoute())
	})
	r.handleAdmin(http.MethodDelete, "/_fake/requests", func(c *call) {
		c.s.ResetRequests()
		c.noContent(http.StatusNoContent)
	})
	r.handleAdmin(http.MethodPost, "/_fake/tokens/expire", func(c *call) {
		c.s.ExpireTokens()
		c.noContent(http.StatusNoContent)
	})
	r.handleAdmin(http.MethodPost, "/_fake/faults", func(c *call) {
		var f struct {
			Route      string `json:"route"`
			Times      int    `json:"times"`
			Status     int    `json:"status"`
			RetryAfter string `json:"retryAfter"`
			Drop       bool   `json:"drop"`
			LatencyMS  int    `json:"latencyMs"`
		}
		if !c.decode(&f) {
			return
		}
		c.s.InjectFault(Fault{Route: f.Route, Times: f.Times, Status: f.Status, RetryAfter: f.RetryAfter, Drop: f.Drop, Latency: time.Duration(f.LatencyMS) * time.Millisecond})
		c.noContent(http.StatusNoContent)
	})
	r.handleAdmin(http.MethodDelete, "/_fake/faults", func(c *call) {
		c.s.ClearFaults()
		c.noContent(http.StatusNoContent)
	})
	// PATCH /_fake/organizations?id=...  {"name": ..., "description": ...}
	r.handleAdmin(http.MethodPatch, "/_fake/organizations", func(c *call) {
		var in struct {
			Name        *string `json:"name"`
			Description *string `json:"description"`
		}
		if !c.decode(&in) {
			return
		}
		id := c.query("id")
		if c.s.Organization(id) == nil {
			c.errorf(http.StatusNotFound, "ResourceNotFound", "Organization with ID %s was not found.", id)
			return
		}
		c.s.UpdateOrganization(id, func(o *Organization) {
			if in.Name != nil {
				o.Name = *in.Name
			}
			if in.Description != nil {
				o.Description = *in.Description
			}
		})
		c.noContent(http.StatusNoContent)
	})
}

func (s *Server) serveAdmin(c *call) {
	h, ok := s.router.admin[c.r.Method+" "+strings.ToLower(strings.TrimRight(c.r.URL.Path, "/"))]
	if !ok {
		c.writeJSON(http.StatusNotFound, map[string]any{"message": "no such out-of-band operation", "operations": s.router.adminNames()})
		return
	}
	h(c)
}

func (r *router) adminNames() []string {
	out := make([]string, 0, len(r.admin))
	for k := range r.admin {
		out = append(out, k)
	}
	return out
}

package vb365test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Audit items: GET answers a bare array, POST takes an
// array and answers no body (200 in v5, 201 in v6/v7, 204 in v8), and removal is
// POST .../AuditItems/remove {"itemIds": [...]} (200 in v6/v7, 204 in v8;
// v5's AuditItems/action is in v5.go).
// There is no per-item GET or DELETE.
// auditItemRoutes adds the audit items routes.
func auditItemRoutes(r *router) {
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/AuditItems", (*call).listAuditItems, onV5(http.StatusOK))
	r.handleOrg(http.MethodPost, "/Organizations/{organizationId}/AuditItems", (*call).addAuditItems, succeeds(http.StatusCreated, http.StatusCreated, http.StatusNoContent), onV5(http.StatusOK))
	r.handleOrg(http.MethodPost, "/Organizations/{organizationId}/AuditItems/remove", (*call).removeAuditItems, succeeds(http.StatusOK, http.StatusOK, http.StatusNoContent))

	// POST /_fake/audit-items/add?organizationId=...&principalId=...
	r.handleAdmin(http.MethodPost, "/_fake/audit-items/add", func(c *call) {
		orgID, principalID := c.query("organizationId"), c.query("principalId")
		s := c.s
		s.mu.Lock()
		org := s.org(orgID)
		if org == nil {
			s.mu.Unlock()
			c.errorf(http.StatusNotFound, "ResourceNotFound", "Organization with ID %s was not found.", orgID)
			return
		}
		kind := ""
		switch {
		case org.user(principalID) != nil:
			kind = "User"
		case org.group(principalID) != nil:
			kind = "Group"
		default:
			s.mu.Unlock()
			c.errorf(http.StatusNotFound, "ResourceNotFound", "No user or group with ID %s in organization %s.", principalID, orgID)
			return
		}
		it := s.addAuditItemLocked(org, kind, principalID, nil)
		s.mu.Unlock()
		c.writeJSON(http.StatusOK, map[string]any{"id": it.ID, "type": it.Type, "principalId": it.PrincipalID})
	})
	// POST /_fake/audit-items/remove?organizationId=...&principalId=...
	r.handleAdmin(http.MethodPost, "/_fake/audit-items/remove", func(c *call) {
		orgID, principalID := c.query("organizationId"), c.query("principalId")
		if c.s.Organization(orgID) == nil {
			c.errorf(http.StatusNotFound, "ResourceNotFound", "Organization with ID %s was not found.", orgID)
			return
		}
		if !c.s.RemoveAuditItemFor(orgID, principalID) {
			c.errorf(http.StatusNotFound, "ResourceNotFound", "No audit item for principal %s.", principalID)
			return
		}
		c.noContent(http.StatusNoContent)
	})
}

// ---- out-of-band API for tests ----

// AddAuditItem audits a user or group behind the client's back. kind is
// "User" or "Group" (any case). It returns the existing item when the
// principal is audited already, and panics when the organization or the
// principal is unknown.
func (s *Server) AddAuditItem(orgID, kind, principalID string) *AuditItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	org := s.org(orgID)
	if org == nil {
		panic("vb365test: AddAuditItem: unknown organization " + orgID)
	}
	switch strings.ToLower(kind) {
	case "user":
		kind = "User"
		if org.user(principalID) == nil {
			panic("vb365test: AddAuditItem: unknown user " + principalID)
		}
	case "group":
		kind = "Group"
		if org.group(principalID) == nil {
			panic("vb365test: AddAuditItem: unknown group " + principalID)
		}
	default:
		panic("vb365test: AddAuditItem: kind must be User or Group, not " + kind)
	}
	it := s.addAuditItemLocked(org, kind, principalID, nil)
	cp := *it
	return &cp
}

// RemoveAuditItemFor removes the audit item of a principal behind the
// client's back; false when there was none.
func (s *Server) RemoveAuditItemFor(orgID, principalID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	org := s.org(orgID)
	if org == nil {
		return false
	}
	for i, it := range org.Audit {
		if it.PrincipalID == principalID {
			org.Audit = append(org.Audit[:i:i], org.Audit[i+1:]...)
			return true
		}
	}
	return false
}

// AuditItems returns a copy of an organization's audit items in the order
// they were added (nil for an unknown organization).
func (s *Server) AuditItems(orgID string) []AuditItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	org := s.org(orgID)
	if org == nil {
		return nil
	}
	out := make([]AuditItem, 0, len(org.Audit))
	for _, it := range org.Audit {
		out = append(out, *it)
	}
	return out
}

// ---- handlers ----

// addAuditItemLocked stores an item unless the principal is audited already
// (then it returns the existing one). Callers hold s.mu.
func (s *Server) addAuditItemLocked(org *Organization, kind, principalID string, posted map[string]any) *AuditItem {
	if it := org.auditItemFor(kind, principalID); it != nil {
		return it
	}
	n := s.nextID()
	// Three GUIDs concatenated, like the documented examples; opaque.
	objectPart := GUID("audit-principal", n)
	if len(principalID) >= 36 {
		objectPart = principalID[:36]
	}
	it := &AuditItem{ID: GUID("audit-item", n) + objectPart + zeroGUID, Type: kind, PrincipalID: principalID, Posted: posted}
	org.Audit = append(org.Audit, it)
	return it
}

func (o *Organization) auditItemFor(kind, principalID string) *AuditItem {
	for _, it := range o.Audit {
		if it.Type == kind && it.PrincipalID == principalID {
			return it
		}
	}
	return nil
}

// embeddedID is the principal ID the audit list shows: the /Users or
// /Groups ID, or with CompositeAuditPrincipalIDs "<org>:<user|group>:<n>:<id>"
// where n is the item's position (so it is not even stable).
func (c *call) embeddedID(org *Organization, pos int, it *AuditItem) string {
	if !c.s.opts.Quirks.CompositeAuditPrincipalIDs {
		return it.PrincipalID
	}
	return org.ID + ":" + strings.ToLower(it.Type) + ":" + strconv.Itoa(pos+1) + ":" + it.PrincipalID
}

func (c *call) auditItemJSON(org *Organization, pos int, it *AuditItem) map[string]any {
	id := c.embeddedID(org, pos, it)
	m := map[string]any{"id": it.ID, "type": it.Type}
	if t := c.s.opts.Quirks.AuditItemType; t != "" && it.Type == "User" {
		m["type"] = t
	}
	links := map[string]any{"organization": c.link("/Organizations/" + org.ID)}
	switch it.Type {
	case "User":
		links["user"] = c.link("/Organizations/" + org.ID + "/Users/" + it.PrincipalID)
		if u := org.user(it.PrincipalID); u != nil {
			obj := c.userJSON(org, u, u.ID)
			obj["id"] = id
			c.v5AuditPrincipal(obj)
			m["user"] = obj
		} else {
			m["user"] = c.postedJSON(it, id)
		}
	case "Group":
		links["group"] = c.link("/Organizations/" + org.ID + "/Groups/" + it.PrincipalID)
		if g := org.group(it.PrincipalID); g != nil {
			obj := c.groupJSON(org, g, g.ID)
			obj["id"] = id
			c.v5AuditPrincipal(obj)
			m["group"] = obj
		} else {
			m["group"] = c.postedJSON(it, id)
		}
	}
	m["_links"] = links
	return m
}

// postedJSON echoes the object a client posted for a principal the server
// did not know (AuditUnknownPrincipalAccepted).
func (c *call) postedJSON(it *AuditItem, id string) map[string]any {
	out := map[string]any{}
	for k, v := range it.Posted {
		out[k] = v
	}
	out["id"] = id
	return out
}

// GET /Organizations/{id}/AuditItems: a bare array, no paging.
func (c *call) listAuditItems(org *Organization) {
	out := make([]any, 0, len(org.Audit))
	for i, it := range org.Audit {
		out = append(out, c.auditItemJSON(org, i, it))
	}
	c.writeJSON(http.StatusOK, out)
}

// POST /Organizations/{id}/AuditItems with an array of RESTAuditUserOrGroup.
// The whole array is checked before anything is stored.
func (c *call) addAuditItems(org *Organization) {
	s := c.s
	var in []struct {
		Type  string         `json:"type"`
		User  map[string]any `json:"user"`
		Group map[string]any `json:"group"`
	}
	if !c.decode(&in) {
		return
	}
	if len(in) == 0 {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The audit items collection is empty.")
		return
	}
	type add struct {
		kind, id string
		posted   map[string]any
	}
	var adds []add
	for i, item := range in {
		var kind string
		var obj map[string]any
		switch strings.ToLower(item.Type) {
		case "user":
			kind, obj = "User", item.User
		case "group":
			kind, obj = "Group", item.Group
		default:
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "Item %d: the audit item type '%s' is not valid; it must be User or Group.", i, item.Type)
			return
		}
		id, _ := obj["id"].(string)
		if obj == nil || id == "" {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "Item %d: the %s object with its id is required.", i, strings.ToLower(kind))
			return
		}
		known := (kind == "User" && org.user(id) != nil) || (kind == "Group" && org.group(id) != nil)
		if !known && !s.opts.Quirks.AuditUnknownPrincipalAccepted {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s with ID %s was not found in organization %s.", kind, id, org.Name)
			return
		}
		if s.opts.Quirks.AuditDuplicateIsError && org.auditItemFor(kind, id) != nil {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s %s is already in the audit list.", kind, id)
			return
		}
		var posted map[string]any
		if !known {
			posted = obj
		}
		adds = append(adds, add{kind: kind, id: id, posted: posted})
	}
	for _, a := range adds {
		s.addAuditItemLocked(org, a.kind, a.id, a.posted)
	}
	c.noContent(c.success())
}

// POST /Organizations/{id}/AuditItems/remove {"itemIds": [...]}.
func (c *call) removeAuditItems(org *Organization) {
	var in struct {
		ItemIDs []string `json:"itemIds"`
	}
	if !c.decode(&in) {
		return
	}
	c.removeAuditItemIDs(org, in.ItemIDs)
}

// removeAuditItemIDs removes audit items by ID, ignoring case (v6's
// /remove and v5's /action share it). Callers hold s.mu.
func (c *call) removeAuditItemIDs(org *Organization, ids []string) {
	s := c.s
	if len(ids) == 0 {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "itemIds is required and must not be empty.")
		return
	}
	remove := map[string]bool{}
	for _, id := range ids {
		found := false
		for _, it := range org.Audit {
			if strings.EqualFold(it.ID, id) {
				remove[it.ID], found = true, true
			}
		}
		if !found && s.opts.Quirks.AuditRemoveUnknownIsError {
			c.errorf(http.StatusNotFound, "ResourceNotFound", "Audit item with ID %s was not found.", id)
			return
		}
	}
	kept := org.Audit[:0:0]
	for _, it := range org.Audit {
		if !remove[it.ID] {
			kept = append(kept, it)
		}
	}
	org.Audit = kept
	c.noContent(c.success())
}

// String renders an item for test failure messages.
func (it AuditItem) String() string {
	return fmt.Sprintf("%s %s (item %s)", it.Type, it.PrincipalID, it.ID)
}

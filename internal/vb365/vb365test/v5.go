package vb365test

// REST API v5, the version of VB365 5 (deprecated in VB365 8: "unsupported.
// You can still use them"). There is no v5 OpenAPI document: what v5 does
// differently is taken from Veeam's v5 Help Center pages [C-doc], public
// clients [C-client] and write-ups [C-blog], as recorded in REFERENCE.md
// §2, 5-7 and AREAS.md §4; the rest is inferred [I] or unknown [U], and
// each [U] is a quirk (Quirks.V5...). v5_test.go checks these routes
// against a table of those facts, each with its mark.
//
// The fake serves v5 for the areas the audit control needs: the token
// (password and refresh grants), organizations, users, groups, audit
// items and the audit e-mail settings. A route exists on v5 only when it
// says so (onV5, onlyV5): everything else answers 404 on /v5, as a server
// without the resource would.
//
// What v5 answers differently, all here or in a one-line call from the
// area's file:
//   - hrefs in _links are absolute, "https://host:4443/v5/..." [C-doc v5
//     examples; relative from v6: archive/vbo365/60/rest/global_changes.html]
//     (link in call.go);
//   - user and group pages are {offset, limit, results, _links}: no setId
//     and no totalCount [C-client Mirecad VeeamPagedResultDto; C-doc the v5
//     pagination page has no setId] (pages.go, Quirks.V5PageSetID,
//     Quirks.V5PageTotalCount);
//   - user filters username and displayName (or name), group filters
//     groupName and displayName (or name); no locationFilter, which the
//     server ignores as it ignores any unknown query parameter [C-doc
//     get_organizations_id_users.html; ignoring is I];
//   - POST AuditItems answers 200 with no body [C-blog BENYOUNG]; removal
//     is POST AuditItems/action {"remove": {"itemIds": [...]}}, 200 [C-doc
//     archive/vbo365/50/rest/delete_audititems.html];
//   - the audit e-mail settings have SMTP fields only (no OAuth) [C-doc
//     get_vbo_audit_settings.html?ver=50]; PUT answers 200 with the stored
//     settings [C-blog BENYOUNG] (Quirks.V5EmailPutNoEcho); the test mail is
//     POST AuditEmailSettings/action [C-blog BENYOUNG's v5 swagger diff]
//     whose body is not documented for v5 (Quirks.V5SendTestNeedsObject).

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// v5Routes adds the routes REST API v5 alone has: its action endpoints,
// which v6 replaced by separate ones ("Action endpoints are deprecated and
// substituted with separate endpoints" [C-doc archive/vbo365/60/rest/global_changes.html]).
func v5Routes(r *router) {
	r.handleOrg(http.MethodPost, "/Organizations/{organizationId}/AuditItems/action", (*call).auditItemsAction, onlyV5(http.StatusOK))
	r.handle(http.MethodPost, "/AuditEmailSettings/action", (*call).auditEmailAction, onlyV5(http.StatusOK))
}

// v5Shapes reports whether the call is answered the way REST API v5 answers:
// a /v5 path on a server without Quirks.V5AnswersAsV6.
func (c *call) v5Shapes() bool { return c.version == "v5" && !c.s.opts.Quirks.V5AnswersAsV6 }

// origin is the scheme, host and port of a request as a v5 server writes
// them into its absolute hrefs: the address the request came to, or
// Quirks.V5LinkOrigin.
func (s *Server) origin(r *http.Request) string {
	s.mu.Lock()
	o := s.opts.Quirks.V5LinkOrigin
	s.mu.Unlock()
	if o != "" {
		return strings.TrimRight(o, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// v5Organization turns a v6-shaped RestOrganizationComposed into v5's:
// the link keys of a v5 client's model (jobs, groups, users, sites,
// usedRepositories; no teams) [C-client Mirecad OrganizationDto.cs], self
// as in every documented example.
func (c *call) v5Organization(m map[string]any) {
	if !c.v5Shapes() {
		return
	}
	if links, ok := m["_links"].(map[string]any); ok {
		delete(links, "teams")
	}
}

// v5User turns a v6-shaped RESTUser into v5's: the documents' example has
// id, displayName, name, type and _links [C-doc]; locationType only with
// Quirks.V5UserLocationType [U]; the link keys organization and oneDrives
// [C-client Mirecad OrganizationUserDto.cs].
func (c *call) v5User(m map[string]any) {
	if !c.v5Shapes() {
		return
	}
	if !c.s.opts.Quirks.V5UserLocationType {
		delete(m, "locationType")
	}
	if links, ok := m["_links"].(map[string]any); ok {
		links["oneDrives"] = links["onedrives"]
		delete(links, "onedrives")
	}
}

// v5Filter reads v5's list filters: displayName may be given as name
// ("displayName (or name)" [C-doc]), and locationFilter does not exist, so
// the server ignores it [I] and answers every location. A client must not
// send it to v5: the answer would be wider than asked.
func (c *call) v5Filter(f principalFilter) principalFilter {
	if !c.v5Shapes() {
		return f
	}
	if f.displayName == "" {
		f.displayName = c.query("name")
	}
	f.location = ""
	return f
}

// v5AuditPrincipal is the principal object embedded in a v5 audit item:
// its _links are empty ("_links": {} [C-doc get_audititems.html, v5 text]).
func (c *call) v5AuditPrincipal(m map[string]any) {
	if c.v5Shapes() {
		m["_links"] = map[string]any{}
	}
}

// pageFields reports what a page of users or groups carries: setId (and the
// snapshot it names) and totalCount. v6 and v7 carry both, v8 setId only
// [C-spec]; v5 neither, unless a quirk says so [U].
func (c *call) pageFields() (setID, totalCount bool) {
	switch {
	case c.v5Shapes():
		q := c.s.opts.Quirks
		return q.V5PageSetID, q.V5PageTotalCount
	case c.version == "v8":
		return true, false
	default:
		return true, true
	}
}

// v5EmailSettings turns the v6-shaped audit e-mail settings into v5's GET
// answer: enableNotification, smtpServer, port, useAuthentication, useSSL,
// from, to, subject, _links and _actions [C-doc get_vbo_audit_settings.html?ver=50];
// username, a PUT field in those documents, only with
// Quirks.V5EmailUsername [U] (SPEC6 answers it, the v6 HTML page omits it
// too).
func (c *call) v5EmailSettings(m map[string]any) {
	if !c.v5Shapes() {
		return
	}
	if !c.s.opts.Quirks.V5EmailUsername {
		delete(m, "username")
	}
	m["_actions"] = map[string]any{}
}

// v5EmailPutAnswer is what PUT AuditEmailSettings answers on v5: 200 with
// the stored settings, "a payload back with the data you just submitted with
// some additional bits" [C-blog BENYOUNG]; without a body with
// Quirks.V5EmailPutNoEcho [U]. False when the call is not answered in v5's
// shapes. Callers hold s.mu.
func (c *call) v5EmailPutAnswer(e emailSettingsStore) bool {
	if !c.v5Shapes() || c.s.opts.Quirks.V5EmailPutNoEcho {
		return false
	}
	st, flags := e.load(c.s)
	c.writeJSON(c.success(), c.emailSettingsJSON(e, st, flags))
	return true
}

// POST /v5/Organizations/{id}/AuditItems/action {"remove": {"itemIds": [...]}}
// [C-doc archive/vbo365/50/rest/delete_audititems.html]: 200, no body. Any
// other action, or v6's flat {"itemIds": [...]}, is refused (400).
func (c *call) auditItemsAction(org *Organization) {
	var in map[string]json.RawMessage
	if !c.decode(&in) {
		return
	}
	var remove struct {
		ItemIDs []string `json:"itemIds"`
	}
	raw, ok := field(in, "remove")
	if !ok || len(in) != 1 {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The action is not valid: send {\"remove\": {\"itemIds\": [...]}}.")
		return
	}
	if err := json.Unmarshal(raw, &remove); err != nil {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The remove action is invalid: %v", err)
		return
	}
	c.removeAuditItemIDs(org, remove.ItemIDs)
}

// POST /v5/AuditEmailSettings/action: the test mail. The path is [C-blog
// BENYOUNG's v5 swagger diff]; the body is not documented for v5. The v2
// job e-mail action took {"sendTest": null} [C-doc
// archive/vbo365/20/rest/post_vbo_email_settings_action.html], so that is
// what the fake takes by default, with {"sendTest": {}} too (an action
// chosen by its key); with Quirks.V5SendTestNeedsObject only a non-null
// member is an action (an action chosen by its value) [U]. Anything else is
// refused (400) and sends nothing. 200, no body [I].
func (c *call) auditEmailAction() {
	var in map[string]json.RawMessage
	if !c.decode(&in) {
		return
	}
	raw, ok := field(in, "sendTest")
	if ok && c.s.opts.Quirks.V5SendTestNeedsObject && !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		ok = false
	}
	if !ok || len(in) != 1 {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The action is not specified.")
		return
	}
	c.sendTestEmail(auditEmailStore)
}

// field returns a member of a JSON object, its name matched ignoring case
// (the server's binder does).
func field(obj map[string]json.RawMessage, name string) (json.RawMessage, bool) {
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// Seed of the flow this provider replaces, which ran against v5: the
// organization vbridge.onmicrosoft.com and the hybrid user Ben Young, whose
// ID carries a base64 SID (the form of REFERENCE.md §4.1).
const (
	VBridgeOrganizationID = "967093a9-cf39-43e5-84cb-646ccd4991a5"
	VBridgeOrganization   = "vbridge.onmicrosoft.com"
	VBridgeUserID         = "fafba54d-7ec0-4066-b96d-13be036200f8" + zeroGUID + "AQUAAAAAAAUVAAAAervaJPfu-8CbZ-GQjggAAA"
	VBridgeUserName       = "ben.young@vbridge.onmicrosoft.com"
	VBridgeUserDisplay    = "Ben Young"
)

// SeedVBridge adds the seed flow's organization with Ben Young, a cloud
// user and a group beside him.
func (s *Server) SeedVBridge() *Organization {
	org := s.AddOrganization(Organization{ID: VBridgeOrganizationID, Name: VBridgeOrganization, Type: "Hybrid"})
	s.AddUser(org.ID, User{ID: VBridgeUserID, Name: VBridgeUserName, DisplayName: VBridgeUserDisplay, LocationType: "Hybrid",
		MSID: "fafba54d-7ec0-4066-b96d-13be036200f8", OnPremisesSID: "S-1-5-21-620408442-2499537385-1871349438-2190"})
	s.AddUser(org.ID, User{Name: "security.officer@vbridge.onmicrosoft.com", DisplayName: "Security Officer"})
	s.AddGroup(org.ID, Group{Name: "Executives@vbridge.onmicrosoft.com", DisplayName: "Executives", Type: "Security"})
	return s.Organization(org.ID)
}

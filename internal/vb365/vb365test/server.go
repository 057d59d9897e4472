// Package vb365test is a faithful, in-memory fake of the Veeam Backup for
// Microsoft 365 REST API (v6, v7 and v8) for the endpoints the provider
// uses. It speaks the wire format of Veeam's OpenAPI documents and shares
// no types with the client, so a client bug cannot hide behind a shared
// struct.
//
// Behaviours the public evidence leaves open are switches on Quirks, named
// after the real-server behaviour they stand for, so tests can cover both
// plausible answers.
package vb365test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Default credentials of a fake server.
const (
	DefaultUsername = `VB365\administrator`
	DefaultPassword = "fake-password"
)

// Quirks switch behaviours that the reference marks unknown or that only
// some real servers show.
type Quirks struct {
	// CompositeAuditPrincipalIDs: GET AuditItems embeds user.id / group.id
	// in a colon-separated composite form ("<org>:<kind>:<x>:<id>") instead
	// of the ID /Users and /Groups return. A public client splits it on ':'
	// and takes segment 3.
	CompositeAuditPrincipalIDs bool
	// ThrottleToken: POST /token allows 1 request per second and 5 per
	// minute and answers 429 with Retry-After beyond (WebApiThrottle
	// defaults for remote callers).
	ThrottleToken bool
	// StrictAntiforgery: a v7/v8 refresh_token grant without
	// disable_antiforgery_token=true is refused (the server would expect
	// the antiforgery cookie).
	StrictAntiforgery bool
	// NullsInNonNullable: send null for string fields the spec calls
	// non-nullable (officeName, office, ...), as real servers do.
	NullsInNonNullable bool
	// UnknownEnumValues: send enum values newer than the spec (e.g. an
	// organization region "Unknown").
	UnknownEnumValues bool
	// AuditDuplicateIsError: POST AuditItems with a principal already
	// audited answers 400 instead of being a no-op.
	AuditDuplicateIsError bool
	// AuditRemoveUnknownIsError: AuditItems/remove with an unknown item ID
	// answers 404 instead of ignoring it.
	AuditRemoveUnknownIsError bool
	// AuditItemType, when not empty, is the type GET AuditItems reports for
	// user items (e.g. "UserV2", a type newer than the documents); the
	// embedded user object stays.
	AuditItemType string
	// AuditUnknownPrincipalAccepted: POST AuditItems stores an unknown user
	// or group blindly (the server may store the posted object) instead of
	// answering 400.
	AuditUnknownPrincipalAccepted bool
	// RestoreTimesWithoutOffset: restore sessions and events carry their
	// times as date-time text without an offset ("2026-12-01T09:30:00.1234567"),
	// as an ASP.NET server writing local DateTime values would.
	RestoreTimesWithoutOffset bool
	// RestoreSessionWindowIgnored: GET /RestoreSessions ignores
	// startTimeFrom and startTimeTo and answers every session, as a server
	// (or a proxy that drops the query) did: "the last 24 hours" held
	// sessions from 2001.
	RestoreSessionWindowIgnored bool
	// RoleMemberIDsDistinct: a restore operator role's member has an ID of
	// its own, not the nested user's, group's, site's or team's ID.
	RoleMemberIDsDistinct bool
	// RoleMemberCompositePrincipalIDs: GET RbacRoles/{roleId}/operators,
	// selectedItems and excludedItems answer the nested user.id and
	// group.id in the composite form "<orgId>:1:user:<id>" ("...:group:...")
	// that the same server writes in audit items, instead of the ID /Users
	// and /Groups return. The member's own id is unchanged.
	RoleMemberCompositePrincipalIDs bool
	// RoleDuplicateMemberIgnored: POST RbacRoles/{roleId}/<list> with a
	// member already in the list leaves it there once and answers 204,
	// instead of refusing the request (400).
	RoleDuplicateMemberIgnored bool
	// RoleNamesNotUnique: POST .../RbacRoles makes a role whose name
	// another role of the organization has (the documents do not say that
	// names are unique) instead of refusing it (400).
	RoleNamesNotUnique bool

	// Backup jobs (jobs.go).
	//
	// JobPutItemsReplace: PUT /Jobs/{jobId} with selectedItems or
	// excludedItems in its body replaces those lists, instead of ignoring
	// them.
	JobPutItemsReplace bool
	// JobReadFillsItems: v6 and v7 GET /Jobs/{jobId} and the job lists
	// carry selectedItems and excludedItems, instead of leaving them out
	// (a v5-era public client found them missing and followed _links).
	JobReadFillsItems bool
	// JobDailyTimeFormat is how schedulePolicy.dailyTime is written: ""
	// "22:00:00" (a .NET TimeSpan), "short" "22:00", "datetime"
	// "0001-01-01T22:00:00".
	JobDailyTimeFormat string
	// JobItemInOneJobOnly: a user, group, site or team selected in one job
	// of an organization cannot be selected in another (400).
	JobItemInOneJobOnly bool
	// JobEntireOrganizationListsOrganization: an EntireOrganization job
	// lists a PartialOrganization item of its organization (with every
	// workload) among its selected items.
	JobEntireOrganizationListsOrganization bool
	// JobItemCompositePrincipalIDs: the job item lists answer the nested
	// user.id and group.id in the composite form "<orgId>:1:user:<id>",
	// as audit items may.
	JobItemCompositePrincipalIDs bool
	// JobNamesNotUnique: a job may be created with a name another job of
	// the organization has, instead of being refused (400).
	JobNamesNotUnique bool
}

// Options configure a fake server.
type Options struct {
	Username string
	Password string
	// TokenLifetime is expires_in of issued tokens. Default 1 hour.
	TokenLifetime time.Duration
	// RefreshTokenLifetime bounds refresh tokens. Default 24 hours.
	RefreshTokenLifetime time.Duration
	// DefaultPageLimit is the limit used when a request sends none (30).
	DefaultPageLimit int
	Quirks           Quirks
}

// Server is the fake. Create it with New, serve it with Start/StartTLS or
// as an http.Handler. All methods are safe for concurrent use.
type Server struct {
	mu   sync.Mutex
	opts Options
	now  func() time.Time
	// router is the route table, built per server by New.
	router *router

	orgs     []*Organization
	tokens   map[string]*issuedToken
	refresh  map[string]*issuedToken
	throttle []time.Time
	settings AuditEmailSettings
	job      JobEmailSettings
	restores []*RestoreSession
	roles    []*Role
	roleLows map[string]*RoleLow
	sent     []SentTestEmail
	oauth    map[string]string // requestId -> userId from CompleteOAuthSignIn
	sets     pageSets
	ids      int

	// jobs, their lows and starts (jobs.go); jobRepos the repositories
	// a job may name (job_repositories.go).
	jobs      []*Job
	jobLows   map[string]*JobLow
	jobStarts []JobStart
	jobRepos  []*JobRepository

	faults []*Fault
	rng    *rand.Rand
	log    []LoggedRequest

	// URL is set by Start and StartTLS.
	URL string
	hs  *httptest.Server
}

// New returns a fake server with no organizations.
func New(opts Options) *Server {
	if opts.Username == "" {
		opts.Username = DefaultUsername
	}
	if opts.Password == "" {
		opts.Password = DefaultPassword
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = time.Hour
	}
	if opts.RefreshTokenLifetime <= 0 {
		opts.RefreshTokenLifetime = 24 * time.Hour
	}
	if opts.DefaultPageLimit <= 0 {
		opts.DefaultPageLimit = 30
	}
	return &Server{
		opts:     opts,
		now:      time.Now,
		tokens:   map[string]*issuedToken{},
		refresh:  map[string]*issuedToken{},
		oauth:    map[string]string{},
		settings: defaultAuditEmailSettings(),
		job:      defaultJobEmailSettings(),
		router:   newRouter(),
	}
}

// Start serves the fake on a loopback plain-HTTP listener until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := New(opts)
	s.hs = httptest.NewServer(s)
	s.URL = s.hs.URL
	t.Cleanup(s.Close)
	return s
}

// StartTLS serves the fake over HTTPS with a self-signed certificate until
// the test ends. CertificatePEM returns the certificate to trust.
func StartTLS(t testing.TB, opts Options) *Server {
	t.Helper()
	s := New(opts)
	s.hs = httptest.NewTLSServer(s)
	s.URL = s.hs.URL
	t.Cleanup(s.Close)
	return s
}

// Close stops the listener started by Start or StartTLS.
func (s *Server) Close() {
	if s.hs != nil {
		s.hs.Close()
	}
}

// Username and Password are the credentials the fake accepts.
func (s *Server) Username() string { return s.opts.Username }
func (s *Server) Password() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts.Password
}

// SetPassword changes the account's password, as an administrator would.
// Tokens issued before stay valid until they expire: whether a real server
// revokes them is not documented.
func (s *Server) SetPassword(p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Password = p
}

// SetQuirks replaces the quirk switches.
func (s *Server) SetQuirks(q Quirks) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Quirks = q
}

// SetClock replaces the server's clock (token expiry, throttle).
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// nextID returns a new unique number for generated IDs.
func (s *Server) nextID() int {
	s.ids++
	return s.ids
}

// ---- routing ----

// call is one request being served.
type call struct {
	s       *Server
	w       http.ResponseWriter
	r       *http.Request
	version string   // "v6", "v7", "v8"
	params  []string // path parameters, unescaped, case preserved
	route   *route
	rec     *statusRecorder
	// dropAfter: serve, then drop the connection (Fault.DropAfterServing).
	dropAfter bool
	// omitRole: leave this role out of a role list (Fault.OmitRole).
	omitRole string
	// omitJob: leave this job out of a job list (Fault.OmitJob).
	omitJob string
}

// route serves one operation. pattern is lower case, "{}" matches one
// segment. name is how tests refer to it in faults and the request log.
type route struct {
	method    string
	pattern   []string
	name      string
	anonymous bool
	versions  map[string]bool // nil: every version
	handle    func(c *call)
	// success: the status of a successful answer per version (succeeds).
	success map[string]int
}

// literals counts the fixed segments: the more, the more specific.
func (rt *route) literals() int {
	n := 0
	for _, p := range rt.pattern {
		if p != "{}" {
			n++
		}
	}
	return n
}

// servesVersion reports whether the route exists in an API version.
func (rt *route) servesVersion(v string) bool { return rt.versions == nil || rt.versions[v] }

// router is a server's route table, built by New from each area's route
// function. Which route answers does not depend on the order they were
// added in: the most specific match (most fixed segments) wins, and two
// routes that would answer the same request are refused when added.
type router struct {
	routes []route
	admin  map[string]func(*call) // "METHOD /_fake/path", lower-case path
}

func newRouter() *router {
	r := &router{admin: map[string]func(*call){}}
	for _, add := range []func(*router){authRoutes, organizationRoutes, userRoutes, groupRoutes, siteRoutes, teamRoutes, rbacRoutes, auditItemRoutes, auditEmailSettingsRoutes, jobEmailSettingsRoutes, restoreSessionRoutes, jobRoutes, adminRoutes} {
		add(r)
	}
	return r
}

// handle adds a route; template looks like "/Organizations/{organizationId}".
func (r *router) handle(method, template string, h func(c *call), opts ...func(*route)) {
	segs := strings.Split(strings.Trim(template, "/"), "/")
	pattern := make([]string, len(segs))
	for i, sg := range segs {
		if strings.HasPrefix(sg, "{") {
			pattern[i] = "{}"
		} else {
			pattern[i] = strings.ToLower(sg)
		}
	}
	rt := route{method: method, pattern: pattern, name: method + " " + template, handle: h}
	for _, o := range opts {
		o(&rt)
	}
	for _, other := range r.routes {
		if other.method == rt.method && slices.Equal(other.pattern, rt.pattern) && versionsOverlap(other.versions, rt.versions) {
			panic("vb365test: " + rt.name + " is served twice")
		}
	}
	r.routes = append(r.routes, rt)
}

// handleOrg adds a route whose first path parameter is an organization: the
// handler runs under the server's lock with the organization resolved, and
// an unknown organization is answered 404 before it is called.
func (r *router) handleOrg(method, template string, h func(c *call, org *Organization), opts ...func(*route)) {
	r.handle(method, template, func(c *call) {
		c.s.mu.Lock()
		defer c.s.mu.Unlock()
		if org := c.organization(); org != nil {
			h(c, org)
		}
	}, opts...)
}

// handleAdmin adds an out-of-band operation under /_fake/.
func (r *router) handleAdmin(method, path string, h func(c *call)) {
	r.admin[method+" "+strings.ToLower(path)] = h
}

func versionsOverlap(a, b map[string]bool) bool {
	if a == nil || b == nil {
		return true
	}
	for v := range a {
		if b[v] {
			return true
		}
	}
	return false
}

func anonymous(r *route) { r.anonymous = true }

// succeeds sets a route's success status in v6, v7 and v8.
func succeeds(v6, v7, v8 int) func(*route) { //nolint:unparam // every v8 write so far answers 204; the next one may not
	return func(r *route) { r.success = map[string]int{"v6": v6, "v7": v7, "v8": v8} }
}

// onlyVersions limits a route to some API versions ("v6", "v7", "v8").
func onlyVersions(vs ...string) func(*route) {
	return func(r *route) {
		r.versions = map[string]bool{}
		for _, v := range vs {
			r.versions[v] = true
		}
	}
}

var knownVersions = map[string]bool{"v6": true, "v7": true, "v8": true}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	c := &call{s: s, w: rec, r: r, rec: rec}
	entry := LoggedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Route: "unknown"}
	defer func() {
		entry.Status = rec.status
		s.mu.Lock()
		s.log = append(s.log, entry)
		s.mu.Unlock()
	}()

	if strings.HasPrefix(r.URL.Path, "/_fake/") {
		entry.Route = "admin"
		s.serveAdmin(c)
		return
	}
	segs := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	if len(segs) < 2 || !knownVersions[strings.ToLower(segs[0])] {
		c.errorf(http.StatusNotFound, "ResourceNotFound", "No HTTP resource was found that matches the request URI '%s'.", r.URL.Path)
		return
	}
	c.version = strings.ToLower(segs[0])
	entry.Version = c.version
	rt, params, methodMismatch := s.router.match(r.Method, c.version, segs[1:])
	if rt == nil {
		if methodMismatch {
			c.errorf(http.StatusMethodNotAllowed, "", "The requested resource does not support http method '%s'.", r.Method)
			return
		}
		c.errorf(http.StatusNotFound, "ResourceNotFound", "No HTTP resource was found that matches the request URI '%s'.", r.URL.Path)
		return
	}
	entry.Route = rt.name
	c.params, c.route = params, rt
	if s.applyFault(c, rt.name) {
		return
	}
	if c.dropAfter {
		c.w = &discardWriter{h: http.Header{}}
		defer c.dropConnection()
	}
	if !rt.anonymous && !s.authorized(r) {
		c.writeJSON(http.StatusUnauthorized, map[string]any{"message": "Authorization has been denied for this request."})
		return
	}
	rt.handle(c)
}

// match finds the most specific route for a request; methodMismatch says
// that a route has the path but not the method (405).
func (r *router) match(method, version string, segs []string) (best *route, params []string, methodMismatch bool) {
	for i := range r.routes {
		rt := &r.routes[i]
		if len(rt.pattern) != len(segs) || !rt.servesVersion(version) {
			continue
		}
		got, ok := rt.params(segs)
		if !ok {
			continue
		}
		if !strings.EqualFold(rt.method, method) {
			methodMismatch = true
			continue
		}
		if best == nil || rt.literals() > best.literals() {
			best, params = rt, got
		}
	}
	if best != nil {
		return best, params, false
	}
	return nil, nil, methodMismatch
}

// params matches the path segments and returns the unescaped parameters.
func (rt *route) params(segs []string) ([]string, bool) {
	var params []string
	for j, p := range rt.pattern {
		if p == "{}" {
			v, err := url.PathUnescape(segs[j])
			if err != nil {
				return nil, false
			}
			params = append(params, v)
			continue
		}
		if p != strings.ToLower(segs[j]) {
			return nil, false
		}
	}
	return params, true
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// ---- response helpers ----

func (c *call) writeJSON(status int, v any) {
	c.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	c.w.WriteHeader(status)
	_ = json.NewEncoder(c.w).Encode(v)
}

func (c *call) noContent(status int) {
	c.w.WriteHeader(status)
}

// errorf answers RESTExceptionInfo in the version's shape: v6 {message},
// v7 {message, errorCode}, v8 {message, errorCode, stackTrace}.
func (c *call) errorf(status int, code, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	body := map[string]any{"message": msg}
	switch c.version {
	case "v6":
	case "v7":
		// v7's enum only knows ProxyOffline; other codes are sent as null.
		if code == "ProxyOffline" {
			body["errorCode"] = code
		} else {
			body["errorCode"] = nil
		}
	default:
		if code == "" {
			body["errorCode"] = nil
		} else {
			body["errorCode"] = code
		}
		body["stackTrace"] = nil
	}
	c.writeJSON(status, body)
}

// decode reads a JSON body into v; false (with a 400 sent) when it fails.
func (c *call) decode(v any) bool {
	dec := json.NewDecoder(c.r.Body)
	if err := dec.Decode(v); err != nil {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The request body is invalid: %v", err)
		return false
	}
	return true
}

// query returns a query parameter, matching its name case-insensitively
// (the real server binds parameters without regard to case).
func (c *call) query(name string) string {
	for k, v := range c.r.URL.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// success is the documented success status of the call's route in its
// version (succeeds); 200 for a route that declares none.
func (c *call) success() int {
	if code, ok := c.route.success[c.version]; ok {
		return code
	}
	return http.StatusOK
}

// nullable returns nil for an empty string so it is sent as JSON null.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// text returns s, or null when empty and the NullsInNonNullable quirk is on.
func (c *call) text(s string) any {
	if s == "" && c.s.opts.Quirks.NullsInNonNullable {
		return nil
	}
	return s
}

func (c *call) link(path string) map[string]any {
	return map[string]any{"href": "/" + c.version + path}
}

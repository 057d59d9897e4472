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
	"math/rand/v2"
	"net/http/httptest"
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

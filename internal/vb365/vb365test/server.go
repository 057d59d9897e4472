// Package vb365test is a faithful, in-memory fake of the Veeam Backup for
// Microsoft 365 REST API (v6, v7 and v8, and v5 for the audit control:
// v5.go) for the endpoints the provider uses. It speaks the wire format of Veeam's OpenAPI documents and shares
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

	// REST API v5 (v5.go): what its documents leave open.

	// V5AnswersAsV6: /v5 is answered with v6's success codes and shapes
	// (relative hrefs, setId and totalCount on pages, locationType, a
	// bodiless PUT), v5's paths kept: a VB365 8 server whose deprecated v5
	// runs on newer code. Whether an 8.x server answers v5 with v5 shapes
	// is not known.
	V5AnswersAsV6 bool
	// V5PageSetID: v5 user and group pages carry a setId and honour it
	// (the v5 pagination page has no setId; a v5 client sends it anyway).
	V5PageSetID bool
	// V5PageTotalCount: v5 pages carry totalCount.
	V5PageTotalCount bool
	// V5ExtendedViewRequired: GET /v5/Organizations without extendedView
	// answers 400, as SPEC6 declares the parameter required.
	V5ExtendedViewRequired bool
	// V5UserLocationType: v5 users carry locationType (the documents'
	// example has none).
	V5UserLocationType bool
	// V5EmailUsername: GET /v5/AuditEmailSettings answers username (the
	// v5 documents list it as a PUT field only).
	V5EmailUsername bool
	// V5EmailPutNoEcho: PUT /v5/AuditEmailSettings answers 200 without a
	// body instead of the stored settings.
	V5EmailPutNoEcho bool
	// V5SendTestNeedsObject: POST /v5/AuditEmailSettings/action sends the
	// test mail for {"sendTest": {}} only and refuses {"sendTest": null}
	// (an action chosen by a non-null member rather than by its key).
	V5SendTestNeedsObject bool
	// V5LinkOrigin, when not empty, is the scheme, host and port v5 writes
	// into its absolute hrefs (e.g. "https://vbo365.corp.local:4443")
	// instead of the address the request came to: a server behind a
	// reverse proxy or NAT that knows itself by another name.
	V5LinkOrigin string
	// ExplorerEmailUnsetNull: an Explorer's mail account that was never
	// written (a fresh install) answers null for every field instead of
	// defaults (disabled, port 25, CustomSmtp); Exchange and Teams declare
	// most of them nullable.
	ExplorerEmailUnsetNull bool
	// ExplorerEmailPutReplaces: PUT /Ve{x,od,sp,t}EmailSettings replaces the
	// stored account with the body: a field the body leaves out is reset to
	// its fresh-install value, the password included, and an OAuth sign-in is
	// kept only when the body names its userId (or brings a new requestId).
	// Without it a PUT changes only the fields it is sent, as the audit
	// settings are documented to.
	ExplorerEmailPutReplaces bool
	// ExplorerSMTPWithoutRequestID: an Explorer's PUT that carries no
	// requestId switches an OAuth account back to CustomSmtp (the request has
	// no authenticationType, so the server infers it). Without it the type
	// stays what the last sign-in made it.
	ExplorerSMTPWithoutRequestID bool
	// GroupMembersWithoutLinks: GET .../Groups/{groupId}/Members links no
	// member to its /Users or /Groups object (only to the group asked
	// about), so a member is known by its login alone and a nested group
	// must be looked up by its mail address.
	GroupMembersWithoutLinks bool
	// RoleGroupSelectionFrozen: a group in a role's selected or excluded
	// items holds, for RolesCovering, only the members it had when it was
	// added to the role, not members added to the group later.
	RoleGroupSelectionFrozen bool
	// ProtectedIDsAreUserIDs: a protected user's id is its /Users id
	// instead of an ID of its own.
	ProtectedIDsAreUserIDs bool
	// RepositoryFiltersIgnored: GET /BackupRepositories ignores proxyId,
	// proxyPoolId, organizationId and longTerm and answers every repository,
	// as a server (or a proxy that drops the query) might.
	RepositoryFiltersIgnored bool
	// RepositoryOrganizationFilterIncludesUnassigned: GET
	// /BackupRepositories?organizationId= (v8) also answers the repositories
	// of no organization (the document does not say which it answers).
	RepositoryOrganizationFilterIncludesUnassigned bool
	// ObjectStorageListOmitsLongTerm: GET /objectstoragerepositories (v6, v7)
	// without longTerm=true leaves out the archive tiers (the v6 document
	// does not say what the list holds without the parameter).
	ObjectStorageListOmitsLongTerm bool
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
	// access: group memberships, protected data, the Restore Portal
	// (restore_access.go).
	access dataAccess
	// infra: proxies, repositories, object storages (backup_repositories.go).
	infra infrastructure

	// jobs, their lows and starts (jobs.go); a job's repositoryId must
	// name one of infra's repositories.
	jobs      []*Job
	jobLows   map[string]*JobLow
	jobStarts []JobStart

	faults []*Fault
	rng    *rand.Rand
	log    []LoggedRequest

	// explorers: the Explorers' mail accounts (explorer_email_settings.go).
	explorers explorerEmailState

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
		infra:    newInfrastructure(),
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

package vb365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Audit item types (RESTAuditUserOrGroup.type).
const (
	AuditTypeUser  = "User"
	AuditTypeGroup = "Group"
)

// AuditItem is RESTAuditUserOrGroup: one user or group whose backed-up data
// is audited. ID is the audit item's own opaque ID (not the principal's).
//
// The user.id / group.id embedded in a GET answer may not equal the ID that
// /Users or /Groups return (a public client splits it on ':' and takes
// segment 3); match items to principals with MatchAuditItem, never by
// comparing PrincipalID alone.
type AuditItem struct {
	ID    string           `json:"id"`
	Type  string           `json:"type"`
	User  *User            `json:"user"`
	Group *Group           `json:"group"`
	Links map[string]*Link `json:"_links"`
}

// IsUser reports whether the item audits a user: its type says User, or
// the type is one this client does not know (empty, or newer than the
// documents, such as "UserV2") and the item embeds a user object only.
func (it *AuditItem) IsUser() bool {
	if it.knownType() {
		return strings.EqualFold(it.Type, AuditTypeUser)
	}
	return it.User != nil && it.Group == nil
}

// IsGroup reports whether the item audits a group, by the same rules.
func (it *AuditItem) IsGroup() bool {
	if it.knownType() {
		return strings.EqualFold(it.Type, AuditTypeGroup)
	}
	return it.Group != nil && it.User == nil
}

func (it *AuditItem) knownType() bool {
	return strings.EqualFold(it.Type, AuditTypeUser) || strings.EqualFold(it.Type, AuditTypeGroup)
}

// principal returns the embedded user or group as its four identifying
// fields; all empty when the item carries neither.
func (it *AuditItem) principal() (id, name, displayName, msid string) {
	switch {
	case it.IsUser() && it.User != nil:
		return it.User.ID, it.User.Name, it.User.DisplayName, it.User.MSID
	case it.IsGroup() && it.Group != nil:
		return it.Group.ID, it.Group.Name, it.Group.DisplayName, it.Group.MSID
	}
	return "", "", "", ""
}

// PrincipalID is user.id or group.id as the audit list embeds it.
func (it *AuditItem) PrincipalID() string { id, _, _, _ := it.principal(); return id }

// PrincipalName is the e-mail address (name) of the audited principal.
func (it *AuditItem) PrincipalName() string { _, name, _, _ := it.principal(); return name }

// PrincipalDisplayName is the display name of the audited principal.
func (it *AuditItem) PrincipalDisplayName() string { _, _, dn, _ := it.principal(); return dn }

// PrincipalMSID is the Microsoft Entra object ID of the principal (v8).
func (it *AuditItem) PrincipalMSID() string { _, _, _, msid := it.principal(); return msid }

// NormalizedType is "User" or "Group" (the server's casing), or the raw value.
func (it *AuditItem) NormalizedType() string {
	switch {
	case it.IsUser():
		return AuditTypeUser
	case it.IsGroup():
		return AuditTypeGroup
	}
	return it.Type
}

// Principal identifies a user or group to find among audit items. ID is the
// ID /Users or /Groups return; MSID and Name are optional fallbacks.
type Principal struct {
	Type string // AuditTypeUser or AuditTypeGroup
	ID   string
	MSID string
	Name string
}

// UserPrincipal and GroupPrincipal describe a looked-up principal.
func UserPrincipal(u *User) Principal {
	return Principal{Type: AuditTypeUser, ID: u.ID, MSID: u.MSID, Name: u.Name}
}

func GroupPrincipal(g *Group) Principal {
	return Principal{Type: AuditTypeGroup, ID: g.ID, MSID: g.MSID, Name: g.Name}
}

// Match strength of an audit item against a principal, strongest first.
const (
	matchNone = iota
	matchName
	matchMSID
	matchSegment
	matchID
)

// idMatch compares an embedded principal ID with a /Users or /Groups ID:
// equal, or equal to one of the embedded ID's ':'-separated segments (or to
// everything after the third ':', should the ID itself hold colons).
func idMatch(embedded, id string) int {
	if embedded == "" || id == "" {
		return matchNone
	}
	if strings.EqualFold(embedded, id) {
		return matchID
	}
	if !strings.Contains(embedded, ":") {
		return matchNone
	}
	for _, seg := range strings.Split(embedded, ":") {
		if strings.EqualFold(seg, id) {
			return matchSegment
		}
	}
	if parts := strings.SplitN(embedded, ":", 4); len(parts) == 4 && strings.EqualFold(parts[3], id) {
		return matchSegment
	}
	return matchNone
}

func (it *AuditItem) match(p Principal) int {
	if !strings.EqualFold(it.NormalizedType(), p.Type) {
		return matchNone
	}
	if m := idMatch(it.PrincipalID(), p.ID); m != matchNone {
		return m
	}
	if p.MSID != "" && strings.EqualFold(it.PrincipalMSID(), p.MSID) {
		return matchMSID
	}
	if p.Name != "" && strings.EqualFold(it.PrincipalName(), p.Name) {
		// A name shared with a principal whose MSID is known and different
		// is someone else.
		if p.MSID != "" && it.PrincipalMSID() != "" {
			return matchNone
		}
		return matchName
	}
	return matchNone
}

// MatchAuditItem returns the audit item of principal p, or nil. It prefers,
// in order: the same ID, an ID segment equal to p.ID, the same MSID, the
// same name ignoring case; the first item of the strongest kind wins.
func MatchAuditItem(items []AuditItem, p Principal) *AuditItem {
	best, bestScore := -1, matchNone
	for i := range items {
		if s := items[i].match(p); s > bestScore {
			best, bestScore = i, s
		}
	}
	if best < 0 {
		return nil
	}
	return &items[best]
}

// ---- wire format ----

// auditItemBody is one element of the POST AuditItems array: the principal
// object as /Users or /Groups returned it, under a top-level type of User or
// Group (the principal's own type, e.g. Office365, is refused).
type auditItemBody struct {
	Type  string          `json:"type"`
	User  *auditUserBody  `json:"user,omitempty"`
	Group *auditGroupBody `json:"group,omitempty"`
}

type auditUserBody struct {
	ID            string           `json:"id"`
	DisplayName   string           `json:"displayName"`
	Name          string           `json:"name"`
	Type          string           `json:"type,omitempty"`
	LocationType  string           `json:"locationType,omitempty"`
	OnPremisesSID string           `json:"onPremisesSid,omitempty"`
	Office        string           `json:"office,omitempty"`
	MSID          string           `json:"msid,omitempty"`
	Links         map[string]*Link `json:"_links,omitempty"`
}

type auditGroupBody struct {
	ID            string           `json:"id"`
	DisplayName   string           `json:"displayName"`
	Name          string           `json:"name,omitempty"`
	ManagedBy     string           `json:"managedBy,omitempty"`
	Site          string           `json:"site,omitempty"`
	Type          string           `json:"type,omitempty"`
	LocationType  string           `json:"locationType,omitempty"`
	OnPremisesSID string           `json:"onPremisesSid,omitempty"`
	MSID          string           `json:"msid,omitempty"`
	Links         map[string]*Link `json:"_links,omitempty"`
}

// AuditEntry is a principal to add: exactly one of User and Group, as
// GetUser / GetGroup (or the lists) returned it.
type AuditEntry struct {
	User  *User
	Group *Group
}

func (e AuditEntry) body() (auditItemBody, error) {
	switch {
	case e.User != nil && e.Group == nil:
		u := e.User
		return auditItemBody{Type: AuditTypeUser, User: &auditUserBody{
			ID: u.ID, DisplayName: u.DisplayName, Name: u.Name, Type: u.Type, LocationType: u.LocationType,
			OnPremisesSID: u.OnPremisesSID, Office: u.Office, MSID: u.MSID, Links: u.Links,
		}}, nil
	case e.Group != nil && e.User == nil:
		g := e.Group
		return auditItemBody{Type: AuditTypeGroup, Group: &auditGroupBody{
			ID: g.ID, DisplayName: g.DisplayName, Name: g.Name, ManagedBy: g.ManagedBy, Site: g.Site, Type: g.Type,
			LocationType: g.LocationType, OnPremisesSID: g.OnPremisesSID, MSID: g.MSID, Links: g.Links,
		}}, nil
	}
	return auditItemBody{}, errors.New("an audit entry needs exactly one of a user and a group")
}

// Principal is the entry as a Principal to match audit items against.
func (e AuditEntry) Principal() Principal {
	if e.Group != nil {
		return GroupPrincipal(e.Group)
	}
	return UserPrincipal(e.User)
}

type removeAuditItemsBody struct {
	ItemIDs []string `json:"itemIds"`
}

func auditPath(orgID string) string { return "Organizations/" + escape(orgID) + "/AuditItems" }

// ---- operations ----

// ListAuditItems returns the audit items of an organization; a
// *NotFoundError of Kind "organization" when it does not exist.
//
// The answer is shared (see auditCache): concurrent callers share one
// request and later callers get the cached list, but never a list sent
// before a write of this client returned, and never one older than the TTL.
// So after AddAuditItems the caller's next ListAuditItems shows the added
// principals. The returned slice is the caller's; the User/Group values it
// points to are shared and must not be modified.
func (c *Client) ListAuditItems(ctx context.Context, orgID string) ([]AuditItem, error) {
	return c.audit.list(ctx, orgID, func(ctx context.Context) ([]AuditItem, error) {
		return c.fetchAuditItems(ctx, orgID)
	})
}

// AddAuditItems adds users and groups to the organization's audit list in
// one request (the API takes an array and answers no IDs: list afterwards to
// find the items). Adding a principal that is already audited is a no-op on
// some servers and an error on others.
//
// The POST is safe to repeat: after a 5xx, a lost answer or a timeout the
// server may or may not have added the items, so the client lists them and
// sends again only the principals still missing (up to MaxRetries times).
// No principal is added twice and none is lost.
func (c *Client) AddAuditItems(ctx context.Context, orgID string, entries []AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	for _, e := range entries {
		if _, err := e.body(); err != nil {
			return err
		}
	}
	defer c.audit.wrote(orgID)
	pending := entries
	for retry := 0; ; retry++ {
		body := make([]auditItemBody, 0, len(pending))
		for _, e := range pending {
			b, _ := e.body()
			body = append(body, b)
		}
		err := c.do(ctx, request{method: http.MethodPost, path: auditPath(orgID), body: body, wantStatus: c.spec.auditItemsAddStatus}, nil)
		if err == nil || !uncertainWrite(err) || retry >= c.cfg.MaxRetries {
			return err
		}
		items, lerr := c.fetchAuditItems(ctx, orgID)
		if lerr != nil {
			return err
		}
		var missing []AuditEntry
		for _, e := range pending {
			if MatchAuditItem(items, e.Principal()) == nil {
				missing = append(missing, e)
			}
		}
		c.log.Debug(ctx, "VB365 audit-item add failed; listed to see what the server did", map[string]any{
			"organization_id": orgID, "error": err.Error(), "sent": len(pending), "still_missing": len(missing),
		})
		if len(missing) == 0 {
			return nil
		}
		pending = missing
		if serr := c.sleep(ctx, c.backoff(retry)); serr != nil {
			return serr
		}
	}
}

// RemoveAuditItems removes audit items by their item IDs in one request.
// Depending on the server, an unknown ID is ignored or answered with 404
// (ErrNotFound). Like AddAuditItems it is safe to repeat: after an
// uncertain failure it lists and sends again only the IDs still there.
func (c *Client) RemoveAuditItems(ctx context.Context, orgID string, itemIDs []string) error {
	if len(itemIDs) == 0 {
		return nil
	}
	defer c.audit.wrote(orgID)
	pending := itemIDs
	for retry := 0; ; retry++ {
		err := c.do(ctx, request{method: http.MethodPost, path: auditPath(orgID) + "/remove", body: removeAuditItemsBody{ItemIDs: pending}, wantStatus: c.spec.auditItemsRemoveStatus}, nil)
		if err == nil || !uncertainWrite(err) || retry >= c.cfg.MaxRetries {
			return err
		}
		items, lerr := c.fetchAuditItems(ctx, orgID)
		if lerr != nil {
			return err
		}
		present := map[string]bool{}
		for _, it := range items {
			present[strings.ToLower(it.ID)] = true
		}
		var left []string
		for _, id := range pending {
			if present[strings.ToLower(id)] {
				left = append(left, id)
			}
		}
		c.log.Debug(ctx, "VB365 audit-item remove failed; listed to see what the server did", map[string]any{
			"organization_id": orgID, "error": err.Error(), "sent": len(pending), "still_there": len(left),
		})
		if len(left) == 0 {
			return nil
		}
		pending = left
		if serr := c.sleep(ctx, c.backoff(retry)); serr != nil {
			return serr
		}
	}
}

// fetchAuditItems lists the audit items without the shared cache: what a
// write's own check must see is the server's list now.
func (c *Client) fetchAuditItems(ctx context.Context, orgID string) ([]AuditItem, error) {
	var items []AuditItem
	err := c.do(ctx, request{method: http.MethodGet, path: auditPath(orgID), wantStatus: http.StatusOK, idempotent: true}, &items)
	return items, listError(err, orgID)
}

// MayHaveWritten reports whether a write that failed with err may still
// have been carried out by the server: a 5xx, no answer, or the caller's
// context ending while the request was under way (an interrupted apply).
func MayHaveWritten(err error) bool {
	return err != nil && (uncertainWrite(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}

// uncertainWrite reports whether a write that failed with err may still
// have been carried out: a 5xx, or no answer (dropped connection, timeout)
// that retrying can change. A 4xx or a refused redirect means it was not.
func uncertainWrite(err error) bool {
	if errors.Is(err, ErrServer) {
		return true
	}
	var te *TransportError
	if errors.As(err, &te) {
		permanent, _ := permanentTransportError(te.Err)
		return !permanent
	}
	return false
}

// ResolveAuditPrincipalIDs works out, for every item, the ID that /Users or
// /Groups return for its principal, keyed by item ID. known lists IDs the
// caller expects (from configuration or state): an item whose embedded ID
// equals one or has it as a ':' segment gets that ID without a request. The
// embedded ID of any other item is taken as is when it has no ':'; a
// composite one is looked up by the principal's name (one request per such
// item, checking the MSID when both sides have one), and falls back to its
// segment 3.
func (c *Client) ResolveAuditPrincipalIDs(ctx context.Context, orgID string, items []AuditItem, knownUsers, knownGroups []string) (map[string]string, error) {
	out := make(map[string]string, len(items))
	for i := range items {
		it := &items[i]
		known := knownUsers
		if it.IsGroup() {
			known = knownGroups
		}
		embedded := it.PrincipalID()
		best, bestScore := "", matchNone
		for _, id := range known {
			if s := idMatch(embedded, id); s > bestScore {
				best, bestScore = id, s
			}
		}
		if bestScore != matchNone {
			out[it.ID] = best
			continue
		}
		if !strings.Contains(embedded, ":") {
			out[it.ID] = embedded
			continue
		}
		id, err := c.lookupPrincipalID(ctx, orgID, it)
		if err != nil {
			return nil, err
		}
		if id == "" {
			id = embedded
			if parts := strings.SplitN(embedded, ":", 4); len(parts) == 4 {
				id = parts[3]
			}
		}
		out[it.ID] = id
	}
	return out, nil
}

// lookupPrincipalID finds the /Users or /Groups ID of an item's principal by
// its name; "" when there is no single match.
func (c *Client) lookupPrincipalID(ctx context.Context, orgID string, it *AuditItem) (string, error) {
	name, msid := it.PrincipalName(), it.PrincipalMSID()
	switch {
	case it.IsUser() && name != "":
		users, err := c.ListUsers(ctx, orgID, UserFilter{UserName: name})
		if err != nil {
			return "", err
		}
		var found []string
		for _, u := range users {
			if strings.EqualFold(u.Name, name) && (msid == "" || u.MSID == "" || strings.EqualFold(u.MSID, msid)) {
				found = append(found, u.ID)
			}
		}
		if len(found) == 1 {
			return found[0], nil
		}
	case it.IsGroup() && (name != "" || it.PrincipalDisplayName() != ""):
		f := GroupFilter{GroupName: name}
		if name == "" {
			f = GroupFilter{DisplayName: it.PrincipalDisplayName()}
		}
		groups, err := c.ListGroups(ctx, orgID, f)
		if err != nil {
			return "", err
		}
		var found []string
		for _, g := range groups {
			same := strings.EqualFold(g.Name, name)
			if name == "" {
				same = g.DisplayName == it.PrincipalDisplayName()
			}
			if same && (msid == "" || g.MSID == "" || strings.EqualFold(g.MSID, msid)) {
				found = append(found, g.ID)
			}
		}
		if len(found) == 1 {
			return found[0], nil
		}
	}
	return "", nil
}

// ---- sharing ----

// DefaultAuditListTTL bounds how long a fetched audit list is reused when no
// write happened in between (changes made behind the client's back show
// after at most this long).
const DefaultAuditListTTL = 5 * time.Second

// DefaultAuditListLinger is how long a list that follows a write waits for
// other writes to finish, so that the read-backs of parallel creates share
// one request.
const DefaultAuditListLinger = 20 * time.Millisecond

// auditCache shares GET AuditItems per organization between the concurrent
// Read/Create/Update/Delete calls of one Terraform operation, so that N
// resources in one organization cost one list, not N. The zero value is
// ready to use.
//
// Correctness rests on a generation counter per organization: every write
// (add, remove) bumps it when it returns, whether it succeeded or not. A
// request records the generation current when it was sent and only answers
// callers that found that generation or an older one. A caller that wrote
// finds at least its own write's generation, so a list sent before its
// write finished never answers it: a Create always sees its own item.
//
// Sharing: at most one GET per organization is in flight. A caller joins it
// when its generation allows; otherwise it joins the pending list, which is
// sent when the running one ends, with the generation of that moment, and
// answers everybody who joined it. A list that follows a recent write
// lingers a moment before it is sent, so that parallel writers share it.
// The last answer is cached for callers of the same generation, for at most
// the TTL.
//
// (A flight keyed by generation alone, as with singleflight, degenerates to
// one list per writer when N creates interleave, since every write bumps the
// generation before the next list starts: 47 parallel creates cost 47 lists.)
type auditCache struct {
	mu   sync.Mutex
	orgs map[string]*auditOrgState

	// Tests replace these; zero means the defaults.
	ttl    time.Duration
	linger time.Duration
	now    func() time.Time
}

type auditOrgState struct {
	gen       uint64
	lastWrite time.Time
	cached    *auditCacheEntry
	running   *auditFlight // sent
	pending   *auditFlight // not sent yet: anyone may join
}

type auditCacheEntry struct {
	gen     uint64
	fetched time.Time
	items   []AuditItem
}

type auditFlight struct {
	gen   uint64 // generation when the request was sent
	ctx   context.Context
	done  chan struct{}
	items []AuditItem
	err   error
}

func auditKey(orgID string) string { return strings.ToLower(orgID) }

func (a *auditCache) clock() time.Time {
	if a.now != nil {
		return a.now()
	}
	return time.Now()
}

func (a *auditCache) timeToLive() time.Duration {
	if a.ttl > 0 {
		return a.ttl
	}
	return DefaultAuditListTTL
}

func (a *auditCache) lingerFor() time.Duration {
	if a.linger != 0 {
		return max(a.linger, 0)
	}
	return DefaultAuditListLinger
}

// org returns an organization's state. Callers hold a.mu.
func (a *auditCache) org(k string) *auditOrgState {
	if a.orgs == nil {
		a.orgs = map[string]*auditOrgState{}
	}
	st := a.orgs[k]
	if st == nil {
		st = &auditOrgState{}
		a.orgs[k] = st
	}
	return st
}

// wrote records a write to an organization's audit list.
func (a *auditCache) wrote(orgID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.org(auditKey(orgID))
	st.gen++
	st.lastWrite = a.clock()
	st.cached = nil
}

func (a *auditCache) list(ctx context.Context, orgID string, fetch func(context.Context) ([]AuditItem, error)) ([]AuditItem, error) {
	k := auditKey(orgID)
	a.mu.Lock()
	st := a.org(k)
	if e := st.cached; e != nil && e.gen == st.gen && a.clock().Sub(e.fetched) < a.timeToLive() {
		a.mu.Unlock()
		return append([]AuditItem(nil), e.items...), nil
	}
	var f *auditFlight
	if st.running != nil && st.running.gen >= st.gen {
		f = st.running
	} else {
		if st.pending == nil {
			st.pending = &auditFlight{ctx: ctx, done: make(chan struct{})}
			if st.running == nil {
				go a.send(st, fetch)
			}
		}
		f = st.pending
	}
	a.mu.Unlock()

	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("listing the audit items of organization %s: %w", orgID, ctx.Err())
	case <-f.done:
		if f.err != nil {
			return nil, f.err
		}
		return append([]AuditItem(nil), f.items...), nil
	}
}

// send sends the pending list, after lingering when a write was recent,
// and then the next pending one, if any. The request must not fail for
// everybody when the caller that created it gives up, so it runs without
// that caller's cancellation (each caller waits on its own context; the
// HTTP timeout bounds the request).
func (a *auditCache) send(st *auditOrgState, fetch func(context.Context) ([]AuditItem, error)) {
	for {
		a.mu.Lock()
		wait := st.lastWrite.Add(a.lingerFor()).Sub(a.clock())
		a.mu.Unlock()
		if wait > 0 {
			time.Sleep(min(wait, a.lingerFor()))
		}

		a.mu.Lock()
		f := st.pending
		st.pending, st.running = nil, f
		f.gen = st.gen
		a.mu.Unlock()

		started := a.clock()
		items, err := fetch(context.WithoutCancel(f.ctx))
		if err == nil && items == nil {
			items = []AuditItem{}
		}
		f.items, f.err, f.ctx = items, err, nil

		a.mu.Lock()
		if err == nil && st.gen == f.gen {
			st.cached = &auditCacheEntry{gen: f.gen, fetched: started, items: items}
		}
		st.running = nil
		more := st.pending != nil
		a.mu.Unlock()
		close(f.done)
		if !more {
			return
		}
	}
}

// auditGeneration is an organization's write generation (tests).
func (c *Client) auditGeneration(orgID string) uint64 {
	c.audit.mu.Lock()
	defer c.audit.mu.Unlock()
	return c.audit.org(auditKey(orgID)).gen
}

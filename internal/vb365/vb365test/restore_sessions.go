package vb365test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Restore sessions: every explore or restore session VB365 records, with
// its events (view, save, export, send, restore). Read-only over REST; tests
// and the demo add sessions out of band.

// RestoreSession is a stored session. Type is the API code (Vex, Veod,
// Vesp, Vet); a zero EndTime means the session still runs.
type RestoreSession struct {
	ID, Name, Organization, Type string
	CreationTime, EndTime        time.Time
	State, Result                string // Working|Stopped, Success|Warning|Failed
	InitiatedBy, Details         string
	ScopeName, ClientHost        string
	Reason                       string
	Events                       []RestoreSessionEvent
}

// RestoreSessionEvent is one thing done in a session.
type RestoreSessionEvent struct {
	ID, Type, Status   string // Type: None|Save|Export|Send|Restore|View
	ItemName, ItemType string
	ItemSizeBytes      int64
	Source, Target     string
	StartTime          time.Time
	Title, Message     string
	OrganizationID     string
	UserID, GroupID    string
	SiteID, TeamID     string
}

func restoreSessionRoutes(r *router) {
	r.handle(http.MethodGet, "/RestoreSessions", (*call).listRestoreSessions)
	r.handle(http.MethodGet, "/RestoreSessions/{restoreSessionId}", (*call).getRestoreSession)
	r.handle(http.MethodGet, "/RestoreSessions/{restoreSessionId}/Events", (*call).listRestoreSessionEvents)

	// POST /_fake/restore-sessions {"initiatedBy": ..., "type": "Vex", "events": [{"type": "Restore", "userId": ...}]}
	// records a session as if someone had run it now.
	r.handleAdmin(http.MethodPost, "/_fake/restore-sessions", func(c *call) {
		var in struct {
			Name, Organization, Type, InitiatedBy, ScopeName, ClientHost, Reason string
			Events                                                               []struct {
				Type, ItemName, UserID, GroupID, SiteID, TeamID string
			}
		}
		if !c.decode(&in) {
			return
		}
		rs := RestoreSession{Name: in.Name, Organization: in.Organization, Type: in.Type, InitiatedBy: in.InitiatedBy, ScopeName: in.ScopeName, ClientHost: in.ClientHost, Reason: in.Reason}
		for _, e := range in.Events {
			rs.Events = append(rs.Events, RestoreSessionEvent{Type: e.Type, ItemName: e.ItemName, UserID: e.UserID, GroupID: e.GroupID, SiteID: e.SiteID, TeamID: e.TeamID})
		}
		c.writeJSON(http.StatusOK, map[string]any{"id": c.s.AddRestoreSession(rs)})
	})
}

// AddRestoreSession records a session and returns its ID. Empty fields get
// plausible values: now for the times, Stopped/Success, "Vex".
func (s *Server) AddRestoreSession(rs RestoreSession) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC()
	if rs.ID == "" {
		rs.ID = GUID("restore-session", s.nextID())
	}
	if rs.CreationTime.IsZero() {
		rs.CreationTime = now
	}
	if rs.State == "" {
		rs.State, rs.EndTime = "Stopped", rs.CreationTime.Add(5*time.Minute)
	}
	if rs.Result == "" {
		rs.Result = "Success"
	}
	if rs.Type == "" {
		rs.Type = "Vex"
	}
	if rs.Organization == "" {
		rs.Organization = DemoOrganization
	}
	if rs.Name == "" {
		rs.Name = restoreSessionNames[rs.Type]
	}
	for i := range rs.Events {
		e := &rs.Events[i]
		if e.ID == "" {
			e.ID = GUID("restore-event", s.nextID())
		}
		if e.StartTime.IsZero() {
			e.StartTime = rs.CreationTime.Add(time.Duration(i+1) * time.Second)
		}
		if e.Status == "" {
			e.Status = "Success"
		}
		if e.Type == "" {
			e.Type = "View"
		}
	}
	s.restores = append(s.restores, &rs)
	return rs.ID
}

// RestoreSessions returns the stored sessions, oldest first.
func (s *Server) RestoreSessions() []RestoreSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RestoreSession, len(s.restores))
	for i, rs := range s.restores {
		out[i] = *rs
	}
	return out
}

var restoreSessionNames = map[string]string{
	"Vex": "Exchange restore session", "Veod": "OneDrive restore session",
	"Vesp": "SharePoint restore session", "Vet": "Teams restore session",
}

// restoreTime renders a time as the server does: RFC 3339 in UTC, or, with
// Quirks.RestoreTimesWithoutOffset, local date-time text without an offset.
func (c *call) restoreTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if c.s.opts.Quirks.RestoreTimesWithoutOffset {
		return t.UTC().Format("2006-01-02T15:04:05.9999999")
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// parseFilterTime reads a startTimeFrom-style query value: RFC 3339, or a
// date-time without an offset (taken as UTC).
func parseFilterTime(v string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (c *call) restoreSessionJSON(rs *RestoreSession) map[string]any {
	m := map[string]any{
		"id": rs.ID, "name": rs.Name, "organization": rs.Organization, "type": rs.Type,
		"creationTime": c.restoreTime(rs.CreationTime), "endTime": c.restoreTime(rs.EndTime),
		"state": rs.State, "result": rs.Result, "initiatedBy": rs.InitiatedBy, "details": c.text(rs.Details),
		"scopeName": c.text(rs.ScopeName), "clientHost": c.text(rs.ClientHost), "reason": c.text(rs.Reason),
		"_links": map[string]any{"self": c.link("/RestoreSessions/" + rs.ID), "events": c.link("/RestoreSessions/" + rs.ID + "/Events")},
	}
	if c.version == "v8" {
		m["eTag"] = 1
	}
	return m
}

func (c *call) restoreEventJSON(e *RestoreSessionEvent, order int) map[string]any {
	m := map[string]any{
		"id": e.ID, "type": e.Type, "status": e.Status, "itemName": c.text(e.ItemName), "itemType": c.text(e.ItemType),
		"itemSizeBytes": e.ItemSizeBytes, "source": c.text(e.Source), "target": c.text(e.Target),
		"startTime": c.restoreTime(e.StartTime), "endTime": c.restoreTime(e.StartTime.Add(time.Second)), "duration": "00:00:01",
		"title": c.text(e.Title), "message": e.Message, "order": order,
		"_links": map[string]any{},
	}
	if c.version == "v8" {
		m["organizationId"] = nullable(e.OrganizationID)
		m["backedUpOrganizationId"] = nullable(e.OrganizationID)
		m["userId"] = nullable(e.UserID)
		m["groupId"] = nullable(e.GroupID)
		m["siteId"] = nullable(e.SiteID)
		m["teamId"] = nullable(e.TeamID)
	}
	return m
}

// GET /RestoreSessions: startTimeFrom/startTimeTo (every version; both
// inclusive, ignored with Quirks.RestoreSessionWindowIgnored) and, in v8,
// endTimeFrom/endTimeTo, orderBy (CreationTime|EndTime) and orderAsc.
// Oldest first unless told otherwise.
func (c *call) listRestoreSessions() {
	bounds := map[string]time.Time{}
	params := []string{"startTimeFrom", "startTimeTo"}
	if c.version == "v8" {
		params = append(params, "endTimeFrom", "endTimeTo")
	}
	for _, p := range params {
		if v := c.query(p); v != "" {
			t, ok := parseFilterTime(v)
			if !ok {
				c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The value '%s' is not valid for %s.", v, p)
				return
			}
			bounds[p] = t
		}
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	in := func(t time.Time, from, to string) bool {
		if f, ok := bounds[from]; ok && t.Before(f) {
			return false
		}
		if u, ok := bounds[to]; ok && t.After(u) {
			return false
		}
		return true
	}
	if s.opts.Quirks.RestoreSessionWindowIgnored {
		delete(bounds, "startTimeFrom")
		delete(bounds, "startTimeTo")
	}
	var kept []*RestoreSession
	for _, rs := range s.restores {
		if !in(rs.CreationTime, "startTimeFrom", "startTimeTo") {
			continue
		}
		if _, ok := bounds["endTimeFrom"]; ok && rs.EndTime.IsZero() {
			continue
		}
		if !rs.EndTime.IsZero() && !in(rs.EndTime, "endTimeFrom", "endTimeTo") {
			continue
		}
		kept = append(kept, rs)
	}
	if c.version == "v8" {
		byEnd := strings.EqualFold(c.query("orderBy"), "EndTime")
		asc := !strings.EqualFold(c.query("orderAsc"), "false")
		sort.SliceStable(kept, func(i, j int) bool {
			a, b := kept[i].CreationTime, kept[j].CreationTime
			if byEnd {
				a, b = kept[i].EndTime, kept[j].EndTime
			}
			if asc {
				return a.Before(b)
			}
			return b.Before(a)
		})
	}
	r := c.renderer()
	c.paginate("/RestoreSessions", func() []any {
		out := make([]any, len(kept))
		for i, rs := range kept {
			out[i] = json.RawMessage(mustJSON(r.restoreSessionJSON(rs)))
		}
		return out
	})
}

func (c *call) restoreSession() *RestoreSession {
	for _, rs := range c.s.restores {
		if strings.EqualFold(rs.ID, c.params[0]) {
			return rs
		}
	}
	c.errorf(http.StatusNotFound, "ResourceNotFound", "Restore session with ID %s was not found.", c.params[0])
	return nil
}

func (c *call) getRestoreSession() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if rs := c.restoreSession(); rs != nil {
		c.writeJSON(http.StatusOK, c.restoreSessionJSON(rs))
	}
}

func (c *call) listRestoreSessionEvents() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	rs := c.restoreSession()
	if rs == nil {
		return
	}
	r := c.renderer()
	c.paginate("/RestoreSessions/"+rs.ID+"/Events", func() []any {
		out := make([]any, len(rs.Events))
		for i := range rs.Events {
			out[i] = json.RawMessage(mustJSON(r.restoreEventJSON(&rs.Events[i], i+1)))
		}
		return out
	})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

package vb365

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// RestoreSession is RESTRestoreSession: one explore or restore session, the
// access trail of backed-up data. Type is the API code (Vex, Veod, Vesp,
// Vet; see Workload); EndTime is zero while the session runs.
type RestoreSession struct {
	ID           string
	Name         string
	Organization string // the organization's name
	Type         string
	CreationTime time.Time
	EndTime      time.Time
	State        string // Working, Stopped
	Result       string // Success, Warning, Failed
	InitiatedBy  string
	Details      string
	ScopeName    string
	ClientHost   string
	Reason       string
}

// RestoreSessionEvent is RESTRestoreSessionEvent: one thing done in a
// session. The principal IDs (UserID ... TeamID) exist from v8.
type RestoreSessionEvent struct {
	ID            string
	Type          string // None, Save, Export, Send, Restore, View
	Status        string
	ItemName      string
	ItemType      string
	ItemSizeBytes int64
	Source        string
	Target        string
	StartTime     time.Time
	EndTime       time.Time
	Title         string
	Message       string
	Order         int
	UserID        string
	GroupID       string
	SiteID        string
	TeamID        string
}

// Workloads maps the session type codes to the workload names users know.
var Workloads = map[string]string{"Vex": "Exchange", "Veod": "OneDrive", "Vesp": "SharePoint", "Vet": "Teams"}

// Workload is the workload name of a session type code; an unknown code is
// returned as it is.
func Workload(code string) string {
	for k, v := range Workloads {
		if strings.EqualFold(k, code) {
			return v
		}
	}
	return code
}

// apiTime is a date-time as restore sessions carry it: RFC 3339, or (as an
// ASP.NET server may write a local DateTime) text without an offset, read
// as UTC and marked noOffset. Null and "" are the zero time.
type apiTime struct {
	time.Time
	noOffset bool
}

var apiTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05"}

func (t *apiTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	for i, layout := range apiTimeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time, t.noOffset = v.UTC(), i > 0
			return nil
		}
	}
	return fmt.Errorf("unreadable date-time %q", s)
}

type restoreSessionWire struct {
	ID           string  `json:"id"`
	Name         *string `json:"name"`
	Organization *string `json:"organization"`
	Type         string  `json:"type"`
	CreationTime apiTime `json:"creationTime"`
	EndTime      apiTime `json:"endTime"`
	State        string  `json:"state"`
	Result       string  `json:"result"`
	InitiatedBy  *string `json:"initiatedBy"`
	Details      *string `json:"details"`
	ScopeName    *string `json:"scopeName"`
	ClientHost   *string `json:"clientHost"`
	Reason       *string `json:"reason"`
}

type restoreEventWire struct {
	ID            string  `json:"id"`
	Type          *string `json:"type"`
	Status        string  `json:"status"`
	ItemName      *string `json:"itemName"`
	ItemType      *string `json:"itemType"`
	ItemSizeBytes *int64  `json:"itemSizeBytes"`
	Source        *string `json:"source"`
	Target        *string `json:"target"`
	StartTime     apiTime `json:"startTime"`
	EndTime       apiTime `json:"endTime"`
	Title         *string `json:"title"`
	Message       *string `json:"message"`
	Order         int     `json:"order"`
	UserID        *string `json:"userId"`
	GroupID       *string `json:"groupId"`
	SiteID        *string `json:"siteId"`
	TeamID        *string `json:"teamId"`
}

// RestoreSessionFilter selects sessions by their creation time: at or
// after StartedAfter, at or before StartedBefore; a zero bound is open.
type RestoreSessionFilter struct {
	StartedAfter, StartedBefore time.Time
	// Max bounds how many sessions the window may hold: more is a
	// *TooManyError, never a silent cut. 0 means no bound.
	Max int
}

// The window is sent to the server and enforced by the client too: a
// server or proxy that drops startTimeFrom/startTimeTo answers every
// session it has, and a restore trail of "the last 24 hours" must not show
// last year's sessions (nor count them against Max).
//
// The server is asked for a window at least as wide as the caller's: whole
// seconds, rounded outwards, and one more second on each side, since the
// API does not say whether its bounds are inclusive nor how precisely it
// compares. The client then applies the exact window. A session is dropped
// only when it is provably outside the window:
//   - a session without a creation time is kept (nothing proves it outside,
//     and a restore trail that drops a session hides a restore);
//   - a time written without an offset (Quirks.RestoreTimesWithoutOffset) is
//     the server's local time read as UTC, which may be off by the server's
//     UTC offset, so it is dropped only when it is outside the window by
//     more than the widest offset there is (14 hours).

// maxUTCOffset is the widest offset of a time zone from UTC (UTC+14).
const maxUTCOffset = 14 * time.Hour

// windowQuery is what the server is asked for: the window rounded outwards
// to whole seconds, widened by one second on each side.
func (f RestoreSessionFilter) windowQuery() url.Values {
	q := url.Values{}
	if !f.StartedAfter.IsZero() {
		q.Set("startTimeFrom", queryTime(f.StartedAfter.Truncate(time.Second).Add(-time.Second)))
	}
	if !f.StartedBefore.IsZero() {
		to := f.StartedBefore.Truncate(time.Second)
		if to.Before(f.StartedBefore) {
			to = to.Add(time.Second)
		}
		q.Set("startTimeTo", queryTime(to.Add(time.Second)))
	}
	return q
}

// outside reports whether a session created at t is provably outside the
// window (see above).
func (f RestoreSessionFilter) outside(t apiTime) bool {
	if t.IsZero() {
		return false
	}
	var slack time.Duration
	if t.noOffset {
		slack = maxUTCOffset
	}
	return (!f.StartedAfter.IsZero() && t.Before(f.StartedAfter.Add(-slack))) ||
		(!f.StartedBefore.IsZero() && t.After(f.StartedBefore.Add(slack)))
}

// queryTime is the form the filters are sent in: RFC 3339 in UTC, whole
// seconds.
func queryTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// ListRestoreSessions lists the sessions created in the filter's window,
// newest first, following every page. The window is enforced here as well
// as asked of the server. With f.Max it fails when the window holds more
// than Max sessions; a server that honours the window answers that with one
// request (a page of Max+1).
func (c *Client) ListRestoreSessions(ctx context.Context, f RestoreSessionFilter) ([]RestoreSession, error) {
	pageSize := 0
	if f.Max > 0 && f.Max < maxPageSize {
		pageSize = f.Max + 1 // one request tells whether the cap is passed
	}
	var out []RestoreSession
	dropped := 0
	var err error
	for p, perr := range listPages[restoreSessionWire](ctx, c, "RestoreSessions", f.windowQuery(), pageSize) {
		if perr != nil {
			err = perr
			break
		}
		for _, w := range p {
			if f.outside(w.CreationTime) {
				dropped++
				continue
			}
			out = append(out, RestoreSession{
				ID: w.ID, Name: deref(w.Name), Organization: deref(w.Organization), Type: w.Type,
				CreationTime: w.CreationTime.Time, EndTime: w.EndTime.Time, State: w.State, Result: w.Result,
				InitiatedBy: deref(w.InitiatedBy), Details: deref(w.Details), ScopeName: deref(w.ScopeName),
				ClientHost: deref(w.ClientHost), Reason: deref(w.Reason),
			})
		}
		if f.Max > 0 && len(out) > f.Max {
			err = &TooManyError{What: "restore sessions", Max: f.Max}
			break
		}
	}
	if dropped > 0 {
		c.log.Debug(ctx, "VB365 restore sessions outside the window left out (the server did not apply startTimeFrom/startTimeTo)",
			map[string]any{"left_out": dropped, "kept": len(out)})
	}
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreationTime.After(out[j].CreationTime) })
	return out, nil
}

// ListRestoreSessionEvents lists the events of a session in their order.
func (c *Client) ListRestoreSessionEvents(ctx context.Context, sessionID string) ([]RestoreSessionEvent, error) {
	var out []RestoreSessionEvent
	for p, err := range listPages[restoreEventWire](ctx, c, "RestoreSessions/"+escape(sessionID)+"/Events", nil, 0) {
		if err != nil {
			return nil, err
		}
		for _, w := range p {
			out = append(out, RestoreSessionEvent{
				ID: w.ID, Type: deref(w.Type), Status: w.Status, ItemName: deref(w.ItemName), ItemType: deref(w.ItemType),
				ItemSizeBytes: deref(w.ItemSizeBytes), Source: deref(w.Source), Target: deref(w.Target),
				StartTime: w.StartTime.Time, EndTime: w.EndTime.Time, Title: deref(w.Title), Message: deref(w.Message),
				Order: w.Order, UserID: deref(w.UserID), GroupID: deref(w.GroupID), SiteID: deref(w.SiteID), TeamID: deref(w.TeamID),
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out, nil
}

// ListEventsOf fetches the events of several sessions with at most
// parallel requests in flight (4 when parallel <= 0), keyed by session ID.
// The first error cancels the rest.
func (c *Client) ListEventsOf(ctx context.Context, sessionIDs []string, parallel int) (map[string][]RestoreSessionEvent, error) {
	if parallel <= 0 {
		parallel = 4
	}
	parent := ctx
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var (
		mu       sync.Mutex
		out      = make(map[string][]RestoreSessionEvent, len(sessionIDs))
		firstErr error
	)
	fail := func(id string, err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = fmt.Errorf("events of restore session %s: %w", id, err)
			cancel()
		}
	}
	inParallel(ctx, len(sessionIDs), parallel, func(ctx context.Context, i int) {
		evs, err := c.ListRestoreSessionEvents(ctx, sessionIDs[i])
		if err != nil {
			fail(sessionIDs[i], err)
			return
		}
		mu.Lock()
		out[sessionIDs[i]] = evs
		mu.Unlock()
	}, func(i int, err error) { fail(sessionIDs[i], err) })
	if firstErr != nil {
		return nil, firstErr
	}
	if err := parent.Err(); err != nil {
		return nil, fmt.Errorf("listing restore session events: %w", err)
	}
	return out, nil
}

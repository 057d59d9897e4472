package vb365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

// TestRestoreSessionsContract lists the demo's sessions of the last day and
// the events of each, through the OpenAPI validator of every version.
func TestRestoreSessionsContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			val, err := contract.Load(string(v))
			if err != nil {
				t.Fatal(err)
			}
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			c := newTestClient(t, fake.URL, withVersion(v), func(cfg *Config) {
				cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport)}
			})
			ctx := context.Background()
			sessions, err := c.ListRestoreSessions(ctx, RestoreSessionFilter{StartedAfter: time.Now().Add(-24 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			// Three of the four demo sessions are from the last day, newest first.
			if len(sessions) != 3 || Workload(sessions[0].Type) != "Teams" || Workload(sessions[2].Type) != "OneDrive" ||
				sessions[1].InitiatedBy != vb365test.DemoHelpdeskOperator || !sessions[0].EndTime.IsZero() || sessions[1].EndTime.IsZero() {
				t.Fatalf("sessions = %+v", sessions)
			}
			events, err := c.ListRestoreSessionEvents(ctx, sessions[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != 2 || events[1].Type != "Restore" || events[1].ItemSizeBytes != 1048576 || events[1].StartTime.IsZero() {
				t.Fatalf("events = %+v", events)
			}
			if (events[1].UserID != "") != (v == V8) {
				t.Fatalf("userId present = %v in %s", events[1].UserID != "", v)
			}
			if _, err := c.ListRestoreSessionEvents(ctx, "11111111-2222-3333-4444-555555555555"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("unknown session: %v", err)
			}
			if vs := val.Violations(); len(vs) > 0 {
				t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
			}
			seen := val.Routes()
			p := "/" + string(v) + "/RestoreSessions"
			for _, r := range []string{"GET " + p, "GET " + p + "/{restoreSessionId}/Events"} {
				if seen[r] == 0 {
					t.Errorf("route %s was not validated (validated: %v)", r, seen)
				}
			}
		})
	}
}

// TestRestoreSessionsWindowAndCap: the window goes to the server as RFC 3339;
// a cap costs one request and fails loudly when passed.
func TestRestoreSessionsWindowAndCap(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	now := time.Now()
	all, err := c.ListRestoreSessions(ctx, RestoreSessionFilter{})
	if err != nil || len(all) != 4 {
		t.Fatalf("all: %d, %v", len(all), err)
	}
	window, err := c.ListRestoreSessions(ctx, RestoreSessionFilter{StartedAfter: now.Add(-3 * time.Hour), StartedBefore: now.Add(-90 * time.Minute)})
	if err != nil || len(window) != 1 || window[0].Type != "Vex" {
		t.Fatalf("window: %+v, %v", window, err)
	}
	q := fake.Requests()[len(fake.Requests())-1].Query
	if !strings.Contains(q, "startTimeFrom=") || !strings.Contains(q, "startTimeTo=") || !strings.Contains(q, "Z") {
		t.Fatalf("query %q", q)
	}

	fake.ResetRequests()
	_, err = c.ListRestoreSessions(ctx, RestoreSessionFilter{Max: 2})
	var tm *TooManyError
	if !errors.As(err, &tm) || tm.Max != 2 {
		t.Fatalf("cap: %v", err)
	}
	if n := fake.Count("GET /RestoreSessions"); n != 1 {
		t.Fatalf("the cap cost %d requests, want 1", n)
	}
	if got, err := c.ListRestoreSessions(ctx, RestoreSessionFilter{Max: 4}); err != nil || len(got) != 4 {
		t.Fatalf("exactly at the cap: %d, %v", len(got), err)
	}
}

// TestRestoreTimesWithoutOffset: a server that writes times without an
// offset is read as UTC.
func TestRestoreTimesWithoutOffset(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{RestoreTimesWithoutOffset: true}})
	created := time.Date(2026, 12, 1, 9, 30, 0, 123456700, time.UTC)
	fake.AddRestoreSession(vb365test.RestoreSession{CreationTime: created, Events: []vb365test.RestoreSessionEvent{{Type: "Export"}}})
	c := newTestClient(t, fake.URL)
	got, err := c.ListRestoreSessions(context.Background(), RestoreSessionFilter{})
	if err != nil || len(got) != 1 || !got[0].CreationTime.Equal(created) {
		t.Fatalf("%+v, %v", got, err)
	}
}

// TestListEventsOfBounded: events of many sessions, at most `parallel`
// requests in flight, every session answered; a cancelled context is an
// error, not a partial map.
func TestListEventsOfBounded(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	var ids []string
	for i := range 12 {
		ids = append(ids, fake.AddRestoreSession(vb365test.RestoreSession{Events: make([]vb365test.RestoreSessionEvent, i%3)}))
	}
	var inFlight, peak atomic.Int32
	var mu sync.Mutex
	c := newTestClient(t, fake.URL, func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			mu.Lock()
			if n > peak.Load() {
				peak.Store(n)
			}
			mu.Unlock()
			return http.DefaultTransport.RoundTrip(r)
		})}
	})
	if err := c.Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := c.ListEventsOf(context.Background(), ids, 3)
	if err != nil || len(got) != 12 || len(got[ids[2]]) != 2 {
		t.Fatalf("%d sessions, %v", len(got), err)
	}
	if p := peak.Load(); p > 3 {
		t.Fatalf("%d requests in flight, want at most 3", p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if m, err := c.ListEventsOf(ctx, ids, 3); err == nil {
		t.Fatalf("cancelled: %d sessions and no error", len(m))
	}
}

// TestFakeRestoreSessionOutOfBand covers the fake's route the demo uses to
// record a session.
func TestFakeRestoreSessionOutOfBand(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	resp, err := http.Post(fake.URL+"/_fake/restore-sessions", "application/json",
		strings.NewReader(`{"initiatedBy": "CONTOSO\\simon.service", "type": "Vex", "scopeName": "Chief Executive", "events": [{"type": "Restore", "itemName": "Inbox"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := fake.RestoreSessions()
	if resp.StatusCode != http.StatusOK || len(got) != 1 || got[0].InitiatedBy != `CONTOSO\simon.service` || got[0].ScopeName != "Chief Executive" ||
		len(got[0].Events) != 1 || got[0].Events[0].Type != "Restore" {
		t.Fatalf("%d: %+v", resp.StatusCode, got)
	}
}

// TestRestoreSessionsPaging: 25,000 sessions cost ⌈25,000/10,000⌉ = 3
// requests (the API's floor at its largest page), and a cap below the page
// size costs one.
func TestRestoreSessionsPaging(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range 25000 {
		fake.AddRestoreSession(vb365test.RestoreSession{CreationTime: start.Add(time.Duration(i) * time.Second)})
	}
	c := newTestClient(t, fake.URL)
	got, err := c.ListRestoreSessions(context.Background(), RestoreSessionFilter{Max: 30000})
	if err != nil || len(got) != 25000 || !got[0].CreationTime.After(got[1].CreationTime) {
		t.Fatalf("%d sessions, %v", len(got), err)
	}
	if n := fake.Count("GET /RestoreSessions"); n != 3 {
		t.Fatalf("%d requests for 25,000 sessions, want 3", n)
	}
}

// The window is enforced by the client as well as asked of the server: a
// server that ignores startTimeFrom/startTimeTo (Quirks.RestoreSessionWindowIgnored)
// answers sessions from 2001 and from a month ago, and the client keeps only
// the window, both bounds inclusive, to the nanosecond. The server is asked
// for a window rounded outwards to whole seconds plus one on each side, so a
// server that honours it loses nothing at the edges. Max counts the window.
func TestRestoreSessionsWindowEnforcedByClient(t *testing.T) {
	after := time.Date(2026, 12, 1, 10, 0, 0, 500_000_000, time.UTC)
	before := time.Date(2026, 12, 2, 10, 0, 0, 200_000_000, time.UTC)
	created := map[string]time.Time{
		"2001":              time.Date(2001, 9, 11, 8, 46, 0, 0, time.UTC),
		"a month before":    after.AddDate(0, -1, 0),
		"1 ms before":       after.Add(-time.Millisecond),
		"at started_after":  after,
		"in the middle":     after.Add(12 * time.Hour),
		"at started_before": before,
		"1 ms after":        before.Add(time.Millisecond),
		"an hour after":     before.Add(time.Hour),
	}
	want := []string{"at started_before", "in the middle", "at started_after"} // newest first
	for _, ignored := range []bool{true, false} {
		t.Run(fmt.Sprintf("window ignored by the server: %v", ignored), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{RestoreSessionWindowIgnored: ignored}})
			for name, at := range created {
				fake.AddRestoreSession(vb365test.RestoreSession{Name: name, CreationTime: at})
			}
			c := newTestClient(t, fake.URL)
			ctx := context.Background()
			got, err := c.ListRestoreSessions(ctx, RestoreSessionFilter{StartedAfter: after, StartedBefore: before, Max: len(want)})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range got {
				names = append(names, s.Name)
			}
			if !equalStrings(names, want) {
				t.Fatalf("sessions %q, want %q", names, want)
			}
			q := queriesOf(fake, "GET /RestoreSessions")
			if from, to := q[len(q)-1].Get("startTimeFrom"), q[len(q)-1].Get("startTimeTo"); from != "2026-12-01T09:59:59Z" || to != "2026-12-02T10:00:02Z" {
				t.Fatalf("asked the server for %s to %s, want 2026-12-01T09:59:59Z to 2026-12-02T10:00:02Z", from, to)
			}
			_, err = c.ListRestoreSessions(ctx, RestoreSessionFilter{StartedAfter: after, StartedBefore: before, Max: len(want) - 1})
			var tm *TooManyError
			if !errors.As(err, &tm) {
				t.Fatalf("one session more than Max in the window: %v", err)
			}
			// Open bounds: only the other side is enforced.
			got, err = c.ListRestoreSessions(ctx, RestoreSessionFilter{StartedAfter: before})
			if err != nil || len(got) != 3 || got[2].Name != "at started_before" {
				t.Fatalf("from started_before on: %+v, %v", got, err)
			}
		})
	}
}

// A time without an offset is the server's local time read as UTC: it may
// be off by up to 14 hours, so the client drops it only when it is further
// than that outside the window. A session without a creation time is kept:
// nothing proves it outside, and a trail that drops a session hides a
// restore.
func TestRestoreSessionsWindowUncertainTimes(t *testing.T) {
	after := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	t.Run("without offset", func(t *testing.T) {
		fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{RestoreSessionWindowIgnored: true, RestoreTimesWithoutOffset: true}})
		for name, at := range map[string]time.Time{
			"2001": time.Date(2001, 9, 11, 8, 46, 0, 0, time.UTC), "20 h before": after.Add(-20 * time.Hour),
			"10 h before": after.Add(-10 * time.Hour), "in the window": after.Add(time.Hour),
		} {
			fake.AddRestoreSession(vb365test.RestoreSession{Name: name, CreationTime: at})
		}
		got, err := newTestClient(t, fake.URL).ListRestoreSessions(context.Background(), RestoreSessionFilter{StartedAfter: after})
		if err != nil || len(got) != 2 || got[0].Name != "in the window" || got[1].Name != "10 h before" {
			t.Fatalf("%+v, %v; want the session in the window and the one 10 h before it", got, err)
		}
	})
	t.Run("no creation time", func(t *testing.T) {
		fake := vb365test.Start(t, vb365test.Options{})
		body := `{"offset": 0, "limit": 10000, "results": [
			{"id": "old", "type": "Vex", "creationTime": "2001-09-11T08:46:00Z", "state": "Stopped", "result": "Success"},
			{"id": "unknown", "type": "Vex", "creationTime": null, "state": "Working", "result": "Success"},
			{"id": "empty", "type": "Vex", "creationTime": "", "state": "Working", "result": "Success"}]}`
		fake.InjectFault(vb365test.Fault{Route: "GET /RestoreSessions", Body: &body, ContentType: "application/json"})
		got, err := newTestClient(t, fake.URL).ListRestoreSessions(context.Background(), RestoreSessionFilter{StartedAfter: after})
		if err != nil || len(got) != 2 || got[0].ID != "unknown" || got[1].ID != "empty" {
			t.Fatalf("%+v, %v; want the two sessions without a creation time", got, err)
		}
	})
}

package vb365

import (
	"context"
	"errors"
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

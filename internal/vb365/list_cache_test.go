package vb365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

var auditListKey = "GET /v8/Organizations/" + auditOrg + "/AuditItems"

// TestAuditListSharedAndInvalidated: concurrent reads share one request,
// a cached list answers later reads, a write invalidates it, and nothing
// else does: no time bounds it.
func TestAuditListSharedAndInvalidated(t *testing.T) {
	fake := auditFake(t, vb365test.Quirks{})
	ct := &countingTransport{next: http.DefaultTransport}
	c := auditClient(t, fake.URL, V8, &http.Client{Transport: ct})
	now := time.Now()
	var clockMu sync.Mutex
	c.audit.now = func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return now }
	ctx := context.Background()
	if err := c.Login(ctx); err != nil {
		t.Fatal(err)
	}
	fake.AddAuditItem(auditOrg, "user", demoUser(t, fake, "AdeleV@contoso.onmicrosoft.com").ID)

	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			items, err := c.ListAuditItems(ctx, auditOrg)
			if err != nil || len(items) != 1 {
				t.Errorf("%v, %v", items, err)
			}
		}()
	}
	wg.Wait()
	if n := ct.count(auditListKey); n != 1 {
		t.Fatalf("50 concurrent reads cost %d lists, want 1", n)
	}
	// Callers own their slices.
	a, _ := c.ListAuditItems(ctx, auditOrg)
	a[0].ID = "scribbled"
	if b, _ := c.ListAuditItems(ctx, auditOrg); b[0].ID == "scribbled" || ct.count(auditListKey) != 1 {
		t.Fatalf("cache shared the caller's slice or refetched: %+v, %d", b, ct.count(auditListKey))
	}

	// A write invalidates: the next read sees the new item.
	megan := demoUser(t, fake, "MeganB@contoso.onmicrosoft.com")
	if err := c.AddAuditItems(ctx, auditOrg, []Object{{User: &User{ID: megan.ID, Name: megan.Name, DisplayName: megan.DisplayName}}}); err != nil {
		t.Fatal(err)
	}
	items, err := c.ListAuditItems(ctx, auditOrg)
	if err != nil || len(items) != 2 || ct.count(auditListKey) != 2 {
		t.Fatalf("after a write: %d items, %d lists, %v", len(items), ct.count(auditListKey), err)
	}
	// A failed write invalidates too (it may have half-happened).
	_ = c.RemoveAuditItems(ctx, "99999999-2222-3333-4444-555555555555", []string{"x"})
	if gen := c.auditGeneration("99999999-2222-3333-4444-555555555555"); gen != 1 {
		t.Fatalf("failed write did not bump the generation: %d", gen)
	}
	// Another organization's write does not invalidate this one.
	if _, err := c.ListAuditItems(ctx, auditOrg); err != nil || ct.count(auditListKey) != 2 {
		t.Fatalf("unrelated write refetched: %d", ct.count(auditListKey))
	}

	// No expiry: however long the walk, the list is reused until this
	// client writes (an out-of-band change shows in the next walk, which
	// has a new client). An hour later, still one list.
	fake.RemoveAuditItemFor(auditOrg, megan.ID)
	clockMu.Lock()
	now = now.Add(time.Hour)
	clockMu.Unlock()
	if items, _ := c.ListAuditItems(ctx, auditOrg); len(items) != 2 || ct.count(auditListKey) != 2 {
		t.Fatalf("an hour on, without a write: %d items, %d lists, want the cached 2 items and 2 lists", len(items), ct.count(auditListKey))
	}
	// A new client (the next walk) sees the change.
	if items, _ := auditClient(t, fake.URL, V8, nil).ListAuditItems(ctx, auditOrg); len(items) != 1 {
		t.Fatalf("a new client: %d items, want 1", len(items))
	}
}

// TestAuditListStartedBeforeWriteNotReused: a list whose request was
// answered before a caller's write completed must not answer that caller,
// even while it is still in flight: the caller gets the next list.
func TestAuditListStartedBeforeWriteNotReused(t *testing.T) {
	fake := auditFake(t, vb365test.Quirks{})
	release := make(chan struct{})
	firstAnswered := make(chan struct{})
	ct := &countingTransport{next: http.DefaultTransport}
	ct.hold = func(r *http.Request, n int) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/AuditItems") && n == 1 {
			close(firstAnswered)
			<-release // the answer (the list before the write) arrives late
		}
	}
	c := auditClient(t, fake.URL, V8, &http.Client{Transport: ct})
	ctx := context.Background()

	stale := make(chan []AuditItem, 1)
	go func() {
		items, err := c.ListAuditItems(ctx, auditOrg)
		if err != nil {
			t.Error(err)
		}
		stale <- items
	}()
	<-firstAnswered
	u := demoUser(t, fake, "NestorW@contoso.onmicrosoft.com")
	if err := c.AddAuditItems(ctx, auditOrg, []Object{{User: &User{ID: u.ID, Name: u.Name}}}); err != nil {
		t.Fatal(err)
	}
	fresh := make(chan []AuditItem, 1)
	joined := make(chan struct{})
	c.audit.mu.Lock()
	c.audit.joined = func() { close(joined) }
	c.audit.mu.Unlock()
	go func() {
		items, err := c.ListAuditItems(ctx, auditOrg)
		if err != nil {
			t.Error(err)
		}
		fresh <- items
	}()
	<-joined
	// A reader that did not write joins whatever comes; the writer must
	// not be answered by the held list, the only one in flight.
	select {
	case got := <-fresh:
		t.Fatalf("the writer was answered while the only list in flight predates its write: %+v", got)
	default:
	}
	close(release)
	got := <-fresh
	if MatchAuditItem(got, Principal{Type: AuditTypeUser, ID: u.ID}) == nil {
		t.Fatalf("the writer's list misses its item: %+v", got)
	}
	if old := <-stale; len(old) != 0 {
		t.Fatalf("the old list should be empty: %+v", old)
	}
	if n := ct.count(auditListKey); n != 2 {
		t.Fatalf("%d lists, want 2", n)
	}
	// The stale answer was not cached; the fresh one is.
	if items, _ := c.ListAuditItems(ctx, auditOrg); len(items) != 1 || ct.count(auditListKey) != 2 {
		t.Fatalf("cache: %+v, %d lists", items, ct.count(auditListKey))
	}
}

// TestAuditParallelCreatesFindTheirItems is what N vb365_audit_item
// creates in parallel do: add one, then list and find it. Every caller
// must find its own item; the lists are shared where that is safe.
func TestAuditParallelCreatesFindTheirItems(t *testing.T) {
	for _, tc := range []struct {
		composite bool
		linger    time.Duration
	}{{false, 0}, {true, 0}, {false, noLinger}, {true, noLinger}} {
		t.Run(fmt.Sprintf("composite=%v/linger=%v", tc.composite, tc.linger >= 0), func(t *testing.T) {
			fake := auditFake(t, vb365test.Quirks{CompositeAuditPrincipalIDs: tc.composite})
			fake.AddUsers(auditOrg, 40)
			ct := &countingTransport{next: http.DefaultTransport}
			c := auditClient(t, fake.URL, V8, &http.Client{Transport: ct})
			c.audit.linger = tc.linger // noLinger: send at once, for the most interleaving
			ctx := context.Background()
			users := fake.Organization(auditOrg).Users
			var missing atomic.Int32
			var wg sync.WaitGroup
			for _, u := range users {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := c.AddAuditItems(ctx, auditOrg, []Object{{User: &User{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName}}}); err != nil {
						t.Error(err)
						return
					}
					items, err := c.ListAuditItems(ctx, auditOrg)
					if err != nil {
						t.Error(err)
						return
					}
					if MatchAuditItem(items, Principal{Type: AuditTypeUser, ID: u.ID}) == nil {
						missing.Add(1)
					}
				}()
			}
			wg.Wait()
			if m := missing.Load(); m != 0 {
				t.Fatalf("%d of %d creates did not find their item", m, len(users))
			}
			if n := len(fake.AuditItems(auditOrg)); n != len(users) {
				t.Fatalf("%d items stored, want %d", n, len(users))
			}
			lists := ct.count(auditListKey)
			t.Logf("%d parallel creates: %d POST, %d GET AuditItems", len(users), ct.count("POST /v8/Organizations/"+auditOrg+"/AuditItems"), lists)
			if lists > len(users)/2 {
				t.Fatalf("%d creates cost %d lists: the lists are not shared", len(users), lists)
			}
		})
	}
}

// TestAuditListCallerCancelDoesNotFailOthers: the caller that started a
// shared fetch may give up; the others still get the list.
func TestAuditListCallerCancelDoesNotFailOthers(t *testing.T) {
	fake := auditFake(t, vb365test.Quirks{})
	// The list is held before it reaches the server until the second
	// caller has joined and the first has given up; a request that ran on
	// the first caller's context would end there.
	arrived, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/AuditItems") {
			once.Do(func() { close(arrived) })
			select {
			case <-release:
			case <-r.Context().Done():
				return nil, r.Context().Err()
			}
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	c := auditClient(t, fake.URL, V8, &http.Client{Transport: rt, Timeout: testTimeout})
	if err := c.Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	joined := make(chan struct{}, 2)
	c.audit.joined = func() { joined <- struct{}{} }
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := c.ListAuditItems(ctx, auditOrg)
		first <- err
	}()
	<-joined
	<-arrived // the list is in flight
	second := make(chan error, 1)
	go func() {
		_, err := c.ListAuditItems(context.Background(), auditOrg)
		second <- err
	}()
	<-joined // the second caller shares the list in flight
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("first: %v", err)
	}
	close(release)
	if err := <-second; err != nil {
		t.Fatalf("second failed with the first caller: %v", err)
	}
	if n := fake.Count("GET /Organizations/{organizationId}/AuditItems"); n != 1 {
		t.Fatalf("%d lists", n)
	}
}

// TestAuditListLingerUsesClock: a list that follows a write waits out the
// linger on the cache's clock (DefaultListLinger when unset), and not
// at all with noLinger.
func TestAuditListLingerUsesClock(t *testing.T) {
	for _, tc := range []struct {
		linger time.Duration
		want   []time.Duration
	}{{0, []time.Duration{DefaultListLinger}}, {50 * time.Millisecond, []time.Duration{50 * time.Millisecond}}, {noLinger, nil}} {
		t.Run(fmt.Sprint(tc.linger), func(t *testing.T) {
			fake := auditFake(t, vb365test.Quirks{})
			c := auditClient(t, fake.URL, V8, nil)
			var (
				mu     sync.Mutex
				now    = time.Now()
				sleeps []time.Duration
			)
			c.audit.linger = tc.linger
			c.audit.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			c.audit.sleep = func(d time.Duration) { mu.Lock(); defer mu.Unlock(); sleeps = append(sleeps, d); now = now.Add(d) }
			ctx := context.Background()
			adele := demoUser(t, fake, "AdeleV@contoso.onmicrosoft.com")
			if err := c.AddAuditItems(ctx, auditOrg, []Object{{User: &User{ID: adele.ID, Name: adele.Name, DisplayName: adele.DisplayName}}}); err != nil {
				t.Fatal(err)
			}
			sleeps = nil // AddAuditItems lists before it writes
			if items, err := c.ListAuditItems(ctx, auditOrg); err != nil || len(items) != 1 {
				t.Fatalf("%v, %v", items, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if !slices.Equal(sleeps, tc.want) {
				t.Fatalf("slept %v, want %v", sleeps, tc.want)
			}
		})
	}
}

// A list asked for while another write to the organization is in flight
// is sent only once that write returned, so its writer shares it: two
// writers, one list. Deterministic: the test ends the second write only
// once the list is waiting for it (or, were it not, being sent).
func TestListWaitsForWritesInFlight(t *testing.T) {
	var (
		cache    listCache[int]
		fetches  atomic.Int32
		openB    atomic.Bool
		ready    = make(chan struct{}, 4)
		fetchErr = make(chan string, 4)
	)
	cache.linger = noLinger
	cache.waiting = func() { ready <- struct{}{} }
	fetch := func(context.Context) ([]int, error) {
		fetches.Add(1)
		if openB.Load() {
			fetchErr <- "the list was sent while the other write was in flight"
		}
		ready <- struct{}{}
		return []int{1}, nil
	}
	ctx := context.Background()
	endA := cache.beginWrite("org")
	endB := cache.beginWrite("org")
	openB.Store(true)
	endA()
	got := make(chan error, 2)
	// Writer A lists; the list waits for B (or, without the wait, is sent).
	go func() { _, err := cache.list(ctx, "org", fetch); got <- err }()
	<-ready
	openB.Store(false)
	endB()
	// Writer B lists, before or after the list went out.
	go func() { _, err := cache.list(ctx, "ORG", fetch); got <- err }()
	for range 2 {
		if err := <-got; err != nil {
			t.Fatal(err)
		}
	}
	select {
	case msg := <-fetchErr:
		t.Fatal(msg)
	default:
	}
	if n := fetches.Load(); n != 1 {
		t.Fatalf("%d lists for two writers, want 1", n)
	}
}

// auditGeneration is an organization's write generation (tests).
func (c *Client) auditGeneration(orgID string) uint64 {
	c.audit.mu.Lock()
	defer c.audit.mu.Unlock()
	return c.audit.org(cacheKey(orgID)).gen
}

// The cache's messages name the list it holds: a role list is not called
// an audit list.
func TestListCacheMessagesNameTheList(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the caller gives up while the list is in flight
	block := make(chan struct{})
	defer close(block)
	_, rolesErr := c.roles.list(ctx, "org", func(context.Context) ([]RestoreOperatorRole, error) { <-block; return nil, nil })
	_, auditErr := c.audit.list(ctx, "org", func(context.Context) ([]AuditItem, error) { <-block; return nil, nil })
	for _, tc := range []struct {
		err  error
		want string
	}{{rolesErr, "listing the restore operator roles of organization org: context canceled"}, {auditErr, "listing the audit items of organization org: context canceled"}} {
		if tc.err == nil || tc.err.Error() != tc.want || !errors.Is(tc.err, context.Canceled) {
			t.Errorf("err = %v, want %q", tc.err, tc.want)
		}
	}
}

// What the linger buys next to the write barrier: a write that begins
// after a list was asked for (so the barrier does not wait for it) and
// returns while the list lingers is covered by that list, and its writer's
// read-back costs nothing more. Without the linger the list is sent at
// once, and that writer needs a second one. Deterministic: whichever comes
// first, the linger's sleep or the list's request, holds until the second
// write has returned.
func TestListLingerCoversWritesThatBeginDuringIt(t *testing.T) {
	for _, tc := range []struct {
		name        string
		linger      time.Duration
		wantFetches int32
	}{{"linger", 0, 1}, {"no linger", noLinger, 2}} {
		t.Run(tc.name, func(t *testing.T) {
			var (
				cache   listCache[int32]
				fetches atomic.Int32
				held    atomic.Bool
				paused  = make(chan struct{})
				resume  = make(chan struct{})
				mu      sync.Mutex
				now     = time.Now()
			)
			hold := func() {
				if held.CompareAndSwap(false, true) {
					paused <- struct{}{}
					<-resume
				}
			}
			cache.linger = tc.linger
			cache.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			cache.sleep = func(d time.Duration) { hold(); mu.Lock(); now = now.Add(d); mu.Unlock() }
			fetch := func(context.Context) ([]int32, error) {
				n := fetches.Add(1)
				hold()
				return []int32{n}, nil
			}
			ctx := context.Background()
			cache.beginWrite("org")() // writer A's write
			readA := make(chan error, 1)
			go func() { _, err := cache.list(ctx, "org", fetch); readA <- err }()
			<-paused                  // A's list lingers (or, without the linger, is in flight)
			cache.beginWrite("org")() // writer B's write: begun after A asked for the list
			close(resume)
			if err := <-readA; err != nil {
				t.Fatal(err)
			}
			items, err := cache.list(ctx, "org", fetch) // B's read-back
			if err != nil {
				t.Fatal(err)
			}
			if n := fetches.Load(); n != tc.wantFetches || len(items) != 1 || items[0] != tc.wantFetches {
				t.Fatalf("%d lists, B read list %v; want %d lists, B reading list %d (sent after its write)", n, items, tc.wantFetches, tc.wantFetches)
			}
		})
	}
}

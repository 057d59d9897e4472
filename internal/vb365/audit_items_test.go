package vb365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

const auditOrg = vb365test.DemoOrganizationID

// auditClient builds a client for a fake or raw server.
func auditClient(t *testing.T, serverURL string, v APIVersion, hc *http.Client) *Client {
	t.Helper()
	c, err := New(Config{
		URL: serverURL, Username: vb365test.DefaultUsername, Password: vb365test.DefaultPassword, APIVersion: v,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, Timeout: testTimeout, HTTPClient: hc,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func auditFake(t *testing.T, q vb365test.Quirks) *vb365test.Server {
	t.Helper()
	fake := vb365test.Start(t, vb365test.Options{Quirks: q})
	fake.SeedDemo()
	return fake
}

func demoUser(t *testing.T, fake *vb365test.Server, name string) *vb365test.User {
	t.Helper()
	for _, u := range fake.Organization(auditOrg).Users {
		if strings.EqualFold(u.Name, name) {
			return u
		}
	}
	t.Fatalf("no demo user %s", name)
	return nil
}

func demoGroup(t *testing.T, fake *vb365test.Server, name string) *vb365test.Group {
	t.Helper()
	for _, g := range fake.Organization(auditOrg).Groups {
		if strings.EqualFold(g.Name, name) {
			return g
		}
	}
	t.Fatalf("no demo group %s", name)
	return nil
}

// TestAuditItemsWireFormat checks the bytes the client sends: POST
// AuditItems takes a JSON array of {type, user|group}, remove takes exactly
// {"itemIds": [...]}.
func TestAuditItemsWireFormat(t *testing.T) {
	var (
		mu     sync.Mutex
		bodies = map[string][]byte{}
		types  = map[string]string{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/token") {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "a", "refresh_token": "r", "token_type": "bearer", "expires_in": 3600})
			return
		}
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies[r.Method+" "+r.URL.Path] = b
		types[r.Method+" "+r.URL.Path] = r.Header.Get("Content-Type")
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := auditClient(t, srv.URL, V8, nil)
	ctx := context.Background()

	user := &User{ID: "a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000", Name: "AdeleV@contoso.onmicrosoft.com",
		DisplayName: "Adele Vance", Type: "User", LocationType: "Cloud", MSID: "a54b55d8-4a07-4755-9889-5001ded697f0"}
	group := &Group{ID: "16f8226c-9531-4ed2-9b87-856f7c76a42600000000-0000-0000-0000-000000000000", Name: "HR@contoso.onmicrosoft.com",
		DisplayName: "HR", Type: "Office365", LocationType: "Cloud"}
	if err := c.AddAuditItems(ctx, auditOrg, []AuditEntry{{User: user}, {Group: group}}); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveAuditItems(ctx, auditOrg, []string{"item-1", "item-2"}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddAuditItems(ctx, auditOrg, []AuditEntry{{User: user, Group: group}}); err == nil {
		t.Fatal("an entry with both a user and a group was accepted")
	}

	add := bodies["POST /v8/Organizations/"+auditOrg+"/AuditItems"]
	if ct := types["POST /v8/Organizations/"+auditOrg+"/AuditItems"]; ct != "application/json" {
		t.Fatalf("content type %q", ct)
	}
	var arr []map[string]json.RawMessage
	if err := json.Unmarshal(add, &arr); err != nil {
		t.Fatalf("POST AuditItems body is not a JSON array: %s", add)
	}
	if len(arr) != 2 {
		t.Fatalf("want 2 elements, got %s", add)
	}
	if string(arr[0]["type"]) != `"User"` || arr[0]["group"] != nil {
		t.Fatalf("first element: %s", add)
	}
	var gotUser map[string]any
	_ = json.Unmarshal(arr[0]["user"], &gotUser)
	for k, want := range map[string]string{"id": user.ID, "name": user.Name, "displayName": "Adele Vance", "type": "User", "locationType": "Cloud", "msid": user.MSID} {
		if gotUser[k] != want {
			t.Fatalf("user.%s = %v, want %q (body %s)", k, gotUser[k], want, add)
		}
	}
	// Empty optional fields are left out, not sent as "".
	if _, ok := gotUser["office"]; ok {
		t.Fatalf("empty office sent: %s", add)
	}
	var gotGroup map[string]any
	_ = json.Unmarshal(arr[1]["group"], &gotGroup)
	if string(arr[1]["type"]) != `"Group"` || arr[1]["user"] != nil || gotGroup["id"] != group.ID || gotGroup["type"] != "Office365" {
		t.Fatalf("second element: %s", add)
	}

	rm := bodies["POST /v8/Organizations/"+auditOrg+"/AuditItems/remove"]
	if string(rm) != `{"itemIds":["item-1","item-2"]}` {
		t.Fatalf("remove body = %s", rm)
	}
}

// TestAuditItemsContract runs list, add and remove through the OpenAPI
// validator of each version, in both principal ID modes of the fake.
func TestAuditItemsContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		for _, composite := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/composite=%v", v, composite), func(t *testing.T) {
				val, err := contract.Load(string(v))
				if err != nil {
					t.Fatal(err)
				}
				fake := auditFake(t, vb365test.Quirks{CompositeAuditPrincipalIDs: composite})
				c := auditClient(t, fake.URL, v, &http.Client{Transport: val.Transport(http.DefaultTransport)})
				ctx := context.Background()

				items, err := c.ListAuditItems(ctx, auditOrg)
				if err != nil || len(items) != 0 {
					t.Fatalf("empty list: %v, %v", items, err)
				}
				adele := demoUser(t, fake, "AdeleV@contoso.onmicrosoft.com")
				hr := demoGroup(t, fake, "HR@contoso.onmicrosoft.com")
				u, err := c.GetUser(ctx, auditOrg, adele.ID)
				if err != nil {
					t.Fatal(err)
				}
				g, err := c.GetGroup(ctx, auditOrg, hr.ID)
				if err != nil {
					t.Fatal(err)
				}
				if err := c.AddAuditItems(ctx, auditOrg, []AuditEntry{{User: u}, {Group: g}}); err != nil {
					t.Fatal(err)
				}
				items, err = c.ListAuditItems(ctx, auditOrg)
				if err != nil || len(items) != 2 {
					t.Fatalf("after add: %+v, %v", items, err)
				}
				stored := fake.AuditItems(auditOrg)
				ui := MatchAuditItem(items, Principal{Type: AuditTypeUser, ID: adele.ID})
				gi := MatchAuditItem(items, Principal{Type: AuditTypeGroup, ID: hr.ID})
				if ui == nil || gi == nil || ui.ID != stored[0].ID || gi.ID != stored[1].ID {
					t.Fatalf("items not matched: %+v", items)
				}
				if ui.PrincipalName() != "AdeleV@contoso.onmicrosoft.com" || gi.PrincipalDisplayName() != "HR" || ui.NormalizedType() != "User" || gi.NormalizedType() != "Group" {
					t.Fatalf("item fields: %+v / %+v", ui, gi)
				}
				if composite == (ui.PrincipalID() == adele.ID) {
					t.Fatalf("composite=%v but embedded user id %q", composite, ui.PrincipalID())
				}
				ids, err := c.ResolveAuditPrincipalIDs(ctx, auditOrg, items, nil, nil)
				if err != nil || ids[ui.ID] != adele.ID || ids[gi.ID] != hr.ID {
					t.Fatalf("resolved %v, %v", ids, err)
				}
				if err := c.RemoveAuditItems(ctx, auditOrg, []string{ui.ID}); err != nil {
					t.Fatal(err)
				}
				items, err = c.ListAuditItems(ctx, auditOrg)
				if err != nil || len(items) != 1 || items[0].ID != gi.ID {
					t.Fatalf("after remove: %+v, %v", items, err)
				}
				if _, err := c.ListAuditItems(ctx, "11111111-2222-3333-4444-555555555555"); !IsOrganizationNotFound(err) {
					t.Fatalf("unknown organization: %v", err)
				}

				if vs := val.Violations(); len(vs) > 0 {
					t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
				}
				routes := val.Routes()
				for _, r := range []string{"GET /" + string(v) + "/Organizations/{organizationId}/AuditItems", "POST /" + string(v) + "/Organizations/{organizationId}/AuditItems", "POST /" + string(v) + "/Organizations/{organizationId}/AuditItems/remove"} {
					if routes[r] == 0 {
						t.Fatalf("%s not validated; routes %v", r, routes)
					}
				}
			})
		}
	}
}

// TestAuditItemsStatusCodes: the fake answers each version's documented
// success code, and the client accepts them.
func TestAuditItemsStatusCodes(t *testing.T) {
	for v, want := range map[APIVersion][2]int{V8: {204, 204}, V7: {201, 200}, V6: {201, 200}} {
		fake := auditFake(t, vb365test.Quirks{})
		c := auditClient(t, fake.URL, v, nil)
		ctx := context.Background()
		u := demoUser(t, fake, "MeganB@contoso.onmicrosoft.com")
		if err := c.AddAuditItems(ctx, auditOrg, []AuditEntry{{User: &User{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName}}}); err != nil {
			t.Fatal(err)
		}
		items, _ := c.ListAuditItems(ctx, auditOrg)
		if err := c.RemoveAuditItems(ctx, auditOrg, []string{items[0].ID}); err != nil {
			t.Fatal(err)
		}
		var got [2]int
		for _, r := range fake.Requests() {
			switch r.Route {
			case "POST /Organizations/{organizationId}/AuditItems":
				got[0] = r.Status
			case "POST /Organizations/{organizationId}/AuditItems/remove":
				got[1] = r.Status
			}
		}
		if got != want {
			t.Fatalf("%s: statuses %v, want %v", v, got, want)
		}
	}
}

// TestAuditItemsFakeEdgeCases covers the quirk switches the provider must
// survive.
func TestAuditItemsFakeEdgeCases(t *testing.T) {
	ctx := context.Background()
	t.Run("duplicate is a no-op by default, an error with the quirk", func(t *testing.T) {
		for _, quirk := range []bool{false, true} {
			fake := auditFake(t, vb365test.Quirks{AuditDuplicateIsError: quirk})
			c := auditClient(t, fake.URL, V8, nil)
			u := demoUser(t, fake, "AlexW@contoso.onmicrosoft.com")
			fake.AddAuditItem(auditOrg, "user", u.ID)
			err := c.AddAuditItems(ctx, auditOrg, []AuditEntry{{User: &User{ID: u.ID, Name: u.Name}}})
			if quirk != errors.Is(err, ErrBadRequest) || len(fake.AuditItems(auditOrg)) != 1 {
				t.Fatalf("quirk=%v: %v, %v", quirk, err, fake.AuditItems(auditOrg))
			}
		}
	})
	t.Run("unknown principal is 400 unless accepted", func(t *testing.T) {
		for _, quirk := range []bool{false, true} {
			fake := auditFake(t, vb365test.Quirks{AuditUnknownPrincipalAccepted: quirk, CompositeAuditPrincipalIDs: quirk})
			c := auditClient(t, fake.URL, V8, nil)
			err := c.AddAuditItems(ctx, auditOrg, []AuditEntry{{Group: &Group{ID: "team-not-a-group", Name: "Sales Team", DisplayName: "Sales Team"}}})
			if quirk == (err != nil) {
				t.Fatalf("quirk=%v: %v", quirk, err)
			}
			if !quirk {
				if !errors.Is(err, ErrBadRequest) {
					t.Fatalf("want 400, got %v", err)
				}
				continue
			}
			items, err := c.ListAuditItems(ctx, auditOrg)
			if err != nil || len(items) != 1 || items[0].PrincipalID() != auditOrg+":group:1:team-not-a-group" || items[0].PrincipalDisplayName() != "Sales Team" {
				t.Fatalf("posted object not echoed: %+v, %v", items, err)
			}
			// Not found by name either: the composite ID's segment 3.
			ids, err := c.ResolveAuditPrincipalIDs(ctx, auditOrg, items, nil, nil)
			if err != nil || ids[items[0].ID] != "team-not-a-group" {
				t.Fatalf("resolved %v, %v", ids, err)
			}
		}
	})
	t.Run("remove of an unknown item is ignored unless the quirk says 404", func(t *testing.T) {
		for _, quirk := range []bool{false, true} {
			fake := auditFake(t, vb365test.Quirks{AuditRemoveUnknownIsError: quirk})
			c := auditClient(t, fake.URL, V8, nil)
			err := c.RemoveAuditItems(ctx, auditOrg, []string{"no-such-item"})
			if quirk != errors.Is(err, ErrNotFound) {
				t.Fatalf("quirk=%v: %v", quirk, err)
			}
		}
	})
	t.Run("unknown organization is 404 for every operation", func(t *testing.T) {
		fake := auditFake(t, vb365test.Quirks{})
		c := auditClient(t, fake.URL, V8, nil)
		const org = "99999999-2222-3333-4444-555555555555"
		if err := c.AddAuditItems(ctx, org, []AuditEntry{{User: &User{ID: "x"}}}); !errors.Is(err, ErrNotFound) {
			t.Fatal(err)
		}
		if err := c.RemoveAuditItems(ctx, org, []string{"x"}); !errors.Is(err, ErrNotFound) {
			t.Fatal(err)
		}
	})
	t.Run("object body and empty array are refused", func(t *testing.T) {
		fake := auditFake(t, vb365test.Quirks{})
		for _, body := range []string{`{"type":"User","user":{"id":"x"}}`, `[]`, `[{"type":"Office365","group":{"id":"x"}}]`} {
			req, _ := http.NewRequest(http.MethodPost, fake.URL+"/v8/Organizations/"+auditOrg+"/AuditItems", strings.NewReader(body))
			c := auditClient(t, fake.URL, V8, nil)
			tok, err := c.auth.token(ctx)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("%s: %d", body, resp.StatusCode)
			}
		}
	})
}

func TestMatchAuditItem(t *testing.T) {
	const id = "a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000"
	items := []AuditItem{
		{ID: "i-name", Type: "User", User: &User{ID: "something-else", Name: "adelev@CONTOSO.onmicrosoft.com"}},
		{ID: "i-msid", Type: "User", User: &User{ID: "other", MSID: "A54B55D8-4A07-4755-9889-5001DED697F0"}},
		{ID: "i-seg", Type: "User", User: &User{ID: auditOrg + ":user:7:" + id}},
		{ID: "i-group", Type: "Group", Group: &Group{ID: id}},
	}
	p := Principal{Type: AuditTypeUser, ID: id, MSID: "a54b55d8-4a07-4755-9889-5001ded697f0", Name: "AdeleV@contoso.onmicrosoft.com"}
	// Strongest first: a segment beats the MSID, which beats the name; the
	// group with the same ID is never a user's item.
	if got := MatchAuditItem(items, p); got == nil || got.ID != "i-seg" {
		t.Fatalf("segment: %+v", got)
	}
	if got := MatchAuditItem(items[:2], p); got == nil || got.ID != "i-msid" {
		t.Fatalf("msid: %+v", got)
	}
	if got := MatchAuditItem(items[:1], p); got == nil || got.ID != "i-name" {
		t.Fatalf("name: %+v", got)
	}
	if got := MatchAuditItem(items[:1], Principal{Type: AuditTypeUser, ID: id}); got != nil {
		t.Fatalf("no name given, still matched %+v", got)
	}
	if got := MatchAuditItem(items, Principal{Type: AuditTypeGroup, ID: id}); got == nil || got.ID != "i-group" {
		t.Fatalf("group: %+v", got)
	}
	// Same name, different known MSID: someone else.
	other := []AuditItem{{ID: "x", Type: "User", User: &User{ID: "y", Name: p.Name, MSID: "00000000-0000-0000-0000-00000000abcd"}}}
	if got := MatchAuditItem(other, p); got != nil {
		t.Fatalf("matched a namesake: %+v", got)
	}
	// The ID itself may hold colons: everything after the third one.
	colon := []AuditItem{{ID: "c", Type: "User", User: &User{ID: "org:user:1:a:b"}}}
	if got := MatchAuditItem(colon, Principal{Type: AuditTypeUser, ID: "a:b"}); got == nil {
		t.Fatal("colon ID not matched")
	}
}

// countingTransport counts requests per "METHOD path" and can hold the
// answer of chosen requests until released.
type countingTransport struct {
	next http.RoundTripper
	mu   sync.Mutex
	n    map[string]int
	// hold, when set, is called with each request (after the server
	// answered) and may block.
	hold func(r *http.Request, n int)
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	c.mu.Lock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	key := r.Method + " " + r.URL.Path
	c.n[key]++
	n := c.n[key]
	hold := c.hold
	c.mu.Unlock()
	if hold != nil {
		hold(r, n)
	}
	return resp, err
}

func (c *countingTransport) count(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[key]
}

var auditListKey = "GET /v8/Organizations/" + auditOrg + "/AuditItems"

// TestAuditListSharedAndInvalidated: concurrent reads share one request,
// a cached list answers later reads, a write invalidates it, and the TTL
// bounds it.
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
	if err := c.AddAuditItems(ctx, auditOrg, []AuditEntry{{User: &User{ID: megan.ID, Name: megan.Name, DisplayName: megan.DisplayName}}}); err != nil {
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
	if err := c.AddAuditItems(ctx, auditOrg, []AuditEntry{{User: &User{ID: u.ID, Name: u.Name}}}); err != nil {
		t.Fatal(err)
	}
	fresh := make(chan []AuditItem, 1)
	go func() {
		items, err := c.ListAuditItems(ctx, auditOrg)
		if err != nil {
			t.Error(err)
		}
		fresh <- items
	}()
	// A reader that did not write joins whatever comes; the writer must
	// not be answered by the held list.
	select {
	case got := <-fresh:
		t.Fatalf("the writer was answered while the only list in flight predates its write: %+v", got)
	case <-time.After(100 * time.Millisecond):
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
					if err := c.AddAuditItems(ctx, auditOrg, []AuditEntry{{User: &User{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName}}}); err != nil {
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
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations/{organizationId}/AuditItems", Times: 1, Latency: 200 * time.Millisecond})
	c := auditClient(t, fake.URL, V8, nil)
	if err := c.Login(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := c.ListAuditItems(ctx, auditOrg)
		first <- err
	}()
	time.Sleep(50 * time.Millisecond)
	second := make(chan error, 1)
	go func() {
		_, err := c.ListAuditItems(context.Background(), auditOrg)
		second <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("first: %v", err)
	}
	if err := <-second; err != nil {
		t.Fatalf("second failed with the first caller: %v", err)
	}
	if n := fake.Count("GET /Organizations/{organizationId}/AuditItems"); n != 1 {
		t.Fatalf("%d lists", n)
	}
}

// TestAuditItemsFakeAdminRoutes: the out-of-band HTTP API the demo uses to
// change audit items behind Terraform's back.
func TestAuditItemsFakeAdminRoutes(t *testing.T) {
	fake := auditFake(t, vb365test.Quirks{})
	hr := demoGroup(t, fake, "HR@contoso.onmicrosoft.com")
	post := func(op, org, principal string) int {
		t.Helper()
		resp, err := http.Post(fake.URL+"/_fake/audit-items/"+op+"?organizationId="+org+"&principalId="+principal, "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	if st := post("add", auditOrg, hr.ID); st != http.StatusOK {
		t.Fatalf("add: %d", st)
	}
	if st := post("add", auditOrg, hr.ID); st != http.StatusOK || len(fake.AuditItems(auditOrg)) != 1 {
		t.Fatalf("second add: %d, %v", st, fake.AuditItems(auditOrg))
	}
	if items := fake.AuditItems(auditOrg); items[0].Type != "Group" || items[0].PrincipalID != hr.ID {
		t.Fatalf("stored %v", items)
	}
	if st := post("add", auditOrg, "nobody"); st != http.StatusNotFound {
		t.Fatalf("unknown principal: %d", st)
	}
	if st := post("add", "99999999-2222-3333-4444-555555555555", hr.ID); st != http.StatusNotFound {
		t.Fatalf("unknown organization: %d", st)
	}
	if st := post("remove", auditOrg, hr.ID); st != http.StatusNoContent || len(fake.AuditItems(auditOrg)) != 0 {
		t.Fatalf("remove: %d", st)
	}
	if st := post("remove", auditOrg, hr.ID); st != http.StatusNotFound {
		t.Fatalf("second remove: %d", st)
	}
}

// TestAuditListLingerUsesClock: a list that follows a write waits out the
// linger on the cache's clock (DefaultAuditListLinger when unset), and not
// at all with noLinger.
func TestAuditListLingerUsesClock(t *testing.T) {
	for _, tc := range []struct {
		linger time.Duration
		want   []time.Duration
	}{{0, []time.Duration{DefaultAuditListLinger}}, {50 * time.Millisecond, []time.Duration{50 * time.Millisecond}}, {noLinger, nil}} {
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
			if err := c.AddAuditItems(ctx, auditOrg, []AuditEntry{{User: &User{ID: adele.ID, Name: adele.Name, DisplayName: adele.DisplayName}}}); err != nil {
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

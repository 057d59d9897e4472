package vb365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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
	if err := c.AddAuditItems(ctx, auditOrg, []Object{{User: user}, {Group: group}}); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveAuditItems(ctx, auditOrg, []string{"item-1", "item-2"}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddAuditItems(ctx, auditOrg, []Object{{User: user, Group: group}}); err == nil {
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
				if err := c.AddAuditItems(ctx, auditOrg, []Object{{User: u}, {Group: g}}); err != nil {
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
		if err := c.AddAuditItems(ctx, auditOrg, []Object{{User: &User{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName}}}); err != nil {
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
			err := c.AddAuditItems(ctx, auditOrg, []Object{{User: &User{ID: u.ID, Name: u.Name}}})
			if quirk != errors.Is(err, ErrBadRequest) || len(fake.AuditItems(auditOrg)) != 1 {
				t.Fatalf("quirk=%v: %v, %v", quirk, err, fake.AuditItems(auditOrg))
			}
		}
	})
	t.Run("unknown principal is 400 unless accepted", func(t *testing.T) {
		for _, quirk := range []bool{false, true} {
			fake := auditFake(t, vb365test.Quirks{AuditUnknownPrincipalAccepted: quirk, CompositeAuditPrincipalIDs: quirk})
			c := auditClient(t, fake.URL, V8, nil)
			err := c.AddAuditItems(ctx, auditOrg, []Object{{Group: &Group{ID: "team-not-a-group", Name: "Sales Team", DisplayName: "Sales Team"}}})
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
		if err := c.AddAuditItems(ctx, org, []Object{{User: &User{ID: "x"}}}); !errors.Is(err, ErrNotFound) {
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

// Adding and removing audit items survive 5xx answers and answers lost
// after the server processed the write: no duplicate, no lost item, also
// where a duplicate add is a 400.
func TestAuditWritesSafeToRepeat(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault vb365test.Fault
	}{
		{"503", vb365test.Fault{Status: http.StatusServiceUnavailable, Times: 2}},
		{"dropped after processing", vb365test.Fault{DropAfterServing: true, Times: 2}},
		{"dropped before processing", vb365test.Fault{Drop: true, Times: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := auditFake(t, vb365test.Quirks{AuditDuplicateIsError: true, AuditRemoveUnknownIsError: true})
			c := newTestClient(t, fake.URL)
			ctx := context.Background()
			a, b := demoUser(t, fake, "ceo@contoso.onmicrosoft.com"), demoUser(t, fake, "AlexW@contoso.onmicrosoft.com")
			ua, err := c.GetUser(ctx, auditOrg, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			ub, err := c.GetUser(ctx, auditOrg, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			f := tc.fault
			f.Route = "POST /Organizations/{organizationId}/AuditItems"
			fake.InjectFault(f)
			if err := c.AddAuditItems(ctx, auditOrg, []Object{{User: ua}, {User: ub}}); err != nil {
				t.Fatalf("AddAuditItems: %v", err)
			}
			items := fake.AuditItems(auditOrg)
			if len(items) != 2 {
				t.Fatalf("server holds %v, want the two users once each", items)
			}
			f.Route = "POST /Organizations/{organizationId}/AuditItems/remove"
			fake.InjectFault(f)
			if err := c.RemoveAuditItems(ctx, auditOrg, []string{items[0].ID, items[1].ID}); err != nil {
				t.Fatalf("RemoveAuditItems: %v", err)
			}
			if left := fake.AuditItems(auditOrg); len(left) != 0 {
				t.Fatalf("server still holds %v", left)
			}
		})
	}
}

// An item of a type newer than the documents is classified by the
// object it embeds.
func TestAuditItemUnknownTypeClassifiedByObject(t *testing.T) {
	for _, tc := range []struct {
		item        AuditItem
		user, group bool
	}{
		{AuditItem{Type: "UserV2", User: &User{ID: "u"}}, true, false},
		{AuditItem{Type: "GroupV2", Group: &Group{ID: "g"}}, false, true},
		{AuditItem{Type: "", User: &User{ID: "u"}}, true, false},
		{AuditItem{Type: "Mystery"}, false, false},
		{AuditItem{Type: "Mystery", User: &User{ID: "u"}, Group: &Group{ID: "g"}}, false, false},
		{AuditItem{Type: "user", Group: &Group{ID: "g"}}, true, false},
	} {
		if tc.item.IsUser() != tc.user || tc.item.IsGroup() != tc.group {
			t.Errorf("%+v: IsUser %v IsGroup %v, want %v %v", tc.item, tc.item.IsUser(), tc.item.IsGroup(), tc.user, tc.group)
		}
	}
}

func FuzzAuditItemsDecode(f *testing.F) {
	f.Add(`[{"id":"i1","type":"User","user":{"id":"u1","name":"a@b"}}]`, "u1")
	f.Add(`[{"id":"i2","type":"UserV2","user":{"id":"o:user:1:u1"}},{"id":"i3","type":"Group","group":{"id":"g"}}]`, "u1")
	f.Add(`[{"id":"i4","type":"Mystery","user":{"id":"u"},"group":{"id":"g"}}]`, "g")
	f.Add(`[{"id":"i5"}]`, "")
	f.Fuzz(func(t *testing.T, body, principalID string) {
		var items []AuditItem
		if json.Unmarshal([]byte(body), &items) != nil {
			return
		}
		for i := range items {
			it := &items[i]
			if it.IsUser() && it.IsGroup() {
				t.Fatalf("%+v is both a user and a group", it)
			}
			_ = it.NormalizedType()
			_ = it.PrincipalID()
		}
		for _, kind := range []string{AuditTypeUser, AuditTypeGroup} {
			if it := MatchAuditItem(items, Principal{Type: kind, ID: principalID}); it != nil && !strings.EqualFold(it.NormalizedType(), kind) {
				t.Fatalf("a %s matched item %+v", kind, it)
			}
		}
	})
}

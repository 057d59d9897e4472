package vb365

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestFindUserNarrowsOnClient: a server whose filters are looser than
// documented (prefix or substring matches) still yields the exact user.
func TestFindUserNarrowsOnClient(t *testing.T) {
	loose := `{"offset":0,"limit":10000,"setId":null,"results":[
 {"id":"a1","name":"PattiF@contoso.onmicrosoft.com.old","displayName":"Patti Fernandez (old)","locationType":"Cloud"},
 {"id":"a2","name":"PattiF@contoso.onmicrosoft.com","displayName":"Patti Fernandez","locationType":"Hybrid"},
 {"id":"a3","name":"PattiF2@contoso.onmicrosoft.com","displayName":"patti fernandez","locationType":"Cloud"}],"_links":{}}`
	srv := newStaticServer(t, map[string]string{"/v8/Organizations/o/Users": loose})
	c := newTestClient(t, srv)
	ctx := context.Background()
	if u, err := c.FindUserByName(ctx, "o", "pattif@contoso.onmicrosoft.com"); err != nil || u.ID != "a2" {
		t.Fatalf("by name = %+v, %v", u, err)
	}
	// Exact display name, ignoring case: two match.
	_, err := c.FindUserByDisplayName(ctx, "o", "PATTI FERNANDEZ")
	var amb *AmbiguousError
	if !errors.As(err, &amb) || !errors.Is(err, ErrAmbiguous) || len(amb.Matches) != 2 || amb.Matches[0].ID != "a2" || amb.Matches[1].ID != "a3" || amb.Truncated {
		t.Fatalf("by display name = %#v", err)
	}
	if want := `2 users with display_name "PATTI FERNANDEZ" in organization o: PattiF@contoso.onmicrosoft.com (id a2), PattiF2@contoso.onmicrosoft.com (id a3)`; err.Error() != want {
		t.Fatalf("message = %q\nwant      %q", err, want)
	}
	if u, err := c.FindUserByDisplayName(ctx, "o", "Patti Fernandez (old)"); err != nil || u.ID != "a1" {
		t.Fatalf("exact display name = %+v, %v", u, err)
	}
	// With a wildcard the server's answer stands: three match.
	if _, err := c.FindUserByDisplayName(ctx, "o", "Patti*"); !errors.As(err, &amb) || len(amb.Matches) != 3 {
		t.Fatalf("wildcard = %v", err)
	}
}

// newStaticServer answers /v8/token and fixed bodies per path.
func newStaticServer(t *testing.T, bodies map[string]string) string {
	t.Helper()
	srv := http.NewServeMux()
	srv.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v8/token" {
			writeToken(w, "access", "refresh")
			return
		}
		b, ok := bodies[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, b)
	})
	s := httptest.NewServer(srv)
	t.Cleanup(s.Close)
	return s.URL
}

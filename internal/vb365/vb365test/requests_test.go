package vb365test

import (
	"net/http"
	"strings"
	"testing"
)

func TestFaultsAndRequestLog(t *testing.T) {
	s := Start(t, Options{})
	s.SeedDemo()
	token := login(t, s, "v8")
	s.InjectFault(Fault{Route: "GET /Organizations", Status: 503, Times: 2, RetryAfter: "3"})
	for i, want := range []int{503, 503, 200} {
		if code := get(t, s, token, "/v8/Organizations", nil); code != want {
			t.Fatalf("request %d: HTTP %d, want %d", i, code, want)
		}
	}
	s.InjectFault(Fault{Route: "*", Drop: true, Times: 1})
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/v8/Organizations", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	// A fresh connection: on a reused one net/http would retry the GET itself.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := fresh.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped connection answered HTTP %d", resp.StatusCode)
	}
	counts := s.CountByRoute()
	if counts["POST /token"] != 1 || counts["GET /Organizations"] < 3 {
		t.Fatalf("counts %v", counts)
	}
	if !strings.Contains(s.Requests()[1].Path, "/v8/Organizations") {
		t.Fatalf("log %v", s.Requests())
	}
}

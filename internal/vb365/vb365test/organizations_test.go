package vb365test

import (
	"testing"
)

func TestOrganizationsShapePerVersion(t *testing.T) {
	s := Start(t, Options{})
	s.SeedDemo()
	for _, version := range []string{"v6", "v7"} {
		var orgs []map[string]any
		if code := get(t, s, login(t, s, version), "/"+version+"/Organizations", &orgs); code != 200 || len(orgs) != 2 {
			t.Fatalf("%s: HTTP %d, %d organizations in a bare array", version, code, len(orgs))
		}
		if _, has := orgs[0]["description"]; has != (version == "v7") {
			t.Fatalf("%s: description present = %v", version, has)
		}
	}
	var page struct {
		Results []map[string]any `json:"results"`
	}
	if code := get(t, s, login(t, s, "v8"), "/v8/Organizations", &page); code != 200 || len(page.Results) != 2 {
		t.Fatalf("v8: HTTP %d, %d organizations in a page", code, len(page.Results))
	}
	var nf map[string]any
	if code := get(t, s, login(t, s, "v8"), "/v8/Organizations/11111111-2222-3333-4444-555555555555", &nf); code != 404 || nf["errorCode"] != "ResourceNotFound" {
		t.Fatalf("unknown organization: HTTP %d %v", code, nf)
	}
	if code := get(t, s, "", "/v5/Organizations", nil); code != 404 {
		t.Fatalf("unknown version: HTTP %d", code)
	}
}

package vb365test

import (
	"net/http"
	"strings"
	"testing"
)

// TestDefaultInfrastructure: every server starts with the default proxy and
// repository (stable IDs), which a job may name before anything is seeded.
func TestDefaultInfrastructure(t *testing.T) {
	s := Start(t, Options{})
	if !s.RepositoryExists(DefaultRepositoryID) || !s.RepositoryExists("7B2E4C6D-8F90-4A1B-9C2D-3E4F5A6B7C8D") || s.RepositoryExists(DemoImmutableRepositoryID) {
		t.Fatal("a new server has the default repository only")
	}
	token := login(t, s, "v8")
	var page struct {
		Results []map[string]any `json:"results"`
	}
	if code := get(t, s, token, "/v8/backuprepositories", &page); code != http.StatusOK || len(page.Results) != 1 || page.Results[0]["name"] != DefaultRepository {
		t.Fatalf("HTTP %d %v", code, page.Results)
	}
	var proxies []map[string]any
	if code := get(t, s, login(t, s, "v7"), "/v7/Proxies", &proxies); code != http.StatusOK || len(proxies) != 1 || proxies[0]["id"] != DefaultProxyID {
		t.Fatalf("HTTP %d %v", code, proxies)
	}
	r := s.AddRepository(Repository{Name: "Tenant A"})
	if got := s.Repository(r.ID); got == nil || got.ProxyID != DefaultProxyID || got.YearlyRetention != "Years3" || got.CapacityBytes == 0 {
		t.Fatalf("defaults %+v", got)
	}
	if !s.RemoveRepository(r.ID) || s.RepositoryExists(r.ID) || s.RemoveRepository(r.ID) {
		t.Fatal("RemoveRepository")
	}
}

// TestRepositoryShapesPerVersion: the object storage is its own object with
// an ID reference in v6 and v7 (404 in v8), embedded in v8; immutability
// grows with the version.
func TestRepositoryShapesPerVersion(t *testing.T) {
	s := Start(t, Options{})
	s.SeedDemo()
	for _, v := range []string{"v6", "v7", "v8"} {
		token := login(t, s, v)
		var r map[string]any
		if code := get(t, s, token, "/"+v+"/BackupRepositories/"+DemoImmutableRepositoryID, &r); code != http.StatusOK {
			t.Fatalf("%s: HTTP %d", v, code)
		}
		var o map[string]any
		code := get(t, s, token, "/"+v+"/objectstoragerepositories/"+DemoImmutableObjectStorage, &o)
		switch v {
		case "v8":
			emb, _ := r["objectStorage"].(map[string]any)
			if code != http.StatusNotFound || r["objectStorageId"] != nil || emb == nil || emb["immutabilityPeriodDays"] != float64(30) || emb["enableImmutabilityGovernanceMode"] != false {
				t.Fatalf("v8: HTTP %d, %v", code, r)
			}
		default:
			_, hasImm := o["enableImmutability"]
			if code != http.StatusOK || r["objectStorageId"] != DemoImmutableObjectStorage || r["objectStorage"] != nil || hasImm != (v == "v7") || o["immutabilityPeriodDays"] != nil {
				t.Fatalf("%s: HTTP %d, %v, %v", v, code, r, o)
			}
		}
	}
}

// TestRepositoryOutOfBand: the demo's drift route changes a repository and
// its object storage.
func TestRepositoryOutOfBand(t *testing.T) {
	s := Start(t, Options{})
	s.SeedDemo()
	req, _ := http.NewRequest(http.MethodPatch, s.URL+"/_fake/backup-repositories?id="+DemoImmutableRepositoryID, strings.NewReader(`{"encrypted": false, "immutabilityDays": 7}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("HTTP %d", resp.StatusCode)
	}
	if r := s.Repository(DemoImmutableRepositoryID); r.Encrypted || r.EncryptionKeyID != DemoEncryptionKeyID {
		t.Fatalf("%+v", r)
	}
	ok := s.UpdateObjectStorage(DemoImmutableObjectStorage, func(o *ObjectStorage) {
		if o.ImmutabilityDays != 7 || !o.Immutable {
			t.Errorf("%+v", o)
		}
	})
	if !ok {
		t.Fatal("no object storage")
	}
	req, _ = http.NewRequest(http.MethodPatch, s.URL+"/_fake/backup-repositories?id=nope", strings.NewReader(`{}`))
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown repository: HTTP %d", resp.StatusCode)
	}
}

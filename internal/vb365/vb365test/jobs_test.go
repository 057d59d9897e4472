package vb365test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// jobServer is a seeded fake with the demo repository and a token.
func jobServer(t *testing.T, q Quirks, version string) (*Server, string, *Organization) {
	t.Helper()
	s := Start(t, Options{Quirks: q})
	org := s.SeedDemo()
	return s, login(t, s, version), org
}

func jobUserItem(org *Organization, name string) string {
	for _, u := range org.Users {
		if strings.EqualFold(u.Name, name) {
			b, _ := json.Marshal(map[string]any{"type": "User", "user": map[string]any{"id": u.ID, "name": u.Name}, "mailbox": true})
			return string(b)
		}
	}
	panic("no user " + name)
}

func createJob(t *testing.T, s *Server, token, version string, org *Organization, body string) string {
	t.Helper()
	path, want := "/"+version+"/Organizations/"+org.ID+"/Jobs", http.StatusOK
	if version == "v8" {
		path, want = "/v8/Jobs", http.StatusCreated
	}
	code, answer := send(t, s, token, http.MethodPost, path, body)
	if code != want {
		t.Fatalf("create: HTTP %d %s", code, answer)
	}
	var j struct{ ID string }
	_ = json.Unmarshal([]byte(answer), &j)
	return j.ID
}

// TestJobRules: the rules the fake applies where the documents are silent.
func TestJobRules(t *testing.T) {
	s, token, org := jobServer(t, Quirks{}, "v8")
	ceo, adele := jobUserItem(org, "ceo@contoso.onmicrosoft.com"), jobUserItem(org, "AdeleV@contoso.onmicrosoft.com")
	base := `"organizationId":"` + org.ID + `","repositoryId":"` + DefaultRepositoryID + `"`
	for _, bad := range []string{
		`{"name":"x",` + base + `,"backupType":"SelectedItems"}`,                                                           // no selected item
		`{"name":"x",` + base + `,"backupType":"Nothing"}`,                                                                 // type
		`{"name":"x","organizationId":"` + org.ID + `","repositoryId":"` + org.ID + `","backupType":"EntireOrganization"}`, // repository
		`{"name":"x",` + base + `,"backupType":"SelectedItems","selectedItems":[` + ceo + `,` + ceo + `]}`,
		`{"name":"x",` + base + `,"backupType":"SelectedItems","selectedItems":[` + ceo + `],"excludedItems":[` + ceo + `]}`,
		`{"name":"x",` + base + `,"backupType":"SelectedItems","selectedItems":[{"type":"User","user":{"id":"nobody"}}]}`,
		`{"name":"x",` + base + `,"backupType":"SelectedItems","selectedItems":[{"type":"PersonalSites","mailbox":true}]}`,
		`{"name":"x",` + base + `,"backupType":"EntireOrganization","schedulePolicy":{"type":"Daily","dailyTime":"25:00"}}`,
		`{"name":"x",` + base + `,"backupType":"EntireOrganization","schedulePolicy":{"backupWindowSettings":{"backupWindow":[true]}}}`,
	} {
		if code, answer := send(t, s, token, http.MethodPost, "/v8/Jobs", bad); code != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d %s, want 400", bad, code, answer)
		}
	}
	id := createJob(t, s, token, "v8", org, `{"name":"Staff",`+base+`,"backupType":"SelectedItems","selectedItems":[`+ceo+`]}`)
	if code, _ := send(t, s, token, http.MethodPost, "/v8/Jobs", `{"name":"STAFF",`+base+`,"backupType":"EntireOrganization"}`); code != http.StatusBadRequest {
		t.Errorf("a second job named Staff: HTTP %d", code)
	}
	// The last selected item cannot go; with another one added first, it can.
	item := s.Job(id).Selected[0].ID
	if code, _ := send(t, s, token, http.MethodDelete, "/v8/Jobs/"+id+"/SelectedItems?ids="+item, ""); code != http.StatusBadRequest {
		t.Errorf("removing the last item: HTTP %d", code)
	}
	if code, answer := send(t, s, token, http.MethodPost, "/v8/Jobs/"+id+"/SelectedItems", "["+adele+"]"); code != http.StatusNoContent {
		t.Fatalf("add: %d %s", code, answer)
	}
	if code, _ := send(t, s, token, http.MethodDelete, "/v8/Jobs/"+id+"/SelectedItems", `["`+item+`"]`); code != http.StatusNoContent {
		t.Errorf("removing by body: HTTP %d", code)
	}
	// A PUT to EntireOrganization, and back: the selected items stay.
	if code, answer := send(t, s, token, http.MethodPut, "/v8/Jobs/"+id, `{"backupType":"EntireOrganization"}`); code != http.StatusNoContent {
		t.Fatalf("PUT: %d %s", code, answer)
	}
	if code, _ := send(t, s, token, http.MethodPut, "/v8/Jobs/"+id, `{"backupType":"SelectedItems","selectedItems":[]}`); code != http.StatusNoContent {
		t.Errorf("PUT back: HTTP %d", code)
	}
	if j := s.Job(id); j.BackupType != "SelectedItems" || len(j.Selected) != 1 {
		t.Fatalf("job: %+v", j)
	}
	if low := s.JobLows()[id]; low.Selected != 1 || low.Writes != 5 {
		t.Errorf("low: %+v", low)
	}
	// v6 has no Hours12; v8 has.
	if code, _ := send(t, s, token, http.MethodPut, "/v8/Jobs/"+id, `{"schedulePolicy":{"type":"Periodically","periodicallyEvery":"Hours12"}}`); code != http.StatusNoContent {
		t.Errorf("Hours12 on v8: HTTP %d", code)
	}
	v6 := login(t, s, "v6")
	if code, _ := send(t, s, v6, http.MethodPut, "/v6/Jobs/"+id, `{"schedulePolicy":{"periodicallyEvery":"Hours12"}}`); code != http.StatusBadRequest {
		t.Errorf("Hours12 on v6: HTTP %d", code)
	}
}

// TestJobQuirks: each quirk changes what it names.
func TestJobQuirks(t *testing.T) {
	t.Run("PUT replaces items", func(t *testing.T) {
		s, token, org := jobServer(t, Quirks{JobPutItemsReplace: true}, "v7")
		id := createJob(t, s, token, "v7", org, `{"name":"Staff","repositoryId":"`+DefaultRepositoryID+`","backupType":"SelectedItems","selectedItems":[`+jobUserItem(org, "ceo@contoso.onmicrosoft.com")+`]}`)
		if code, _ := send(t, s, token, http.MethodPut, "/v7/Jobs/"+id, `{"selectedItems":[`+jobUserItem(org, "AdeleV@contoso.onmicrosoft.com")+`]}`); code != http.StatusNoContent {
			t.Fatalf("PUT: HTTP %d", code)
		}
		if sel := s.Job(id).Selected; len(sel) != 1 || sel[0].Object["name"] != "AdeleV@contoso.onmicrosoft.com" {
			t.Fatalf("selected: %+v", sel)
		}
	})
	t.Run("GET fills items, daily time short", func(t *testing.T) {
		s, token, org := jobServer(t, Quirks{JobReadFillsItems: true, JobDailyTimeFormat: "short"}, "v6")
		id := createJob(t, s, token, "v6", org, `{"name":"Staff","repositoryId":"`+DefaultRepositoryID+`","backupType":"SelectedItems","selectedItems":[`+jobUserItem(org, "ceo@contoso.onmicrosoft.com")+`]}`)
		var j map[string]any
		get(t, s, token, "/v6/Jobs/"+id, &j)
		if items, _ := j["selectedItems"].([]any); len(items) != 1 || j["schedulePolicy"].(map[string]any)["dailyTime"] != "22:00" {
			t.Fatalf("job: %v", j)
		}
		if _, ok := j["organizationId"]; ok {
			t.Error("a v6 job names its organization")
		}
	})
	t.Run("one job per user", func(t *testing.T) {
		s, token, org := jobServer(t, Quirks{JobItemInOneJobOnly: true}, "v8")
		body := `{"organizationId":"` + org.ID + `","repositoryId":"` + DefaultRepositoryID + `","backupType":"SelectedItems","selectedItems":[` + jobUserItem(org, "ceo@contoso.onmicrosoft.com") + `]`
		createJob(t, s, token, "v8", org, `{"name":"A",`+body[1:]+`}`)
		if code, _ := send(t, s, token, http.MethodPost, "/v8/Jobs", `{"name":"B",`+body[1:]+`}`); code != http.StatusBadRequest {
			t.Fatalf("the CEO in a second job: HTTP %d", code)
		}
	})
	t.Run("EntireOrganization lists the organization", func(t *testing.T) {
		s, token, org := jobServer(t, Quirks{JobEntireOrganizationListsOrganization: true, JobItemCompositePrincipalIDs: true}, "v8")
		id := createJob(t, s, token, "v8", org, `{"name":"All","organizationId":"`+org.ID+`","repositoryId":"`+DefaultRepositoryID+`","backupType":"EntireOrganization","excludedItems":[`+jobUserItem(org, "ceo@contoso.onmicrosoft.com")+`]}`)
		var page struct{ Results []map[string]any }
		get(t, s, token, "/v8/Jobs/"+id+"/SelectedItems", &page)
		if len(page.Results) != 1 || page.Results[0]["type"] != "PartialOrganization" || page.Results[0]["teams"] != true {
			t.Fatalf("selected: %v", page.Results)
		}
		get(t, s, token, "/v8/Jobs/"+id+"/ExcludedItems", &page)
		if uid, _ := page.Results[0]["user"].(map[string]any)["id"].(string); !strings.HasPrefix(uid, org.ID+":1:user:") {
			t.Fatalf("excluded user id %q", uid)
		}
	})
}

// TestJobOutOfBand: the admin routes the demo uses.
func TestJobOutOfBand(t *testing.T) {
	s, token, org := jobServer(t, Quirks{}, "v8")
	id := createJob(t, s, token, "v8", org, `{"name":"Staff","organizationId":"`+org.ID+`","repositoryId":"`+DefaultRepositoryID+`","backupType":"SelectedItems","selectedItems":[`+
		jobUserItem(org, "ceo@contoso.onmicrosoft.com")+`,`+jobUserItem(org, "AdeleV@contoso.onmicrosoft.com")+`]}`)
	admin := func(method, path, body string) int {
		code, _ := send(t, s, "", method, path, body)
		return code
	}
	if code := admin(http.MethodPost, "/_fake/job-items/remove?jobId="+id+"&list=SelectedItems&principal=CEO@contoso.onmicrosoft.com", ""); code != http.StatusNoContent {
		t.Fatalf("remove: HTTP %d", code)
	}
	if code := admin(http.MethodPost, "/_fake/job-items?jobId="+id+"&list=ExcludedItems&userName=MeganB@contoso.onmicrosoft.com", ""); code != http.StatusNoContent {
		t.Fatalf("add: HTTP %d", code)
	}
	if code := admin(http.MethodPatch, "/_fake/jobs?id="+id, `{"isEnabled":false,"schedulePolicy":{"type":"Periodically","periodicallyEvery":"Hours2"}}`); code != http.StatusNoContent {
		t.Fatalf("patch: HTTP %d", code)
	}
	j := s.Job(id)
	if len(j.Selected) != 1 || len(j.Excluded) != 1 || j.Enabled || j.Schedule.PeriodicallyEvery != "Hours2" {
		t.Fatalf("job: %+v", j)
	}
	if !s.SetJobItemFlag(id, "SelectedItems", j.Selected[0].PrincipalID, "oneDrive", true) || !s.Job(id).Selected[0].Flags["oneDrive"] {
		t.Fatal("flag not set")
	}
	if code := admin(http.MethodDelete, "/_fake/jobs?id="+id, ""); code != http.StatusNoContent || len(s.Jobs()) != 0 {
		t.Fatalf("delete: HTTP %d, %d jobs", code, len(s.Jobs()))
	}
	if code := admin(http.MethodDelete, "/_fake/jobs?id="+id, ""); code != http.StatusNotFound {
		t.Fatalf("delete again: HTTP %d", code)
	}
}

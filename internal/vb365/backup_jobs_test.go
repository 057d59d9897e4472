package vb365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

// jobKit is a seeded fake with the demo repository, a client of it (its
// traffic validated against the version's document when val is set) and
// lookups of demo objects as job items.
type jobKit struct {
	fake *vb365test.Server
	c    *Client
	val  *contract.Validator
	org  string
	t    *testing.T
}

func newJobKit(t *testing.T, v APIVersion, q vb365test.Quirks, validate bool) *jobKit {
	t.Helper()
	fake := vb365test.Start(t, vb365test.Options{Quirks: q})
	fake.SeedDemo()
	k := &jobKit{fake: fake, org: vb365test.DemoOrganizationID, t: t}
	mods := []func(*Config){withVersion(v), patient}
	if validate {
		val, err := contract.Load(string(v))
		if err != nil {
			t.Fatal(err)
		}
		k.val = val
		mods = append(mods, func(cfg *Config) {
			cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport), Timeout: testTimeout}
		})
	}
	k.c = newTestClient(t, fake.URL, mods...)
	return k
}

func (k *jobKit) user(name string, flags JobItemFlags) JobItemEntry {
	k.t.Helper()
	u, err := k.c.FindUserByName(context.Background(), k.org, name)
	if err != nil {
		k.t.Fatal(err)
	}
	return JobItemEntry{Type: ItemUser, Object: Object{User: u}, Flags: flags}
}

func (k *jobKit) group(name string, flags JobItemFlags) JobItemEntry {
	k.t.Helper()
	g, err := k.c.FindGroupByName(context.Background(), k.org, name)
	if err != nil {
		k.t.Fatal(err)
	}
	return JobItemEntry{Type: ItemGroup, Object: Object{Group: g}, Flags: flags}
}

func (k *jobKit) create(jc JobCreate) *BackupJob {
	k.t.Helper()
	if jc.RepositoryID == "" {
		jc.RepositoryID = vb365test.DefaultRepositoryID
	}
	j, err := k.c.CreateBackupJob(context.Background(), k.org, jc)
	if err != nil {
		k.t.Fatal(err)
	}
	return j
}

func itemKeys(items []JobItem) string {
	var s []string
	for _, it := range items {
		s = append(s, it.Type+":"+it.Name)
	}
	return strings.Join(s, ",")
}

var mailOnly = JobItemFlags{Mailbox: true}

// TestBackupJobsContract walks a job through its life on every version,
// through the OpenAPI validator: create with items of every type, list,
// get, the item lists, add, change and remove items, update with a
// schedule, enable, disable, start, stop, delete, and a 404.
func TestBackupJobsContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			k := newJobKit(t, v, vb365test.Quirks{}, true)
			ctx := context.Background()
			c := k.c
			site, err := c.GetSite(ctx, k.org, vb365test.DemoSiteID)
			if err != nil {
				t.Fatal(err)
			}
			team, err := c.GetTeam(ctx, k.org, vb365test.DemoTeamID)
			if err != nil {
				t.Fatal(err)
			}
			selected := []JobItemEntry{
				k.group("HR@contoso.onmicrosoft.com", JobItemFlags{Mailbox: true, Members: true, MemberMailbox: true, MemberOneDrive: true, GroupSite: true}),
				k.user("ceo@contoso.onmicrosoft.com", JobItemFlags{Mailbox: true, ArchiveMailbox: true, OneDrive: true}),
				{Type: ItemSite, Object: Object{Site: site}},
				{Type: ItemTeam, Object: Object{Team: team}, Flags: JobItemFlags{TeamsChats: true}},
				{Type: ItemPersonalSites},
			}
			window := make([]bool, WindowHours)
			for h := range window {
				window[h] = h%24 < 6 || h%24 >= 20
			}
			retries := 4
			job := k.create(JobCreate{
				Name: "Staff", Description: "Staff mail", BackupType: JobSelectedItems, Enabled: true,
				Schedule: &JobSchedule{Type: ScheduleDaily, DailyType: "Workdays", DailyTime: "21:30", RetryNumber: &retries, WindowEnabled: true, Window: window},
				Selected: selected,
				Excluded: []JobItemEntry{k.user("AdeleV@contoso.onmicrosoft.com", JobItemFlags{OneDrive: true})},
			})
			if job.ID == "" || !strings.EqualFold(job.OrganizationID, k.org) || job.BackupType != JobSelectedItems || !job.Enabled {
				t.Fatalf("created: %+v", job)
			}
			if s := job.Schedule; s.DailyTime != "21:30" || s.DailyType != "Workdays" || !s.WindowEnabled || len(s.Window) != WindowHours || s.Window[12] || !s.Window[22] || *s.RetryNumber != 4 {
				t.Fatalf("schedule: %+v", s)
			}
			jobs, err := c.ListOrganizationJobs(ctx, k.org)
			if err != nil || len(jobs) != 1 || jobs[0].ID != job.ID {
				t.Fatalf("organization's jobs: %+v, %v", jobs, err)
			}
			all, err := c.ListBackupJobs(ctx, JobFilter{RepositoryID: vb365test.DefaultRepositoryID})
			if err != nil || len(all) != 1 || !strings.EqualFold(all[0].OrganizationID, k.org) {
				t.Fatalf("all jobs: %+v, %v", all, err)
			}
			if none, err := c.ListBackupJobs(ctx, JobFilter{RepositoryID: "11111111-2222-3333-4444-555555555555"}); err != nil || len(none) != 0 {
				t.Fatalf("jobs of another repository: %+v, %v", none, err)
			}
			got, err := c.FindJobOrganization(ctx, job.ID)
			if err != nil || !strings.EqualFold(got.OrganizationID, k.org) || got.Name != "Staff" {
				t.Fatalf("by ID: %+v, %v", got, err)
			}
			sel, err := c.ListJobItems(ctx, job.ID, JobSelected)
			if err != nil || len(sel) != len(selected) {
				t.Fatalf("selected: %s, %v", itemKeys(sel), err)
			}
			for i, e := range selected {
				if !sel[i].Same(e) {
					t.Errorf("item %d: %+v is not %+v", i, sel[i], e)
				}
			}
			ex, err := c.ListJobItems(ctx, job.ID, JobExcluded)
			if err != nil || len(ex) != 1 || !ex[0].Flags.OneDrive || ex[0].Flags.Mailbox {
				t.Fatalf("excluded: %+v, %v", ex, err)
			}
			// Add, change, remove.
			megan := k.user("MeganB@contoso.onmicrosoft.com", mailOnly)
			if err := c.AddJobItems(ctx, job.ID, JobSelected, []JobItemEntry{megan}); err != nil {
				t.Fatal(err)
			}
			ceo := selected[1]
			ceo.Flags.OneDrive = false
			if err := c.UpdateJobItem(ctx, job.ID, JobSelected, sel[1], ceo.Flags, ceo.Folders); err != nil {
				t.Fatal(err)
			}
			if err := c.RemoveJobItems(ctx, job.ID, JobSelected, []string{sel[2].ID, sel[4].ID}); err != nil {
				t.Fatal(err)
			}
			if err := c.RemoveJobItems(ctx, job.ID, JobExcluded, []string{ex[0].ID}); err != nil {
				t.Fatal(err)
			}
			sel, _ = c.ListJobItems(ctx, job.ID, JobSelected)
			want := "Group:HR@contoso.onmicrosoft.com,User:ceo@contoso.onmicrosoft.com,Team:Sales@contoso.onmicrosoft.com,User:MeganB@contoso.onmicrosoft.com"
			if itemKeys(sel) != want || sel[1].Flags.OneDrive || !sel[1].Flags.ArchiveMailbox {
				t.Fatalf("after changes: %s (%+v)", itemKeys(sel), sel[1].Flags)
			}
			// The scalars and the schedule.
			every := "Hours4"
			if v.SupportsHours12() {
				every = "Hours12"
			}
			if err := c.UpdateBackupJob(ctx, k.org, job.ID, JobUpdate{Name: "Staff (all)", Description: "", BackupType: JobSelectedItems, RepositoryID: vb365test.DefaultRepositoryID,
				Schedule: &JobSchedule{Type: SchedulePeriodically, PeriodicallyEvery: every}}); err != nil {
				t.Fatal(err)
			}
			got, err = c.GetBackupJob(ctx, job.ID)
			if err != nil || got.Name != "Staff (all)" || got.Description != "" || got.Schedule.Type != SchedulePeriodically || got.Schedule.PeriodicallyEvery != every ||
				got.Schedule.WindowEnabled || got.Schedule.DailyTime != "21:30" {
				t.Fatalf("after update: %+v, %v", got, err)
			}
			if err := c.SetBackupJobEnabled(ctx, k.org, job.ID, false); err != nil {
				t.Fatal(err)
			}
			if got, _ := c.GetBackupJob(ctx, job.ID); got.Enabled {
				t.Fatal("still enabled")
			}
			if _, err := c.StartBackupJob(ctx, job.ID, false); !errors.Is(err, ErrBadRequest) {
				t.Fatalf("start of a disabled job: %v", err)
			}
			if err := c.SetBackupJobEnabled(ctx, k.org, job.ID, true); err != nil {
				t.Fatal(err)
			}
			session, err := c.StartBackupJob(ctx, job.ID, true)
			if err != nil || (v == V8) != (session.ID != "") {
				t.Fatalf("start: %+v, %v", session, err)
			}
			if starts := k.fake.JobStarts(); len(starts) != 1 || !starts[0].Full {
				t.Fatalf("starts: %+v", starts)
			}
			if err := c.StopBackupJob(ctx, job.ID); err != nil {
				t.Fatal(err)
			}
			if err := c.DeleteBackupJob(ctx, k.org, job.ID); err != nil {
				t.Fatal(err)
			}
			var nf *NotFoundError
			if _, err := c.GetBackupJob(ctx, job.ID); !errors.As(err, &nf) || nf.Kind != KindJob {
				t.Fatalf("deleted job: %v", err)
			}
			if _, err := c.ListJobItems(ctx, job.ID, JobSelected); !errors.As(err, &nf) || nf.Kind != KindJob {
				t.Fatalf("items of a deleted job: %v", err)
			}
			if vs := k.val.Violations(); len(vs) > 0 {
				t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
			}
			p := "/" + string(v)
			routes := []string{"GET " + p + "/Jobs/{jobId}", "PUT " + p + "/Jobs/{jobId}", "DELETE " + p + "/Jobs/{jobId}",
				"POST " + p + "/Jobs/{jobId}/enable", "POST " + p + "/Jobs/{jobId}/disable", "POST " + p + "/Jobs/{jobId}/start", "POST " + p + "/Jobs/{jobId}/stop"}
			for _, l := range []string{"SelectedItems", "ExcludedItems"} {
				routes = append(routes, "GET "+p+"/Jobs/{jobId}/"+l, "DELETE "+p+"/Jobs/{jobId}/"+l)
			}
			routes = append(routes, "POST "+p+"/Jobs/{jobId}/SelectedItems", "PUT "+p+"/Jobs/{jobId}/SelectedItems/{itemId}")
			if v == V8 {
				routes = append(routes, "GET "+p+"/Jobs", "POST "+p+"/Jobs")
			} else {
				routes = append(routes, "GET "+p+"/Organizations/{organizationId}/Jobs", "POST "+p+"/Organizations/{organizationId}/Jobs")
			}
			seen := k.val.Routes()
			for _, r := range routes {
				if seen[r] == 0 {
					t.Errorf("route %s not exercised; seen %v", r, seen)
				}
			}
		})
	}
}

// TestBackupJobQuirks reads jobs and items under each quirk the documents
// leave open, on every version: the client's reading does not change.
func TestBackupJobQuirks(t *testing.T) {
	for _, tc := range []struct {
		name string
		q    vb365test.Quirks
	}{
		{"defaults", vb365test.Quirks{}},
		{"daily time short", vb365test.Quirks{JobDailyTimeFormat: "short"}},
		{"daily time as a date-time", vb365test.Quirks{JobDailyTimeFormat: "datetime"}},
		{"GET fills items", vb365test.Quirks{JobReadFillsItems: true}},
		{"composite principal IDs", vb365test.Quirks{JobItemCompositePrincipalIDs: true}},
		{"PUT replaces items", vb365test.Quirks{JobPutItemsReplace: true}},
		{"nulls", vb365test.Quirks{NullsInNonNullable: true}},
	} {
		for _, v := range []APIVersion{V8, V7, V6} {
			t.Run(tc.name+"/"+string(v), func(t *testing.T) {
				k := newJobKit(t, v, tc.q, true)
				ctx := context.Background()
				ceo := k.user("ceo@contoso.onmicrosoft.com", mailOnly)
				hr := k.group("HR@contoso.onmicrosoft.com", JobItemFlags{Members: true, MemberMailbox: true})
				job := k.create(JobCreate{Name: "Staff", BackupType: JobSelectedItems, Enabled: true,
					Schedule: &JobSchedule{Type: ScheduleDaily, DailyTime: "06:05"}, Selected: []JobItemEntry{ceo, hr}})
				if job.Schedule.DailyTime != "06:05" {
					t.Fatalf("daily time %q", job.Schedule.DailyTime)
				}
				// A PUT without items leaves them, whatever the server does
				// with items in a PUT.
				if err := k.c.UpdateBackupJob(ctx, k.org, job.ID, JobUpdate{Name: "Staff", BackupType: JobSelectedItems, RepositoryID: vb365test.DefaultRepositoryID,
					Schedule: &JobSchedule{Type: ScheduleDaily, DailyTime: "23:59"}}); err != nil {
					t.Fatal(err)
				}
				found, err := k.c.FindBackupJob(ctx, k.org, job.ID)
				if err != nil || found.Schedule.DailyTime != "23:59" {
					t.Fatalf("found %+v, %v", found, err)
				}
				sel, err := k.c.ListJobItems(ctx, job.ID, JobSelected)
				if err != nil || len(sel) != 2 || !sel[0].Same(ceo) || !sel[1].Same(hr) {
					t.Fatalf("selected: %+v, %v", sel, err)
				}
				if sel[0].PrincipalID != ceo.PrincipalID() {
					t.Errorf("principal %q, want the /Users ID %q", sel[0].PrincipalID, ceo.PrincipalID())
				}
				if vs := k.val.Violations(); len(vs) > 0 {
					t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
				}
			})
		}
	}
}

// TestFindJobConfirmsAbsenceByID: a job the organization's list leaves out
// is asked for by ID; only a 404 there makes it missing.
func TestFindJobConfirmsAbsenceByID(t *testing.T) {
	for _, v := range []APIVersion{V8, V6} {
		t.Run(string(v), func(t *testing.T) {
			k := newJobKit(t, v, vb365test.Quirks{}, false)
			job := k.create(JobCreate{Name: "All", BackupType: JobEntireOrganization, Enabled: true})
			route := "GET /Jobs"
			if v == V6 {
				route = "GET /Organizations/{organizationId}/Jobs"
			}
			k.fake.InjectFault(vb365test.Fault{Route: route, OmitJob: job.ID})
			c := newTestClient(t, k.fake.URL, withVersion(v), patient)
			got, err := c.FindBackupJob(context.Background(), k.org, job.ID)
			if err != nil || got.ID != job.ID || !strings.EqualFold(got.OrganizationID, k.org) {
				t.Fatalf("%+v, %v", got, err)
			}
			k.fake.DeleteJob(job.ID)
			c = newTestClient(t, k.fake.URL, withVersion(v), patient)
			var nf *NotFoundError
			if _, err := c.FindBackupJob(context.Background(), k.org, job.ID); !errors.As(err, &nf) || nf.Kind != KindJob || !errors.Is(err, ErrNotFound) {
				t.Fatalf("deleted: %v", err)
			}
			if n := k.fake.Count("GET /Jobs/{jobId}"); n != 2 {
				t.Errorf("%d GETs by ID, want 2", n)
			}
		})
	}
}

// TestOrganizationJobsShared: N concurrent finds of one organization's jobs
// cost one list (v6/v7: below the organization; v8: /Jobs filtered).
func TestOrganizationJobsShared(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			k := newJobKit(t, v, vb365test.Quirks{}, false)
			var ids []string
			for i := range 20 {
				ids = append(ids, k.create(JobCreate{Name: fmt.Sprintf("job %02d", i), BackupType: JobEntireOrganization, Enabled: true}).ID)
			}
			c := newTestClient(t, k.fake.URL, withVersion(v), patient)
			k.fake.ResetRequests()
			var wg sync.WaitGroup
			errs := make([]error, len(ids))
			for i, id := range ids {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = c.FindBackupJob(context.Background(), k.org, id)
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			lists := k.fake.Count("GET /Jobs") + k.fake.Count("GET /Organizations/{organizationId}/Jobs")
			if lists != 1 || k.fake.Count("") != lists+1 { // and the token
				t.Fatalf("requests: %v", k.fake.CountByRoute())
			}
		})
	}
}

// Backup jobs are in every version the client speaks; a version the table
// lacks has none (the refusal at plan time reads it).
func TestSupportsBackupJobs(t *testing.T) {
	for _, v := range []APIVersion{V6, V7, V8} {
		if !v.SupportsBackupJobs() {
			t.Errorf("%s: no backup jobs", v)
		}
	}
	if APIVersion("v5").SupportsBackupJobs() {
		t.Error("v5 (not in the table here) has backup jobs")
	}
}

package vb365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// TestEntireOrganizationJobListsOrganization: a server that lists the
// organization as an item of an EntireOrganization job: the create of
// such a job is still recognised as the one sent after a lost answer.
func TestEntireOrganizationJobListsOrganization(t *testing.T) {
	k := newJobKit(t, V8, vb365test.Quirks{JobEntireOrganizationListsOrganization: true}, false)
	k.fake.InjectFault(vb365test.Fault{Route: "POST /Jobs", Times: 1, DropAfterServing: true})
	job := k.create(JobCreate{Name: "All", BackupType: JobEntireOrganization, Enabled: true,
		Excluded: []JobItemEntry{k.user("AdeleV@contoso.onmicrosoft.com", mailOnly)}})
	sel, err := k.c.ListJobItems(context.Background(), job.ID, JobSelected)
	if err != nil || len(sel) != 1 || sel[0].Type != ItemPartialOrganization || len(WithoutOrganizationItem(sel)) != 0 {
		t.Fatalf("selected: %+v, %v", sel, err)
	}
	if n := len(k.fake.Jobs()); n != 1 {
		t.Fatalf("%d jobs", n)
	}
}

// TestCreateJobSafeToRepeat: a create whose answer is lost (the server made
// the job) returns that job; one that failed before the server made it is
// sent again; neither leaves a second job.
func TestCreateJobSafeToRepeat(t *testing.T) {
	for _, v := range []APIVersion{V8, V6} {
		route := "POST /Jobs"
		if v == V6 {
			route = "POST /Organizations/{organizationId}/Jobs"
		}
		for name, f := range map[string]vb365test.Fault{"answer lost": {DropAfterServing: true, Times: 1}, "503": {Status: http.StatusServiceUnavailable, Times: 2}, "dropped": {Drop: true, Times: 2}} {
			t.Run(string(v)+"/"+name, func(t *testing.T) {
				k := newJobKit(t, v, vb365test.Quirks{}, false)
				f.Route = route
				k.fake.InjectFault(f)
				job := k.create(JobCreate{Name: "Staff", BackupType: JobSelectedItems, Enabled: true,
					Selected: []JobItemEntry{k.user("ceo@contoso.onmicrosoft.com", mailOnly)}})
				if jobs := k.fake.Jobs(); len(jobs) != 1 || jobs[0].ID != job.ID {
					t.Fatalf("jobs on the server: %+v", jobs)
				}
			})
		}
	}
}

// otherTeamsJob makes team B's "Staff" job with a client of its own.
func otherTeamsJob(t *testing.T, k *jobKit) vb365test.Job {
	t.Helper()
	c := newTestClient(t, k.fake.URL, patient, withVersion(k.c.APIVersion()))
	hr, err := c.FindGroupByName(context.Background(), k.org, "HR@contoso.onmicrosoft.com")
	if err != nil {
		t.Fatal(err)
	}
	j, err := c.CreateBackupJob(context.Background(), k.org, JobCreate{Name: "Staff", Description: "Team B", BackupType: JobSelectedItems,
		RepositoryID: vb365test.DefaultRepositoryID, Enabled: true, Selected: []JobItemEntry{{Type: ItemGroup, Object: Object{Group: hr}, Flags: mailOnly}}})
	if err != nil {
		t.Fatal(err)
	}
	return *k.fake.Job(j.ID)
}

// TestCreateJobRefusesTakenName: a create whose name another job of the
// organization has (ignoring case) is refused before anything is sent,
// naming that job and how to import it; the other job is not touched.
func TestCreateJobRefusesTakenName(t *testing.T) {
	for _, unique := range []bool{true, false} {
		t.Run(fmt.Sprintf("names-unique=%v", unique), func(t *testing.T) {
			k := newJobKit(t, V8, vb365test.Quirks{JobNamesNotUnique: !unique}, false)
			theirs := otherTeamsJob(t, k)
			k.fake.ResetRequests()
			_, err := k.c.CreateBackupJob(context.Background(), k.org, JobCreate{Name: "STAFF", BackupType: JobSelectedItems, RepositoryID: vb365test.DefaultRepositoryID,
				Selected: []JobItemEntry{k.user("ceo@contoso.onmicrosoft.com", mailOnly)}})
			var taken *JobNameTakenError
			if !errors.As(err, &taken) || taken.Job.ID != theirs.ID || !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), theirs.ID) {
				t.Fatalf("err = %v, want a JobNameTakenError naming %s", err, theirs.ID)
			}
			if n := k.fake.Count("POST /Jobs"); n != 0 {
				t.Errorf("%d POSTs, want none", n)
			}
			if jobs := k.fake.Jobs(); len(jobs) != 1 || jobs[0].Description != "Team B" || len(jobs[0].Selected) != 1 {
				t.Errorf("jobs on the server: %+v", jobs)
			}
		})
	}
}

// TestCreateJobAdoptsOnlyItsOwn: the list before the POST did not show team
// B's "Staff" (a short answer), the POST fails without a clear answer, and
// the list after it shows that job: it is not adopted. Where the server
// allows a second job of the name and the POST made it, the job that was
// sent is adopted, not team B's.
func TestCreateJobAdoptsOnlyItsOwn(t *testing.T) {
	for _, tc := range []struct {
		name         string
		fault        vb365test.Fault
		notUnique    bool
		wantAdoption bool
	}{
		{"503", vb365test.Fault{Status: http.StatusServiceUnavailable, Times: 1}, false, false},
		{"answer lost, names unique", vb365test.Fault{DropAfterServing: true, Times: 1}, false, false},
		{"503, names not unique", vb365test.Fault{Status: http.StatusServiceUnavailable, Times: 1}, true, false},
		{"answer lost, names not unique", vb365test.Fault{DropAfterServing: true, Times: 1}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newJobKit(t, V8, vb365test.Quirks{JobNamesNotUnique: tc.notUnique}, false)
			theirs := otherTeamsJob(t, k)
			k.fake.InjectFault(vb365test.Fault{Route: "GET /Jobs", Times: 1, OmitJob: "Staff"})
			f := tc.fault
			f.Route = "POST /Jobs"
			k.fake.InjectFault(f)
			jc := JobCreate{Name: "Staff", Description: "ours", BackupType: JobSelectedItems, RepositoryID: vb365test.DefaultRepositoryID, Enabled: true,
				Selected: []JobItemEntry{k.user("ceo@contoso.onmicrosoft.com", mailOnly)}}
			job, err := k.c.CreateBackupJob(context.Background(), k.org, jc)
			if after := k.fake.Job(theirs.ID); after == nil || after.Description != "Team B" || len(after.Selected) != 1 || after.Selected[0].Type != "Group" {
				t.Errorf("team B's job changed: %+v", after)
			}
			if !tc.wantAdoption {
				var taken *JobNameTakenError
				if !errors.As(err, &taken) || taken.Job.ID != theirs.ID || taken.Cause == nil {
					t.Fatalf("got %+v, %v; want a JobNameTakenError naming %s after the failed create", job, err, theirs.ID)
				}
				if n := len(k.fake.Jobs()); n != 1 {
					t.Errorf("%d jobs on the server, want team B's only", n)
				}
				return
			}
			if err != nil || job == nil || job.ID == theirs.ID || job.Description != "ours" {
				t.Fatalf("got %+v, %v; want the job that was sent, not team B's %s", job, err, theirs.ID)
			}
		})
	}
}

// TestJobWritesRefusedBeforeSending: what the version lacks is refused
// without a request.
func TestJobWritesRefusedBeforeSending(t *testing.T) {
	k := newJobKit(t, V7, vb365test.Quirks{}, false)
	_, err := k.c.CreateBackupJob(context.Background(), k.org, JobCreate{Name: "x", BackupType: JobEntireOrganization, RepositoryID: vb365test.DefaultRepositoryID,
		Schedule: &JobSchedule{Type: SchedulePeriodically, PeriodicallyEvery: "Hours12"}})
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Hours12 on v7: %v", err)
	}
	err = k.c.UpdateBackupJob(context.Background(), k.org, "j", JobUpdate{Schedule: &JobSchedule{WindowEnabled: true, Window: make([]bool, 24)}})
	if err == nil || !strings.Contains(err.Error(), "168") {
		t.Fatalf("a window of 24 hours: %v", err)
	}
	if n := k.fake.Count(""); n != 0 {
		t.Fatalf("%d requests", n)
	}
}

// TestUpdateJobKeepsUnmanagedSchedule: the periodic window, which the
// client does not manage, survives an update of the schedule on a server
// that replaces the policy with what it is sent.
func TestUpdateJobKeepsUnmanagedSchedule(t *testing.T) {
	k := newJobKit(t, V8, vb365test.Quirks{}, false)
	job := k.create(JobCreate{Name: "All", BackupType: JobEntireOrganization, Enabled: true})
	k.fake.UpdateJob(job.ID, func(j *vb365test.Job) {
		j.Schedule.PeriodicallyWindowEnabled = true
		j.Schedule.PeriodicallyWindow[0] = false
	})
	if err := k.c.UpdateBackupJob(context.Background(), k.org, job.ID, JobUpdate{Name: "All", BackupType: JobEntireOrganization, RepositoryID: vb365test.DefaultRepositoryID,
		Schedule: &JobSchedule{Type: ScheduleManualOnly}}); err != nil {
		t.Fatal(err)
	}
	s := k.fake.Job(job.ID).Schedule
	if !s.PeriodicallyWindowEnabled || s.PeriodicallyWindow[0] || !s.PeriodicallyWindow[1] || s.Type != ScheduleManualOnly || s.ScheduleEnabled {
		t.Fatalf("schedule on the server: %+v", s)
	}
}

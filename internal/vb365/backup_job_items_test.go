package vb365

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// TestBackupJobExcludedItemWrites runs the excluded list's POST and PUT
// through the validator on every version (the contract walk above covers
// the selected list's).
func TestBackupJobExcludedItemWrites(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			k := newJobKit(t, v, vb365test.Quirks{}, true)
			ctx := context.Background()
			job := k.create(JobCreate{Name: "All", BackupType: JobEntireOrganization, Enabled: true})
			adele := k.user("AdeleV@contoso.onmicrosoft.com", mailOnly)
			if err := k.c.AddJobItems(ctx, job.ID, JobExcluded, []JobItemEntry{adele, {Type: ItemPersonalSites}}); err != nil {
				t.Fatal(err)
			}
			ex, err := k.c.ListJobItems(ctx, job.ID, JobExcluded)
			if err != nil || len(ex) != 2 {
				t.Fatalf("%+v, %v", ex, err)
			}
			adele.Flags = JobItemFlags{Mailbox: true, ArchiveMailbox: true}
			if err := k.c.UpdateJobItem(ctx, job.ID, JobExcluded, ex[0], adele.Flags, adele.Folders); err != nil {
				t.Fatal(err)
			}
			if ex, _ = k.c.ListJobItems(ctx, job.ID, JobExcluded); !ex[0].Same(adele) {
				t.Fatalf("after the PUT: %+v", ex[0])
			}
			if vs := k.val.Violations(); len(vs) > 0 {
				t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
			}
			p := "/" + string(v)
			for _, r := range []string{"POST " + p + "/Jobs/{jobId}/ExcludedItems", "PUT " + p + "/Jobs/{jobId}/ExcludedItems/{itemId}"} {
				if k.val.Routes()[r] == 0 {
					t.Errorf("route %s not exercised", r)
				}
			}
		})
	}
}

// TestAddJobItemsSafeToRepeat: an add whose answer is lost, or that the
// server half refused with a 503 after adding, leaves every item once.
func TestAddJobItemsSafeToRepeat(t *testing.T) {
	for _, v := range []APIVersion{V8, V7} {
		for name, f := range map[string]vb365test.Fault{"answer lost": {DropAfterServing: true, Times: 1}, "502": {Status: http.StatusBadGateway, Times: 1}} {
			t.Run(string(v)+"/"+name, func(t *testing.T) {
				k := newJobKit(t, v, vb365test.Quirks{}, false)
				job := k.create(JobCreate{Name: "Staff", BackupType: JobSelectedItems, Enabled: true,
					Selected: []JobItemEntry{k.user("ceo@contoso.onmicrosoft.com", mailOnly)}})
				f.Route = "POST /Jobs/{jobId}/SelectedItems"
				k.fake.InjectFault(f)
				add := []JobItemEntry{k.user("AdeleV@contoso.onmicrosoft.com", mailOnly), k.user("MeganB@contoso.onmicrosoft.com", mailOnly)}
				if err := k.c.AddJobItems(context.Background(), job.ID, JobSelected, add); err != nil {
					t.Fatal(err)
				}
				if got := k.fake.Job(job.ID).Selected; len(got) != 3 {
					t.Fatalf("%d items, want 3", len(got))
				}
			})
		}
	}
}

package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// The list resource through the protocol on each version: the jobs of the
// organization (and all jobs) with their identities in one job list, and
// with include_resource the job with its items (two item lists a job).
func TestListResource_backupJob(t *testing.T) {
	for _, version := range []vb365.APIVersion{vb365.V8, vb365.V7, vb365.V6} {
		t.Run(string(version), func(t *testing.T) {
			clearProviderEnv(t)
			fake := startJobFake(t, vb365test.Quirks{})
			staff, legal := createJob(t, fake, version, "Staff"), createJob(t, fake, version, "Legal")
			p := newProtoProvider(t)
			p.configure(fake, string(version))

			for _, cfg := range []map[string]tftypes.Value{{"organization_id": str(vb365test.DemoOrganizationID)}, nil} {
				fake.ResetRequests()
				got := p.listResource("vb365_backup_job", cfg, false, 100)
				var names, ids []string
				for _, g := range got {
					names = append(names, g.name)
					ids = append(ids, strOf(t, g.identity["id"]))
				}
				if !slices.Equal(names, []string{"Staff", "Legal"}) || !slices.Equal(ids, []string{staff.ID, legal.ID}) {
					t.Errorf("config %v: names %v, ids %v", cfg, names, ids)
				}
				for route, n := range fake.CountByRoute() {
					if strings.Contains(route, "Items") || route == "GET /Jobs/{jobId}" {
						t.Errorf("config %v: %d × %s without include_resource", cfg, n, route)
					}
				}
			}

			fake.ResetRequests()
			got := p.listResource("vb365_backup_job", map[string]tftypes.Value{"organization_id": str(vb365test.DemoOrganizationID)}, true, 1)
			if len(got) != 1 {
				t.Fatalf("limit 1: %d results", len(got))
			}
			r := got[0].resource
			var sel []tftypes.Value
			if err := r["selected_items"].As(&sel); err != nil {
				t.Fatal(err)
			}
			if strOf(t, r["name"]) != "Staff" || strOf(t, r["backup_type"]) != vb365.JobSelectedItems || len(sel) != 1 {
				t.Errorf("resource object %v", r)
			}
			if n := fake.Count("GET /Jobs/{jobId}/SelectedItems") + fake.Count("GET /Jobs/{jobId}/ExcludedItems"); n != 2 {
				t.Errorf("%d item lists for one job with include_resource, want 2 (%v)", n, fake.CountByRoute())
			}
		})
	}
}

// Resource identity (Terraform 1.12): import by identity, in another
// spelling of the ID, reads the job and keeps the identity as given.
func TestResourceIdentity_backupJob(t *testing.T) {
	clearProviderEnv(t)
	fake := startJobFake(t, vb365test.Quirks{})
	job := createJob(t, fake, vb365.V8, "Staff")
	p := newProtoProvider(t)
	p.configure(fake, "v8")
	state, identity := p.importByIdentity("vb365_backup_job", map[string]tftypes.Value{"id": str(strings.ToUpper(job.ID))})
	if strOf(t, state["name"]) != "Staff" || !strings.EqualFold(strOf(t, state["organization_id"]), vb365test.DemoOrganizationID) {
		t.Errorf("imported state %v", state)
	}
	if strOf(t, identity["id"]) != strings.ToUpper(job.ID) {
		t.Errorf("the read changed the stored identity: %v", identity)
	}
}

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// vb365_backup_jobs on each version: all jobs, those of the organization,
// those of a repository (one of two).
func TestAccBackupJobsDataSource(t *testing.T) {
	for _, version := range []vb365.APIVersion{vb365.V8, vb365.V7, vb365.V6} {
		t.Run(string(version), func(t *testing.T) {
			fake := startJobFake(t, vb365test.Quirks{})
			other := fake.AddRepository(vb365test.Repository{Name: "Archive"})
			staff := createJob(t, fake, version, "Staff")
			legal := createJob(t, fake, version, "Legal")
			fake.UpdateJob(legal.ID, func(j *vb365test.Job) { j.RepositoryID = other.ID })
			config := providerBlock(fake, `api_version = "`+string(version)+`"`) + fmt.Sprintf(`
data "vb365_backup_jobs" "all" {}
data "vb365_backup_jobs" "this_organization" {
  organization_id = %q
}
data "vb365_backup_jobs" "default_repository" {
  repository_id = %q
}
`, vb365test.DemoOrganizationID, vb365test.DefaultRepositoryID)
			staffCheck := knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"id": knownvalue.StringExact(staff.ID), "name": knownvalue.StringExact("Staff"), "backup_type": knownvalue.StringExact("SelectedItems"),
				"enabled": knownvalue.Bool(true), "repository_id": knownvalue.StringExact(vb365test.DefaultRepositoryID),
			})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: config + readExample(t, "data-sources/vb365_backup_jobs/data-source.tf"),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.vb365_backup_jobs.all", tfjsonpath.New("jobs"), knownvalue.ListSizeExact(2)),
						statecheck.ExpectKnownValue("data.vb365_backup_jobs.this_organization", tfjsonpath.New("jobs"), knownvalue.ListSizeExact(2)),
						statecheck.ExpectKnownValue("data.vb365_backup_jobs.default_repository", tfjsonpath.New("jobs"), knownvalue.ListExact([]knownvalue.Check{staffCheck})),
						// The registry example's.
						statecheck.ExpectKnownValue("data.vb365_backup_jobs.contoso", tfjsonpath.New("jobs"), knownvalue.ListSizeExact(2)),
					},
				}},
			})
		})
	}
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ list.ListResource              = (*backupJobListResource)(nil)
	_ list.ListResourceWithConfigure = (*backupJobListResource)(nil)
)

// NewBackupJobListResource lists backup jobs as vb365_backup_job instances
// (Terraform 1.14 `terraform query`).
func NewBackupJobListResource() list.ListResource { return &backupJobListResource{} }

type backupJobListResource struct{ resourceClient }

func (r *backupJobListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_job"
}

func (r *backupJobListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = organizationListSchema("Lists backup jobs, one `vb365_backup_job` each: those of one organization, or all of them.",
		false, "VB365 ID of the organization whose jobs to list; all jobs when unset.")
}

func (r *backupJobListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	orgID, ok := listOrganization(ctx, req, stream)
	if !ok {
		return
	}
	jobs, err := r.client.ListBackupJobs(ctx, vb365.JobFilter{OrganizationID: orgID})
	if err != nil {
		listFailed(stream, "backup jobs", orgID, err)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range jobs {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			job := &jobs[i]
			result := req.NewListResult(ctx)
			result.DisplayName = job.Name
			result.Diagnostics.Append(result.Identity.Set(ctx, backupJobIdentity{ID: types.StringValue(job.ID)})...)
			if req.IncludeResource {
				// The items cost two requests a job: only when asked.
				rr := backupJobResource{resourceClient: r.resourceClient}
				prior := backupJobModel{SelectedItems: types.SetNull(itemObjectType), ExcludedItems: types.SetNull(itemObjectType)}
				m, err := rr.readItems(ctx, job, prior)
				if err != nil {
					addAPIError(&result.Diagnostics, "read", "backup job "+job.Name, err)
				} else {
					result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
				}
			}
			if !push(result) {
				return
			}
		}
	}
}

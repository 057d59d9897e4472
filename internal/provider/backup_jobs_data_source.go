package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var _ datasource.DataSourceWithConfigure = (*backupJobsDataSource)(nil)

// NewBackupJobsDataSource lists backup jobs.
func NewBackupJobsDataSource() datasource.DataSource { return &backupJobsDataSource{} }

type backupJobsDataSource struct{ dataSourceClient }

type backupJobsModel struct {
	OrganizationID types.String         `tfsdk:"organization_id"`
	RepositoryID   types.String         `tfsdk:"repository_id"`
	Jobs           []backupJobListModel `tfsdk:"jobs"`
}

type backupJobListModel struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	RepositoryID   types.String `tfsdk:"repository_id"`
	Name           types.String `tfsdk:"name"`
	Description    types.String `tfsdk:"description"`
	BackupType     types.String `tfsdk:"backup_type"`
	Enabled        types.Bool   `tfsdk:"enabled"`
	ScheduleType   types.String `tfsdk:"schedule_type"`
	LastStatus     types.String `tfsdk:"last_status"`
	LastRun        types.String `tfsdk:"last_run"`
	NextRun        types.String `tfsdk:"next_run"`
}

func (d *backupJobsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_jobs"
}

func (d *backupJobsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := computed(map[string]schema.Attribute{
		"enabled": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the job runs on its schedule."},
	}, map[string]string{
		"id": "VB365 ID of the job (the import ID of `vb365_backup_job`).", "organization_id": "VB365 ID of its organization.",
		"repository_id": "VB365 ID of the repository it writes to.", "name": "Name of the job.", "description": "Its description.",
		"backup_type": "`EntireOrganization` or `SelectedItems`.", "schedule_type": "`Daily`, `Periodically` or `ManualOnly`.",
		"last_status": "How the last run ended (`Success`, `Warning`, `Failed`, ...), or `Running`, as the server says.",
		"last_run":    "When the job last ran, as the server wrote it; null before its first run.",
		"next_run":    "When the job runs next, as the server wrote it; null when it is not scheduled.",
	})
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists backup jobs: of one organization or every organization, of one repository or all. The jobs' items " +
			"are not listed (two more requests per job); import a job into `vb365_backup_job` to see and manage them.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{Optional: true, Validators: []validator.String{idValidator{}},
				MarkdownDescription: "Only the jobs of this organization. Default: the jobs of every organization."},
			"repository_id": schema.StringAttribute{Optional: true, Validators: []validator.String{idValidator{}},
				MarkdownDescription: "Only the jobs that write to this repository (e.g. from `vb365_backup_repository`). Default: every repository."},
			"jobs": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The jobs, in the server's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: attrs}},
		},
	}
}

func (d *backupJobsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg backupJobsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	jobs, err := d.client.ListBackupJobs(ctx, vb365.JobFilter{OrganizationID: orgID, RepositoryID: cfg.RepositoryID.ValueString()})
	if err != nil {
		addListError(&resp.Diagnostics, "backup jobs", orgID, err)
		return
	}
	cfg.Jobs = make([]backupJobListModel, 0, len(jobs))
	for _, j := range jobs {
		cfg.Jobs = append(cfg.Jobs, backupJobListModel{ID: types.StringValue(j.ID), OrganizationID: types.StringValue(j.OrganizationID),
			RepositoryID: types.StringValue(j.RepositoryID), Name: types.StringValue(j.Name), Description: types.StringValue(j.Description),
			BackupType: types.StringValue(j.BackupType), Enabled: types.BoolValue(j.Enabled), ScheduleType: optional(j.Schedule.Type),
			LastStatus: optional(j.LastStatus), LastRun: optional(j.LastRun), NextRun: optional(j.NextRun)})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

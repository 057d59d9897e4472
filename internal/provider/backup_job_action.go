package provider

// The actions of a backup job: vb365_backup_job_start and
// vb365_backup_job_stop.

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ action.Action              = (*backupJobAction)(nil)
	_ action.ActionWithConfigure = (*backupJobAction)(nil)
)

// NewBackupJobStartAction starts a backup job.
func NewBackupJobStartAction() action.Action { return &backupJobAction{start: true} }

// NewBackupJobStopAction stops a running backup job.
func NewBackupJobStopAction() action.Action { return &backupJobAction{} }

type backupJobAction struct {
	versionGate
	start  bool
	client *vb365.Client
}

func (a *backupJobAction) verb() string {
	if a.start {
		return "start"
	}
	return "stop"
}

func (a *backupJobAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_job_" + a.verb()
}

func (a *backupJobAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"job_id": schema.StringAttribute{
			MarkdownDescription: "VB365 ID of the job (e.g. `vb365_backup_job.<name>.id`).",
			Required:            true,
			Validators:          []validator.String{idValidator{}},
		},
	}
	desc := "Stops a running backup job (`POST /vN/Jobs/{id}/stop`); a job that is not running is left as it is."
	if a.start {
		desc = "Starts a backup job now (`POST /vN/Jobs/{id}/start`), outside its schedule: an incremental run, or a full one with " +
			"`full = true`. The job must be enabled. REST API v8 answers with the job session, whose ID the progress message names. " +
			"It is not retried after a failure without an answer, so that a job is never started twice."
		attrs["full"] = schema.BoolAttribute{MarkdownDescription: "Run a full backup instead of an incremental one. Default `false`.", Optional: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: desc + "\n\n**Requires Terraform 1.14 or later** (actions). Run it on demand with " +
			"`terraform apply -invoke=action.vb365_backup_job_" + a.verb() + ".<name>`, or from an `action_trigger` in a resource's " +
			"`lifecycle` block. It changes nothing in the state.",
		Attributes: attrs,
	}
}

func (a *backupJobAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = clientFrom(req.ProviderData, &resp.Diagnostics)
	a.refuse(a.client, &resp.Diagnostics)
}

func (a *backupJobAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	summary := "Unable to " + a.verb() + " " + jobNoun
	if a.client == nil {
		resp.Diagnostics.AddError(summary, "The provider is not configured. This is a bug in the provider or in Terraform; please report it.")
		return
	}
	var jobID types.String
	var full types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("job_id"), &jobID)...)
	if a.start {
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("full"), &full)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	id := jobID.ValueString()
	progress := func(msg string) {
		if resp.SendProgress != nil {
			resp.SendProgress(action.InvokeProgressEvent{Message: msg})
		}
	}
	if !a.start {
		progress(fmt.Sprintf("Stopping backup job %s", id))
		if err := a.client.StopBackupJob(ctx, id); err != nil {
			addJobActionError(&resp.Diagnostics, summary, id, err)
			return
		}
		progress(fmt.Sprintf("Backup job %s stopped", id))
		return
	}
	kind := "an incremental"
	if full.ValueBool() {
		kind = "a full"
	}
	progress(fmt.Sprintf("Starting %s run of backup job %s", kind, id))
	session, err := a.client.StartBackupJob(ctx, id, full.ValueBool())
	if err != nil {
		addJobActionError(&resp.Diagnostics, summary, id, err)
		return
	}
	if session.ID != "" {
		progress(fmt.Sprintf("Backup job %s started: session %s, %s", id, session.ID, session.Status))
		return
	}
	progress(fmt.Sprintf("Backup job %s started", id))
}

// addJobActionError explains a failed start or stop: a job that is not
// there, one the server refuses to start (disabled, running), or an API
// failure.
func addJobActionError(diags *diag.Diagnostics, summary, id string, err error) {
	switch {
	case errors.Is(err, vb365.ErrNotFound):
		diags.AddAttributeError(path.Root("job_id"), summary,
			fmt.Sprintf("VB365 has no backup job with ID %q. The vb365_backup_jobs data source lists the jobs there are.", id))
	case errors.Is(err, vb365.ErrBadRequest):
		diags.AddAttributeError(path.Root("job_id"), summary,
			explain(err)+"\n\nThe server refused: a job must be enabled to start (enabled = true in vb365_backup_job), and is not started while it runs.")
	case vb365.MayHaveWritten(err):
		diags.AddError(summary, explain(err)+"\n\nThe request may have reached the server: look at the job's last status (vb365_backup_jobs) "+
			"before you run the action again.")
	default:
		diags.AddError(summary, explain(err))
	}
}

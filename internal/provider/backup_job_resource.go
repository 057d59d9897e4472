package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ resource.ResourceWithConfigure      = (*backupJobResource)(nil)
	_ resource.ResourceWithImportState    = (*backupJobResource)(nil)
	_ resource.ResourceWithValidateConfig = (*backupJobResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*backupJobResource)(nil)
	_ resource.ResourceWithIdentity       = (*backupJobResource)(nil)
)

// NewBackupJobResource manages one backup job.
func NewBackupJobResource() resource.Resource { return &backupJobResource{} }

type backupJobResource struct{ resourceClient }

func (r *backupJobResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_job"
}

func (r *backupJobResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = backupJobSchema()
}

func (r *backupJobResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{RequiredForImport: true, Description: "VB365 ID of the backup job."},
		},
	}
}

const jobNoun = "backup job"

// entries fetches the users, groups, sites and teams the items name (one
// request for many users or groups, otherwise one each, a few at a time),
// and returns the items to send; a principal that is not there is an error
// on the list's attribute.
func (r *backupJobResource) entries(ctx context.Context, orgID, list string, specs []itemSpec, action string, diags *diag.Diagnostics) []vb365.JobItemEntry {
	var refs []vb365.ObjectRef
	var which []int
	for i, s := range specs {
		if kind, ok := itemKinds[s.Type]; ok {
			refs = append(refs, vb365.ObjectRef{Kind: kind, ID: s.PrincipalID})
			which = append(which, i)
		}
	}
	objects := make([]vb365.Object, len(specs))
	summary := "Unable to " + action + " " + jobNoun
	for i, res := range r.client.GetObjects(ctx, orgID, refs, 0) {
		s := specs[which[i]]
		switch err := res.Err; {
		case err == nil:
			objects[which[i]] = res.Object
		case vb365.IsOrganizationNotFound(err):
			addOrganizationNotFound(diags, summary, "", orgID)
			return nil
		case errors.Is(err, vb365.ErrNotFound):
			diags.AddAttributeError(path.Root(list), summary,
				fmt.Sprintf("%s: organization %s has no %s with ID %q (%s). The vb365_%ss data source lists them.",
					list, orgID, strings.ToLower(s.Type), s.PrincipalID, itemIDAttr[s.Type], strings.ToLower(s.Type)))
		default:
			addAPIError(diags, action, jobNoun, err)
			return nil
		}
	}
	if diags.HasError() {
		return nil
	}
	out := make([]vb365.JobItemEntry, len(specs))
	for i, s := range specs {
		out[i] = s.entry(objects[i])
	}
	return out
}

func (r *backupJobResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan backupJobModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := plan.OrganizationID.ValueString()
	selected, _ := specsOf(plan.SelectedItems)
	excluded, _ := specsOf(plan.ExcludedItems)
	sel := r.entries(ctx, orgID, "selected_items", selected, "create", &resp.Diagnostics)
	exc := r.entries(ctx, orgID, "excluded_items", excluded, "create", &resp.Diagnostics)
	schedule := scheduleOf(ctx, plan.Schedule, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	job, err := r.client.CreateBackupJob(ctx, orgID, vb365.JobCreate{
		Name: plan.Name.ValueString(), Description: plan.Description.ValueString(), BackupType: plan.BackupType.ValueString(),
		RepositoryID: plan.RepositoryID.ValueString(), Enabled: plan.Enabled.ValueBool(), Schedule: schedule, Selected: sel, Excluded: exc,
	})
	if err != nil {
		var taken *vb365.JobNameTakenError
		switch {
		case errors.As(err, &taken):
			addJobNameTaken(&resp.Diagnostics, taken)
		case vb365.IsOrganizationNotFound(err):
			addOrganizationNotFound(&resp.Diagnostics, "Unable to create "+jobNoun, "", orgID)
		default:
			addAPIError(&resp.Diagnostics, "create", jobNoun, err)
		}
		return
	}
	// Track the job from here on: a failure below leaves it in state
	// (tainted), never orphaned on the server.
	plan.ID = types.StringValue(job.ID)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), job.ID)...)
	setIdentity(ctx, resp.Identity, backupJobIdentity{ID: plan.ID}, backupJobIdentity.equalFold, &resp.Diagnostics)
	r.reconcileAndReadBack(ctx, plan, job, "create", &resp.State, &resp.Diagnostics)
}

// addJobNameTaken refuses a create whose name another job of the
// organization has, naming it and how to adopt it.
func addJobNameTaken(diags *diag.Diagnostics, taken *vb365.JobNameTakenError) {
	lead := fmt.Sprintf("Organization %s already has a backup job named %q (ID %s).", taken.OrganizationID, taken.Job.Name, taken.Job.ID)
	if taken.Cause != nil {
		lead = fmt.Sprintf("The create failed (%s), and organization %s now has a backup job named %q (ID %s) that is not the one "+
			"this apply sent: its description, type, repository or items differ, so someone else made it meanwhile.", explain(taken.Cause), taken.OrganizationID, taken.Job.Name, taken.Job.ID)
	}
	diags.AddAttributeError(path.Root("name"), "Unable to create "+jobNoun, lead+" The provider never takes over a job it did not create: "+
		"it may be another team's, and this apply would rewrite whose data it backs up.\n\n"+
		"To manage that job with this configuration, import it by its ID:\n\n"+
		"  terraform import vb365_backup_job.<name> "+taken.Job.ID+"\n\n"+
		"or, with Terraform 1.5 or later, with an import block:\n\n"+
		"  import {\n    to = vb365_backup_job.<name>\n    id = \""+taken.Job.ID+"\"\n  }\n\n"+
		"The apply after the import makes the job what the configuration says. Otherwise give this job another name.")
}

// reconcileAndReadBack makes the job what plan says, then reads it back
// into state and checks it against the plan.
//
// The order never leaves a SelectedItems job without a selected item, and
// never asks the server for an item in both lists:
//  1. excluded items that become selected leave excluded_items;
//  2. selected items are added (to an EntireOrganization job that becomes a
//     SelectedItems job too: it has them before it turns), and their flags
//     and folders changed;
//  3. the job's settings (PUT), when they differ;
//  4. selected items that the configuration does not declare go, decided on
//     a list taken after the adds: for a SelectedItems job only once every
//     declared item is listed; an EntireOrganization job keeps none (but an
//     organization item the server lists by itself);
//  5. excluded items are added, changed, and the undeclared removed;
//  6. the job is enabled or disabled.
//
// A create sent the items and settings with the job: it does step 6 only.
func (r *backupJobResource) reconcileAndReadBack(ctx context.Context, plan backupJobModel, current *vb365.BackupJob, action string, state stateSetter, diags *diag.Diagnostics) {
	orgID, jobID := plan.OrganizationID.ValueString(), plan.ID.ValueString()
	if action != "create" && !r.reconcileItems(ctx, plan, current, action, diags) {
		return
	}
	// 6.
	if want := plan.Enabled.ValueBool(); current.Enabled != want {
		if err := r.client.SetBackupJobEnabled(ctx, orgID, jobID, want); err != nil {
			addAPIError(diags, action, jobNoun, err)
			return
		}
	}
	got, err := r.read(ctx, jobID, plan)
	if err != nil {
		addAPIError(diags, "read back", jobNoun, err)
		return
	}
	if diff := jobDiff(ctx, plan, got, diags); diff != "" {
		diags.AddError("Unable to "+action+" "+jobNoun,
			"After the changes, the job reads back differently from the configuration: "+diff+
				". Something else may be changing it at the same time; apply again once it is done.")
		return
	}
	diags.Append(state.Set(ctx, got)...)
}

// reconcileItems runs steps 1 to 5 of reconcileAndReadBack (a create sent
// the items and settings with the job, and skips them).
func (r *backupJobResource) reconcileItems(ctx context.Context, plan backupJobModel, current *vb365.BackupJob, action string, diags *diag.Diagnostics) bool {
	orgID, jobID := plan.OrganizationID.ValueString(), plan.ID.ValueString()
	selected, _ := specsOf(plan.SelectedItems)
	excluded, _ := specsOf(plan.ExcludedItems)
	specific := plan.BackupType.ValueString() == vb365.JobSelectedItems
	fail := func(err error) bool {
		addAPIError(diags, action, jobNoun, err)
		return false
	}
	add := func(l vb365.JobItemList, attr string, p itemPlan) bool {
		if len(p.add) > 0 {
			entries := r.entries(ctx, orgID, attr, p.add, action, diags)
			if diags.HasError() {
				return false
			}
			if err := r.client.AddJobItems(ctx, jobID, l, entries); err != nil {
				return fail(err)
			}
		}
		for _, c := range p.change {
			if err := r.client.UpdateJobItem(ctx, jobID, l, c.item, c.spec.Flags, c.spec.Folders); err != nil {
				return fail(err)
			}
		}
		return true
	}
	remove := func(l vb365.JobItemList, ids []string) bool {
		if len(ids) == 0 {
			return true
		}
		if err := r.client.RemoveJobItems(ctx, jobID, l, ids); err != nil {
			return fail(err)
		}
		return true
	}
	haveExc, err := r.client.ListJobItems(ctx, jobID, vb365.JobExcluded)
	if err != nil {
		return fail(err)
	}
	// 1.
	var moving []string
	var staying []vb365.JobItem
	for _, it := range haveExc {
		if hasSpec(selected, it) {
			moving = append(moving, it.ID)
		} else {
			staying = append(staying, it)
		}
	}
	if !remove(vb365.JobExcluded, moving) {
		return false
	}
	// 2.
	haveSel, err := r.client.ListJobItems(ctx, jobID, vb365.JobSelected)
	if err != nil {
		return fail(err)
	}
	selPlan := planItems(selected, haveSel)
	if specific && !add(vb365.JobSelected, "selected_items", itemPlan{add: selPlan.add, change: selPlan.change}) {
		return false
	}
	// 3.
	if r.putSettings(ctx, plan, current, action, diags); diags.HasError() {
		return false
	}
	// 4.
	if specific && len(selPlan.add) > 0 {
		if haveSel, err = r.client.ListJobItems(ctx, jobID, vb365.JobSelected); err != nil {
			return fail(err)
		}
	}
	if !specific {
		haveSel = vb365.WithoutOrganizationItem(haveSel)
	}
	for _, s := range selected {
		if !hasItem(haveSel, s) {
			diags.AddAttributeError(path.Root("selected_items"), "Unable to "+action+" "+jobNoun,
				fmt.Sprintf("After the adds, the job's selected items do not list %s, so none is removed: the job must never be left without "+
					"the items it is declared to back up. Something else may be changing the job; apply again once it is done.", s.key()))
			return false
		}
	}
	if !remove(vb365.JobSelected, planItems(selected, haveSel).remove) {
		return false
	}
	// 5.
	excPlan := planItems(excluded, staying)
	return add(vb365.JobExcluded, "excluded_items", excPlan) && remove(vb365.JobExcluded, excPlan.remove)
}

func hasSpec(specs []itemSpec, it vb365.JobItem) bool {
	for _, s := range specs {
		if s.isItem(it) {
			return true
		}
	}
	return false
}

func hasItem(items []vb365.JobItem, s itemSpec) bool {
	for _, it := range items {
		if s.isItem(it) {
			return true
		}
	}
	return false
}

// putSettings sends the job's name, description, type, repository and
// schedule when any differs from the server's.
func (r *backupJobResource) putSettings(ctx context.Context, plan backupJobModel, current *vb365.BackupJob, action string, diags *diag.Diagnostics) {
	schedule := scheduleOf(ctx, plan.Schedule, diags)
	if diags.HasError() {
		return
	}
	if scheduleDiffers(schedule, current.Schedule) == "" {
		schedule = nil
	}
	if schedule == nil && current.Name == plan.Name.ValueString() && current.Description == plan.Description.ValueString() &&
		strings.EqualFold(current.BackupType, plan.BackupType.ValueString()) && strings.EqualFold(current.RepositoryID, plan.RepositoryID.ValueString()) {
		return
	}
	err := r.client.UpdateBackupJob(ctx, plan.OrganizationID.ValueString(), plan.ID.ValueString(), vb365.JobUpdate{
		Name: plan.Name.ValueString(), Description: plan.Description.ValueString(), BackupType: plan.BackupType.ValueString(),
		RepositoryID: plan.RepositoryID.ValueString(), Schedule: schedule,
	})
	if err != nil {
		addAPIError(diags, action, jobNoun, err)
	}
}

// read returns the job as the server has it, in the prior's spelling: the
// job from its organization's list (shared by every job of the walk) and
// its two item lists.
func (r *backupJobResource) read(ctx context.Context, jobID string, prior backupJobModel) (backupJobModel, error) {
	job, err := r.client.FindBackupJob(ctx, prior.OrganizationID.ValueString(), jobID)
	if err != nil {
		return backupJobModel{}, err
	}
	return r.readItems(ctx, job, prior)
}

// readItems completes a job read from a list with its items.
func (r *backupJobResource) readItems(ctx context.Context, job *vb365.BackupJob, prior backupJobModel) (backupJobModel, error) {
	sel, err := r.client.ListJobItems(ctx, job.ID, vb365.JobSelected)
	if err != nil {
		return backupJobModel{}, err
	}
	exc, err := r.client.ListJobItems(ctx, job.ID, vb365.JobExcluded)
	if err != nil {
		return backupJobModel{}, err
	}
	if strings.EqualFold(job.BackupType, vb365.JobEntireOrganization) {
		sel = vb365.WithoutOrganizationItem(sel)
	}
	var diags diag.Diagnostics
	m := backupJobModel{
		ID: keepCase(prior.ID, job.ID), OrganizationID: keepCase(prior.OrganizationID, job.OrganizationID),
		RepositoryID: keepCase(prior.RepositoryID, job.RepositoryID), Name: types.StringValue(job.Name),
		Description: types.StringValue(job.Description), Enabled: types.BoolValue(job.Enabled), BackupType: types.StringValue(job.BackupType),
		Schedule:      scheduleFromServer(job.Schedule, &diags),
		SelectedItems: itemsFromServer(sel, nullIfUnknown(prior.SelectedItems)),
		ExcludedItems: itemsFromServer(exc, nullIfUnknown(prior.ExcludedItems)),
	}
	if diags.HasError() {
		return m, fmt.Errorf("%w: %s", vb365.ErrBadAnswer, diags[0].Detail())
	}
	return m, nil
}

// keepCase is the server's ID in the prior's spelling when they are the
// same ID.
func keepCase(prior types.String, id string) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && strings.EqualFold(prior.ValueString(), id) {
		return prior
	}
	return types.StringValue(id)
}

func nullIfUnknown(s types.Set) types.Set {
	if s.IsUnknown() {
		return types.SetNull(itemObjectType)
	}
	return s
}

func (r *backupJobResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var prior backupJobModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	setIdentity(ctx, resp.Identity, backupJobIdentity{ID: prior.ID}, backupJobIdentity.equalFold, &resp.Diagnostics)
	got, err := r.read(ctx, prior.ID.ValueString(), prior)
	var nf *vb365.NotFoundError
	if errors.As(err, &nf) && nf.Kind == vb365.KindJob {
		tflog.Warn(ctx, "The backup job is gone (GET /Jobs/{id} answered 404); removing it from state so the next apply creates it again", map[string]any{"id": prior.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		if vb365.IsOrganizationNotFound(err) {
			addOrganizationNotFound(&resp.Diagnostics, "Unable to read "+jobNoun, "", prior.OrganizationID.ValueString())
			return
		}
		addAPIError(&resp.Diagnostics, "read", jobNoun, err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, got)...)
}

func (r *backupJobResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior backupJobModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = prior.ID
	current, err := r.client.FindBackupJob(ctx, plan.OrganizationID.ValueString(), prior.ID.ValueString())
	if err != nil {
		addAPIError(&resp.Diagnostics, "update", jobNoun, err)
		return
	}
	r.reconcileAndReadBack(ctx, plan, current, "update", &resp.State, &resp.Diagnostics)
	setIdentity(ctx, resp.Identity, backupJobIdentity{ID: plan.ID}, backupJobIdentity.equalFold, &resp.Diagnostics)
}

// Delete deletes the job, never its backups: VB365 keeps what the job
// backed up in the repository, under its retention.
func (r *backupJobResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state backupJobModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.client.DeleteBackupJob(ctx, state.OrganizationID.ValueString(), state.ID.ValueString()); err != nil && !errors.Is(err, vb365.ErrNotFound) {
		addAPIError(&resp.Diagnostics, "delete", jobNoun, err)
	}
}

// ImportState takes the job's ID (or its identity); Read fills in the rest.
func (r *backupJobResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if req.ID == "" && req.Identity != nil {
		var ident backupJobIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id = strings.TrimSpace(ident.ID.ValueString())
	}
	if id == "" || badID(id) != "" {
		resp.Diagnostics.AddError("Unable to import "+jobNoun,
			fmt.Sprintf("The import ID must be the job's VB365 ID (the vb365_backup_jobs data source lists them), not %q.", req.ID))
		return
	}
	job, err := r.client.FindJobOrganization(ctx, id)
	if err != nil {
		if errors.Is(err, vb365.ErrNotFound) {
			resp.Diagnostics.AddError("Unable to import "+jobNoun,
				fmt.Sprintf("VB365 has no backup job with ID %q. The vb365_backup_jobs data source lists the jobs there are.", id))
			return
		}
		addAPIError(&resp.Diagnostics, "import", jobNoun, err)
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), job.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization_id"), job.OrganizationID)...)
	// An identity given is kept as spelt (Terraform compares it with the
	// configuration's); the ID in state is the server's.
	setIdentity(ctx, resp.Identity, backupJobIdentity{ID: types.StringValue(job.ID)}, backupJobIdentity.equalFold, &resp.Diagnostics)
}

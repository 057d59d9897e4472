package provider

// The schema of vb365_backup_job, and the plan modifiers of its schedule.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// objectAsOptions reads an object into a struct.
var objectAsOptions = basetypes.ObjectAsOptions{}

func pathSchedule(attr string) path.Path { return path.Root("schedule").AtName(attr) }

// flagDescriptions say what each processing flag means, and of which item
// types.
var flagDescriptions = map[string]string{
	"mailbox":                "The mailbox (`User`), the group's own mailbox (`Group`), every mailbox (`PartialOrganization`).",
	"archive_mailbox":        "The archive mailbox (`User`, `PartialOrganization`).",
	"onedrive":               "OneDrive (`User`, `PartialOrganization`).",
	"personal_site":          "The personal SharePoint site (`User`).",
	"sites":                  "Every SharePoint site (`PartialOrganization`).",
	"teams":                  "Every team (`PartialOrganization`).",
	"teams_chats":            "Teams chats (`Team`, `PartialOrganization`).",
	"members":                "The group's members (`Group`): with the member_* flags, what of each member.",
	"member_mailbox":         "Each member's mailbox (`Group`).",
	"member_archive_mailbox": "Each member's archive mailbox (`Group`).",
	"member_onedrive":        "Each member's OneDrive (`Group`).",
	"member_site":            "Each member's personal site (`Group`).",
	"group_site":             "The group's SharePoint site (`Group`).",
}

func itemSetAttribute(what string) schema.SetNestedAttribute {
	attrs := map[string]schema.Attribute{
		"type": schema.StringAttribute{
			MarkdownDescription: "`User`, `Group`, `Site`, `Team`, `PersonalSites` (every personal site), `PartialOrganization` (the organization " +
				"itself, with the workloads its flags name) or `OneDriveFolders` (the folders named in `folders`, in every OneDrive).",
			Required:   true,
			Validators: []validator.String{stringvalidator.OneOf(vb365.JobItemTypes...)},
		},
		"user_id":  schema.StringAttribute{MarkdownDescription: "With `type = \"User\"`: the user's ID (from `vb365_user`).", Optional: true, Validators: []validator.String{idValidator{}}},
		"group_id": schema.StringAttribute{MarkdownDescription: "With `type = \"Group\"`: the group's ID (from `vb365_group`).", Optional: true, Validators: []validator.String{idValidator{}}},
		"site_id":  schema.StringAttribute{MarkdownDescription: "With `type = \"Site\"`: the site's ID (from `vb365_site`; two GUIDs written together).", Optional: true, Validators: []validator.String{idValidator{}}},
		"team_id":  schema.StringAttribute{MarkdownDescription: "With `type = \"Team\"`: the team's ID (from `vb365_team`).", Optional: true, Validators: []validator.String{idValidator{}}},
		"folders": schema.SetAttribute{
			MarkdownDescription: "With `type = \"OneDriveFolders\"`: the folders, by path in each OneDrive (e.g. `Documents/Finance`).",
			ElementType:         types.StringType, Optional: true,
		},
	}
	for _, f := range itemFlagAttrs {
		attrs[f.attr] = schema.BoolAttribute{
			MarkdownDescription: flagDescriptions[f.attr] + " Only for those types; unset is off.",
			Optional:            true,
		}
	}
	return schema.SetNestedAttribute{
		MarkdownDescription: what,
		Optional:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: attrs},
	}
}

func windowDayAttribute(day string) schema.ListAttribute {
	return schema.ListAttribute{
		MarkdownDescription: "The hours of " + day + " in which the job may run, as ranges `HH:00-HH:00` in order and apart " +
			"(e.g. `[\"00:00-07:00\", \"19:00-24:00\"]`). Leave the day out when no hour is allowed.",
		ElementType: types.StringType, Optional: true,
	}
}

func backupJobSchema() schema.Schema {
	window := map[string]schema.Attribute{
		"minute_offset": schema.Int64Attribute{
			MarkdownDescription: "`minuteOffset` of the window, which Veeam's documents describe as the offset from UTC in minutes. " +
				"Unset: the server's.",
			Optional: true, Computed: true,
			PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
		},
	}
	for _, d := range windowDays {
		window[d] = windowDayAttribute(d)
	}
	return schema.Schema{
		MarkdownDescription: "Manages a VB365 backup job: which data of an organization is backed up (`backup_type`, `selected_items`, " +
			"`excluded_items`), when (`schedule`) and to which repository. Items added or removed outside Terraform, changed " +
			"processing options, another schedule or repository and a disabled job show in the next plan, and apply puts the declared " +
			"job back. Destroy deletes the job, never the data it backed up (see the *Backup scope as code* guide).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "VB365 ID of the job. Import the job with it.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: descOrganizationID + " Changing it replaces the job.",
				Required:            true,
				Validators:          roleOrganizationValidators,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace(), keepIDCase{}},
			},
			"repository_id": schema.StringAttribute{
				MarkdownDescription: "VB365 ID of the backup repository the job writes to (e.g. from `vb365_backup_repository`). Changing it " +
					"points the job at another repository; what it backed up stays in the old one.",
				Required:      true,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1), idValidator{}},
				PlanModifiers: []planmodifier.String{keepIDCase{}},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the job, unique in the organization (ignoring case): one line, without white space at either end. " +
					"A name that another job of the organization already has is refused at apply, naming that job: import it to manage it here.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), oneLineName{noun: "job name", example: "Staff mailboxes"}},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "Description of the job. Default `\"\"`.",
				Optional:            true, Computed: true, Default: stringdefault.StaticString(""),
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the job runs on its schedule. Default `true`.",
				Optional:            true, Computed: true, Default: booldefault.StaticBool(true),
			},
			"backup_type": schema.StringAttribute{
				MarkdownDescription: "`EntireOrganization`: everything of the organization but `excluded_items`. `SelectedItems`: " +
					"`selected_items` (at least one) but `excluded_items`.",
				Required:   true,
				Validators: []validator.String{stringvalidator.OneOf(vb365.JobEntireOrganization, vb365.JobSelectedItems)},
			},
			"schedule": schema.SingleNestedAttribute{
				MarkdownDescription: "When the job runs. Unset: the server's schedule, as it is (a new job gets the server's default).",
				Optional:            true, Computed: true,
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"type": schema.StringAttribute{
						MarkdownDescription: "`Daily` (at `daily_time` on the days of `daily_type`), `Periodically` (every `periodically_every`) or `ManualOnly`.",
						Required:            true,
						Validators:          []validator.String{stringvalidator.OneOf(vb365.ScheduleTypes...)},
					},
					"daily_type": schema.StringAttribute{
						MarkdownDescription: "With `Daily`: `Everyday`, `Workdays`, `Weekends` or a day (`Monday` ... `Sunday`). Unset: the server's.",
						Optional:            true, Computed: true,
						Validators:    []validator.String{stringvalidator.OneOf(vb365.DailyTypes...)},
						PlanModifiers: []planmodifier.String{stateWhileScheduleType{}},
					},
					"daily_time": schema.StringAttribute{
						MarkdownDescription: "With `Daily` (required there): the time the job starts, `HH:MM` (24 hours, e.g. `22:00`), on the server's clock.",
						Optional:            true, Computed: true,
						Validators:    []validator.String{dailyTimeValidator{}},
						PlanModifiers: []planmodifier.String{stateWhileScheduleType{}},
					},
					"periodically_every": schema.StringAttribute{
						MarkdownDescription: "With `Periodically` (required there): `Minutes5`, `Minutes10`, `Minutes15`, `Minutes30`, `Hours1`, `Hours2`, " +
							"`Hours4`, `Hours8`, or `Hours12` (REST API v8).",
						Optional: true, Computed: true,
						Validators:    []validator.String{stringvalidator.OneOf(vb365.PeriodicIntervals...)},
						PlanModifiers: []planmodifier.String{stateWhileScheduleType{}},
					},
					"periodically_offset_minutes": schema.Int64Attribute{
						MarkdownDescription: "With `Periodically` every hour or more: minutes (0 to 59) by which the runs are shifted within the hour, " +
							"so that jobs do not start together. Unset: the server's.",
						Optional: true, Computed: true,
						Validators:    []validator.Int64{int64validator.Between(0, 59)},
						PlanModifiers: []planmodifier.Int64{stateWhileScheduleTypeInt{}},
					},
					"retry_enabled": schema.BoolAttribute{
						MarkdownDescription: "Whether a failed run is retried. Unset: the server's.",
						Optional:            true, Computed: true,
						PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
					},
					"retry_number": schema.Int64Attribute{
						MarkdownDescription: "How many times a failed run is retried. Unset: the server's.",
						Optional:            true, Computed: true,
						Validators:    []validator.Int64{int64validator.Between(0, 777)},
						PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
					},
					"retry_wait_minutes": schema.Int64Attribute{
						MarkdownDescription: "Minutes between the retries. Unset: the server's.",
						Optional:            true, Computed: true,
						Validators:    []validator.Int64{int64validator.Between(0, 999)},
						PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
					},
					"backup_window": schema.SingleNestedAttribute{
						MarkdownDescription: "The hours of the week in which the job may run, per day. Unset: no backup window (any hour).",
						Optional:            true,
						Attributes:          window,
					},
				},
			},
			"selected_items": itemSetAttribute("With `backup_type = \"SelectedItems\"` (at least one; none otherwise): what the job backs up. " +
				"Each item names a user, group, site or team of the organization (`user_id`, `group_id`, `site_id`, `team_id` as its `type` " +
				"says), or an organization-wide kind, with the processing flags of its type; an unset flag is off."),
			"excluded_items": itemSetAttribute("What the job leaves out (e.g. leavers, or a user's OneDrive only), with the flags of what " +
				"to leave out. An object may not be both selected and excluded."),
		},
	}
}

// stateWhileScheduleType keeps a computed schedule field's value from the
// state while the schedule's type stays: after a change of type, the field
// is whatever the server then has (known after apply).
type stateWhileScheduleType struct{}

func (stateWhileScheduleType) Description(context.Context) string {
	return "keeps the state's value unless schedule.type changes"
}

func (m stateWhileScheduleType) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (stateWhileScheduleType) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || !req.ConfigValue.IsNull() || !resp.PlanValue.IsUnknown() || !sameScheduleType(ctx, req.Plan, req.State) {
		return
	}
	resp.PlanValue = req.StateValue
}

type stateWhileScheduleTypeInt struct{ stateWhileScheduleType }

func (stateWhileScheduleTypeInt) PlanModifyInt64(ctx context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if req.StateValue.IsNull() || !req.ConfigValue.IsNull() || !resp.PlanValue.IsUnknown() || !sameScheduleType(ctx, req.Plan, req.State) {
		return
	}
	resp.PlanValue = req.StateValue
}

func sameScheduleType(ctx context.Context, plan tfsdk.Plan, state tfsdk.State) bool {
	var p, s types.String
	if plan.GetAttribute(ctx, pathSchedule("type"), &p).HasError() || state.GetAttribute(ctx, pathSchedule("type"), &s).HasError() {
		return false
	}
	return !p.IsUnknown() && !p.IsNull() && p.Equal(s)
}

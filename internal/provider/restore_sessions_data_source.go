package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ datasource.DataSourceWithConfigure      = (*restoreSessionsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*restoreSessionsDataSource)(nil)
)

// NewRestoreSessionsDataSource lists the explore and restore sessions of a
// time window: the access trail of the backed-up data.
func NewRestoreSessionsDataSource() datasource.DataSource {
	return &restoreSessionsDataSource{now: time.Now}
}

type restoreSessionsDataSource struct {
	dataSourceClient
	now func() time.Time
}

const (
	defaultSessionWindow = 24 * time.Hour
	defaultMaxSessions   = 1000
	eventsInFlight       = 4
)

// eventTypes are RESTRestoreSessionEvent types.
var eventTypes = []string{"None", "Save", "Export", "Send", "Restore", "View"}

type restoreSessionsModel struct {
	StartedAfter  types.String          `tfsdk:"started_after"`
	StartedBefore types.String          `tfsdk:"started_before"`
	InitiatedBy   types.String          `tfsdk:"initiated_by"`
	Organization  types.String          `tfsdk:"organization"`
	Type          types.String          `tfsdk:"type"`
	IncludeEvents types.Bool            `tfsdk:"include_events"`
	EventTypes    types.Set             `tfsdk:"event_types"`
	MaxSessions   types.Int64           `tfsdk:"max_sessions"`
	Sessions      []restoreSessionModel `tfsdk:"sessions"`
}

type restoreSessionModel struct {
	ID           types.String        `tfsdk:"id"`
	Name         types.String        `tfsdk:"name"`
	Organization types.String        `tfsdk:"organization"`
	Type         types.String        `tfsdk:"type"`
	Created      types.String        `tfsdk:"created"`
	Ended        types.String        `tfsdk:"ended"`
	State        types.String        `tfsdk:"state"`
	Result       types.String        `tfsdk:"result"`
	InitiatedBy  types.String        `tfsdk:"initiated_by"`
	ScopeName    types.String        `tfsdk:"scope_name"`
	ClientHost   types.String        `tfsdk:"client_host"`
	Reason       types.String        `tfsdk:"reason"`
	Events       []restoreEventModel `tfsdk:"events"`
}

type restoreEventModel struct {
	ID            types.String `tfsdk:"id"`
	Type          types.String `tfsdk:"type"`
	Status        types.String `tfsdk:"status"`
	ItemName      types.String `tfsdk:"item_name"`
	ItemType      types.String `tfsdk:"item_type"`
	ItemSizeBytes types.Int64  `tfsdk:"item_size_bytes"`
	Source        types.String `tfsdk:"source"`
	Target        types.String `tfsdk:"target"`
	Started       types.String `tfsdk:"started"`
	UserID        types.String `tfsdk:"user_id"`
	GroupID       types.String `tfsdk:"group_id"`
	SiteID        types.String `tfsdk:"site_id"`
	TeamID        types.String `tfsdk:"team_id"`
}

func (d *restoreSessionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_restore_sessions"
}

func (d *restoreSessionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computedString := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	workloads := []string{"Exchange", "OneDrive", "SharePoint", "Teams"}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the explore and restore sessions VB365 recorded in a time window, newest first: who opened whose " +
			"backed-up mail, OneDrive, SharePoint or Teams data, from where and why, and (with `include_events` or `event_types`) " +
			"what they viewed, saved, exported, sent or restored. The window is asked of the server and enforced by the provider " +
			"too, both bounds inclusive, so a server or proxy that ignores it cannot add older or newer sessions; a session without " +
			"a creation time is kept, and one whose time the server writes without a time zone (read as UTC) is left out only when " +
			"it lies more than 14 hours outside the window. Every page is read; the other filters are applied by the provider. Use it in a `check` block to fail a plan (or HCP Terraform's " +
			"continuous validation) when someone outside the approved restore operators touched audited data, or export the trail " +
			"with `terraform output -json`.",
		Attributes: map[string]schema.Attribute{
			"started_after": schema.StringAttribute{
				MarkdownDescription: "Only sessions created at or after this time, RFC 3339 (e.g. `2026-12-01T00:00:00Z`). Default: 24 hours before the read.",
				Optional:            true,
				Validators:          []validator.String{rfc3339Validator{}},
			},
			"started_before": schema.StringAttribute{
				MarkdownDescription: "Only sessions created at or before this time, RFC 3339. Default: no upper bound.",
				Optional:            true,
				Validators:          []validator.String{rfc3339Validator{}},
			},
			"initiated_by": schema.StringAttribute{
				MarkdownDescription: "Only sessions started by this account, as VB365 records it (e.g. `CONTOSO\\helpdesk-anna` or a mail address); matched in full, ignoring case.",
				Optional:            true,
				Validators:          nonEmpty(),
			},
			"organization": schema.StringAttribute{
				MarkdownDescription: "Only sessions of this organization, by name (e.g. `contoso.onmicrosoft.com`), ignoring case.",
				Optional:            true,
				Validators:          nonEmpty(),
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "Only sessions of one workload: `Exchange`, `OneDrive`, `SharePoint` or `Teams`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(workloads...)},
			},
			"include_events": schema.BoolAttribute{
				MarkdownDescription: "Also read each session's events (one more request per session kept, at most 4 at a time). Default `false`.",
				Optional:            true,
			},
			"event_types": schema.SetAttribute{
				MarkdownDescription: "Only these events (`None`, `Save`, `Export`, `Send`, `Restore`, `View`), and only the sessions that have one of them. Implies `include_events`.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(stringvalidator.OneOf(eventTypes...))},
			},
			"max_sessions": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("The most sessions the window may hold (counted before `initiated_by`, `organization`, `type` and `event_types`). More is an error, never a silent cut: narrow the window or raise this. Default `%d`.", defaultMaxSessions),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"sessions": schema.ListNestedAttribute{
				MarkdownDescription: "The matching sessions, newest first.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           computedString("VB365 ID of the session."),
					"name":         computedString("Name of the session as VB365 shows it."),
					"organization": computedString("Name of the organization whose data was explored."),
					"type":         computedString("Workload: `Exchange`, `OneDrive`, `SharePoint` or `Teams` (an unknown API code is passed through)."),
					"created":      computedString("When the session started, RFC 3339 in UTC."),
					"ended":        computedString("When it ended, RFC 3339 in UTC; null while it runs."),
					"state":        computedString("`Working` or `Stopped`."),
					"result":       computedString("`Success`, `Warning` or `Failed`."),
					"initiated_by": computedString("The account that started the session."),
					"scope_name":   computedString("What was explored, e.g. a mailbox or site."),
					"client_host":  computedString("The computer the session was started from."),
					"reason":       computedString("The reason the operator gave, if any."),
					"events": schema.ListNestedAttribute{
						MarkdownDescription: "The session's events in order; null unless `include_events` or `event_types` is set.",
						Computed:            true,
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"id":              computedString("VB365 ID of the event."),
							"type":            computedString("`None`, `Save`, `Export`, `Send`, `Restore` or `View`."),
							"status":          computedString("`Running`, `Success`, `Warning`, `Failed`, `Cancelled` or `Skipped`."),
							"item_name":       computedString("The item acted on."),
							"item_type":       computedString("Its kind, e.g. `Folder` or `File`."),
							"item_size_bytes": schema.Int64Attribute{Computed: true, MarkdownDescription: "Its size in bytes."},
							"source":          computedString("Where the item came from."),
							"target":          computedString("Where it went (a mailbox, a folder, a file)."),
							"started":         computedString("When the event started, RFC 3339 in UTC."),
							"user_id":         computedString("VB365 ID of the user whose data it was (REST API v8; null before)."),
							"group_id":        computedString("VB365 ID of the group (v8)."),
							"site_id":         computedString("VB365 ID of the site (v8)."),
							"team_id":         computedString("VB365 ID of the team (v8)."),
						}},
					},
				}},
			},
		},
	}
}

// ValidateConfig checks that the window is not empty.
func (d *restoreSessionsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var cfg restoreSessionsModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("started_after"), &cfg.StartedAfter)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("started_before"), &cfg.StartedBefore)...)
	if resp.Diagnostics.HasError() || cfg.StartedAfter.IsNull() || cfg.StartedAfter.IsUnknown() || cfg.StartedBefore.IsNull() || cfg.StartedBefore.IsUnknown() {
		return
	}
	after, err1 := time.Parse(time.RFC3339, cfg.StartedAfter.ValueString())
	before, err2 := time.Parse(time.RFC3339, cfg.StartedBefore.ValueString())
	if err1 == nil && err2 == nil && before.Before(after) {
		resp.Diagnostics.AddAttributeError(path.Root("started_before"), "Empty restore session window",
			fmt.Sprintf("started_before (%s) is before started_after (%s): no session can match.", cfg.StartedBefore.ValueString(), cfg.StartedAfter.ValueString()))
	}
}

func (d *restoreSessionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg restoreSessionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	f := vb365.RestoreSessionFilter{StartedAfter: d.now().Add(-defaultSessionWindow), Max: defaultMaxSessions}
	if !cfg.StartedAfter.IsNull() {
		f.StartedAfter, _ = time.Parse(time.RFC3339, cfg.StartedAfter.ValueString()) // validated
	}
	if !cfg.StartedBefore.IsNull() {
		f.StartedBefore, _ = time.Parse(time.RFC3339, cfg.StartedBefore.ValueString())
	}
	if !cfg.MaxSessions.IsNull() {
		f.Max = int(cfg.MaxSessions.ValueInt64())
	}
	sessions, err := d.client.ListRestoreSessions(ctx, f)
	var tooMany *vb365.TooManyError
	if errors.As(err, &tooMany) {
		window := "since " + queryWindowTime(f.StartedAfter)
		if !f.StartedBefore.IsZero() {
			window += " and before " + queryWindowTime(f.StartedBefore)
		}
		resp.Diagnostics.AddAttributeError(path.Root("max_sessions"), "Unable to read restore sessions",
			fmt.Sprintf("More than %d restore sessions started %s. Narrow the window with started_after and started_before, or raise max_sessions.", tooMany.Max, window))
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "read", "restore sessions", err)
		return
	}

	var kept []vb365.RestoreSession
	for _, s := range sessions {
		if (cfg.InitiatedBy.IsNull() || strings.EqualFold(s.InitiatedBy, cfg.InitiatedBy.ValueString())) &&
			(cfg.Organization.IsNull() || strings.EqualFold(s.Organization, cfg.Organization.ValueString())) &&
			(cfg.Type.IsNull() || strings.EqualFold(vb365.Workload(s.Type), cfg.Type.ValueString())) {
			kept = append(kept, s)
		}
	}

	var wanted map[string]bool // event types; nil: all
	if !cfg.EventTypes.IsNull() {
		wanted = map[string]bool{}
		for _, t := range setStrings(ctx, cfg.EventTypes, &resp.Diagnostics) {
			wanted[strings.ToLower(t)] = true
		}
	}
	var events map[string][]vb365.RestoreSessionEvent
	if cfg.IncludeEvents.ValueBool() || wanted != nil {
		ids := make([]string, len(kept))
		for i, s := range kept {
			ids[i] = s.ID
		}
		if events, err = d.client.ListEventsOf(ctx, ids, eventsInFlight); err != nil {
			addAPIError(&resp.Diagnostics, "read", "restore session events", err)
			return
		}
	}

	cfg.Sessions = make([]restoreSessionModel, 0, len(kept))
	for _, s := range kept {
		m := sessionModel(s)
		if events != nil {
			m.Events = []restoreEventModel{}
			for _, e := range events[s.ID] {
				if wanted == nil || wanted[strings.ToLower(e.Type)] {
					m.Events = append(m.Events, eventModel(e))
				}
			}
			if wanted != nil && len(m.Events) == 0 {
				continue
			}
		}
		cfg.Sessions = append(cfg.Sessions, m)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

func queryWindowTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func sessionModel(s vb365.RestoreSession) restoreSessionModel {
	return restoreSessionModel{
		ID: types.StringValue(s.ID), Name: types.StringValue(s.Name), Organization: types.StringValue(s.Organization),
		Type: types.StringValue(vb365.Workload(s.Type)), Created: timeValue(s.CreationTime), Ended: timeValue(s.EndTime),
		State: types.StringValue(s.State), Result: types.StringValue(s.Result), InitiatedBy: types.StringValue(s.InitiatedBy),
		ScopeName: optional(s.ScopeName), ClientHost: optional(s.ClientHost), Reason: optional(s.Reason),
	}
}

func eventModel(e vb365.RestoreSessionEvent) restoreEventModel {
	return restoreEventModel{
		ID: types.StringValue(e.ID), Type: types.StringValue(e.Type), Status: types.StringValue(e.Status),
		ItemName: optional(e.ItemName), ItemType: optional(e.ItemType), ItemSizeBytes: types.Int64Value(e.ItemSizeBytes),
		Source: optional(e.Source), Target: optional(e.Target), Started: timeValue(e.StartTime),
		UserID: optional(e.UserID), GroupID: optional(e.GroupID), SiteID: optional(e.SiteID), TeamID: optional(e.TeamID),
	}
}

// rfc3339Validator accepts an RFC 3339 time such as 2026-12-01T00:00:00Z.
type rfc3339Validator struct{}

func (rfc3339Validator) Description(context.Context) string {
	return "must be an RFC 3339 time such as 2026-12-01T00:00:00Z"
}

func (v rfc3339Validator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (rfc3339Validator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := time.Parse(time.RFC3339, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid time",
			fmt.Sprintf("%q is not an RFC 3339 time such as 2026-12-01T00:00:00Z (with a time zone: Z or +01:00).", req.ConfigValue.ValueString()))
	}
}

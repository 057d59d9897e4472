package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ resource.ResourceWithConfigure      = (*restoreOperatorRoleResource)(nil)
	_ resource.ResourceWithImportState    = (*restoreOperatorRoleResource)(nil)
	_ resource.ResourceWithValidateConfig = (*restoreOperatorRoleResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*restoreOperatorRoleResource)(nil)
	_ resource.ResourceWithIdentity       = (*restoreOperatorRoleResource)(nil)
)

func (r *restoreOperatorRoleResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{RequiredForImport: true, Description: "VB365 ID of the restore operator role."},
		},
	}
}

// NewRestoreOperatorRoleResource manages one restore operator role.
func NewRestoreOperatorRoleResource() resource.Resource { return &restoreOperatorRoleResource{} }

type restoreOperatorRoleResource struct{ resourceClient }

func (r *restoreOperatorRoleResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_restore_operator_role"
}

func memberSet(desc string) schema.SetAttribute {
	return schema.SetAttribute{
		ElementType: types.StringType, Optional: true, MarkdownDescription: desc,
		Validators: []validator.Set{setvalidator.ValueStringsAre(idValidator{}), idSetValidator{}},
	}
}

func (r *restoreOperatorRoleResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	items := func(what string) map[string]schema.Attribute {
		return map[string]schema.Attribute{
			"user_ids":  memberSet("IDs of users " + what + " (from `vb365_user` or `vb365_users`)."),
			"group_ids": memberSet("IDs of groups " + what + ": all their members (from `vb365_group` or `vb365_groups`)."),
			"site_ids":  memberSet("IDs of SharePoint sites " + what + " (from `vb365_site` or `vb365_sites`; two GUIDs written together)."),
			"team_ids":  memberSet("IDs of Microsoft Teams teams " + what + " (from `vb365_team` or `vb365_teams`). REST API v7 and later."),
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a restore operator role of VB365: who (`operators`) may explore and restore the backed-up data of " +
			"whom (`selected_items`, all of the organization for `role_type = \"EntireOrganization\"`, minus `excluded_items`). " +
			"Members added or removed outside Terraform show in the next plan, and apply puts the declared lists back; members " +
			"that did not change are never removed and re-added.\n\n" +
			"Roles take effect only for restores through the Restore Portal (or the operator's own tools) once it is enabled, which " +
			"the REST API cannot do: enable it in the VB365 console. Pair roles with `vb365_audit_items` so that restores of " +
			"sensitive principals are also alerted (see the *Restore operators and audit together* guide).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "VB365 ID of the role. Import the role with it.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: descOrganizationID + " Changing it replaces the role.",
				Required:            true,
				Validators:          []validator.String{idValidator{}},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace(), keepIDCase{}},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the role, unique in the organization, e.g. `Helpdesk`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "Description of the role. Default `\"\"`.",
				Optional:            true, Computed: true, Default: stringdefault.StaticString(""),
			},
			"role_type": schema.StringAttribute{
				MarkdownDescription: "`SpecificObjects` (default): the operators may restore the data of `selected_items` only. " +
					"`EntireOrganization`: of everyone in the organization except `excluded_items`.",
				Optional: true, Computed: true, Default: stringdefault.StaticString(vb365.RoleSpecificObjects),
				Validators: []validator.String{stringvalidator.OneOf(vb365.RoleSpecificObjects, vb365.RoleEntireOrganization)},
			},
			"operators": schema.SingleNestedAttribute{
				MarkdownDescription: "Who may restore: users and groups of the organization; at least one.",
				Required:            true,
				Attributes: map[string]schema.Attribute{
					"user_ids":  memberSet("IDs of users who may restore (from `vb365_user`)."),
					"group_ids": memberSet("IDs of groups whose members may restore (from `vb365_group`)."),
				},
			},
			"selected_items": schema.SingleNestedAttribute{
				MarkdownDescription: "Whose data the operators may restore. Required, and not empty, for `SpecificObjects`; must be empty for `EntireOrganization`.",
				Optional:            true,
				Attributes:          items("whose data may be restored"),
			},
			"excluded_items": schema.SingleNestedAttribute{
				MarkdownDescription: "Whose data the operators may not restore, even when selected otherwise (e.g. the chief executive). An object may not be both selected and excluded.",
				Optional:            true,
				Attributes:          items("whose data may not be restored"),
			},
		},
	}
}

// configSets reads a list's sets by path, so that an unknown value anywhere
// is seen as unknown rather than failing the whole read.
func configSets(ctx context.Context, get func(context.Context, path.Path, any) diag.Diagnostics, l roleList, diags *diag.Diagnostics) (ids memberIDs, unknown bool) {
	ids = memberIDs{}
	for _, k := range l.kinds {
		var s types.Set
		diags.Append(get(ctx, path.Root(l.attr).AtName(kindAttr[k]), &s)...)
		if !setKnown(s) {
			unknown = true
			continue
		}
		ids[k] = setStrings(ctx, s, diags)
	}
	return ids, unknown
}

// setKnown reports whether a set and all its elements are known (an ID from
// a data source that is read during apply is not, at validation).
func setKnown(s types.Set) bool {
	if s.IsUnknown() {
		return false
	}
	for _, e := range s.Elements() {
		if e.IsUnknown() {
			return false
		}
	}
	return true
}

// ValidateConfig checks the documented constraints, naming the attribute.
func (r *restoreOperatorRoleResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	get := func(ctx context.Context, p path.Path, target any) diag.Diagnostics {
		return req.Config.GetAttribute(ctx, p, target)
	}
	var roleType types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("role_type"), &roleType)...)
	ops, opsUnknown := configSets(ctx, get, roleLists[0], &resp.Diagnostics)
	sel, selUnknown := configSets(ctx, get, roleLists[1], &resp.Diagnostics)
	exc, _ := configSets(ctx, get, roleLists[2], &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if !opsUnknown && ops.count() == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("operators"), "Missing restore operators",
			"A restore operator role needs at least one operator: set operators.user_ids or operators.group_ids.")
	}
	specific := roleType.IsNull() || roleType.ValueString() == vb365.RoleSpecificObjects
	switch {
	case roleType.IsUnknown() || selUnknown:
	case specific && sel.count() == 0:
		resp.Diagnostics.AddAttributeError(path.Root("selected_items"), "Missing selected items",
			"role_type = \"SpecificObjects\" (the default) lets the operators restore the data of selected_items only: set at least one "+
				"user, group, site or team there, or use role_type = \"EntireOrganization\".")
	case !specific && sel.count() > 0:
		resp.Diagnostics.AddAttributeError(path.Root("selected_items"), "Selected items with EntireOrganization",
			"role_type = \"EntireOrganization\" covers everyone in the organization; remove selected_items, or narrow the role with "+
				"role_type = \"SpecificObjects\". To leave someone out, use excluded_items.")
	}
	for kind, ids := range sel {
		for _, id := range ids {
			if containsFold(exc[kind], id) {
				resp.Diagnostics.AddAttributeError(path.Root("excluded_items").AtName(kindAttr[kind]), "Item both selected and excluded",
					fmt.Sprintf("%s %q is in selected_items and excluded_items; an object may be in one of them only.", strings.ToLower(kind), id))
			}
		}
	}
}

// ModifyPlan refuses teams on REST API v6, which has no teams in roles.
func (r *restoreOperatorRoleResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.client == nil || r.client.APIVersion().SupportsRoleTeams() {
		return
	}
	for _, attr := range []string{"selected_items", "excluded_items"} {
		var s types.Set
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attr).AtName("team_ids"), &s)...)
		if !s.IsNull() && (s.IsUnknown() || len(s.Elements()) > 0) {
			resp.Diagnostics.AddAttributeError(path.Root(attr).AtName("team_ids"), "Teams in restore operator roles need REST API v7",
				fmt.Sprintf("VB365 REST API v6 has no teams in restore operator roles, and the provider speaks %s. Set api_version = \"v8\" "+
					"(or \"v7\") in the provider block, or select the team's Microsoft 365 group with group_ids.", r.client.APIVersion()))
		}
	}
}

// memberKinds maps member kinds to the client's object kinds.
var memberKinds = map[string]vb365.Kind{vb365.MemberUser: vb365.KindUser, vb365.MemberGroup: vb365.KindGroup, vb365.MemberSite: vb365.KindSite, vb365.MemberTeam: vb365.KindTeam}

// entries resolves IDs into the objects the API wants, one GET each, a
// bounded number at a time.
func (r *restoreOperatorRoleResource) entries(ctx context.Context, orgID, attr string, ids memberIDs, action string, diags *diag.Diagnostics) []vb365.RoleEntry {
	kinds := make([]string, 0, len(ids))
	for k := range ids {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var refs []vb365.ObjectRef
	var refKinds []string
	for _, kind := range kinds {
		for _, id := range ids[kind] {
			refs = append(refs, vb365.ObjectRef{Kind: memberKinds[kind], ID: id})
			refKinds = append(refKinds, kind)
		}
	}
	var out []vb365.RoleEntry
	summary := "Unable to " + action + " restore operator role"
	for i, res := range r.client.GetObjects(ctx, orgID, refs, 0) {
		kind, id, err := refKinds[i], refs[i].ID, res.Err
		switch {
		case err == nil:
			out = append(out, res.Entry)
		case vb365.IsOrganizationNotFound(err):
			addOrganizationNotFound(diags, summary, "", orgID)
			return nil
		case errors.Is(err, vb365.ErrNotFound):
			diags.AddAttributeError(path.Root(attr).AtName(kindAttr[kind]), summary,
				fmt.Sprintf("Organization %s has no %s with ID %q. The vb365_%ss data source lists them.", orgID, strings.ToLower(kind), id, strings.ToLower(kind)))
		default:
			addAPIError(diags, action, "restore operator role", err)
			return nil
		}
	}
	return out
}

func (r *restoreOperatorRoleResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan roleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := plan.OrganizationID.ValueString()
	var lists [3][]vb365.RoleEntry
	for i, l := range roleLists {
		lists[i] = r.entries(ctx, orgID, l.attr, plan.getList(l.attr).ids(ctx, l.kinds, &resp.Diagnostics), "create", &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	role, err := r.client.CreateRestoreOperatorRole(ctx, orgID, vb365.RoleCreate{
		Name: plan.Name.ValueString(), Description: plan.Description.ValueString(), RoleType: plan.RoleType.ValueString(),
		Operators: lists[0], Selected: lists[1], Excluded: lists[2],
	})
	if err != nil {
		if vb365.IsOrganizationNotFound(err) {
			addOrganizationNotFound(&resp.Diagnostics, "Unable to create restore operator role", "", orgID)
			return
		}
		addAPIError(&resp.Diagnostics, "create", "restore operator role", err)
		return
	}
	// Track the role from here on: a failure below leaves it in state
	// (tainted), never orphaned on the server.
	plan.ID = types.StringValue(role.ID)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), role.ID)...)
	setIdentity(ctx, resp.Identity, roleIdentity{ID: plan.ID}, roleIdentity.equalFold, &resp.Diagnostics)
	r.reconcileAndReadBack(ctx, plan, role, "create", &resp.State, &resp.Diagnostics)
}

// reconcileAndReadBack makes the role's scalars and members what plan says
// (PUT when the scalars differ; POST missing and DELETE extra members), then
// reads everything back into state and checks it against the plan.
func (r *restoreOperatorRoleResource) reconcileAndReadBack(ctx context.Context, plan roleModel, current *vb365.RestoreOperatorRole, action string, state stateSetter, diags *diag.Diagnostics) {
	orgID, roleID := plan.OrganizationID.ValueString(), plan.ID.ValueString()
	// The scalars go first when the role becomes EntireOrganization (its
	// selected items may then go), last when it becomes SpecificObjects
	// (it needs its selected items first).
	putScalars := func() bool {
		if current.Name == plan.Name.ValueString() && current.Description == plan.Description.ValueString() && current.RoleType == plan.RoleType.ValueString() {
			return true
		}
		if err := r.client.UpdateRestoreOperatorRole(ctx, orgID, roleID, plan.Name.ValueString(), plan.Description.ValueString(), plan.RoleType.ValueString()); err != nil {
			addAPIError(diags, action, "restore operator role", err)
			return false
		}
		return true
	}
	scalarsFirst := plan.RoleType.ValueString() == vb365.RoleEntireOrganization
	if scalarsFirst && !putScalars() {
		return
	}
	// The order keeps the role valid at every step: excluded_items lose
	// their extras first (an object may move to selected_items), operators
	// and selected_items gain before they lose (never zero operators or
	// selected items), excluded_items gain last (an object may move there
	// from selected_items).
	adds := make([]memberIDs, len(roleLists))
	removes := make([][]string, len(roleLists))
	for i, l := range roleLists {
		have, err := r.client.ListRoleMembers(ctx, roleID, l.list)
		if err != nil {
			addAPIError(diags, action, "restore operator role", err)
			return
		}
		adds[i], removes[i] = memberDiff(plan.getList(l.attr).ids(ctx, l.kinds, diags), have)
		tflog.Debug(ctx, "Reconciling a restore operator role list", map[string]any{"role_id": roleID, "list": string(l.list), "add": adds[i].count(), "remove": len(removes[i])})
	}
	const operators, selected, excluded = 0, 1, 2
	steps := []struct {
		list int
		add  bool
	}{{excluded, false}, {operators, true}, {selected, true}, {operators, false}, {selected, false}, {excluded, true}}
	for _, st := range steps {
		l := roleLists[st.list]
		var err error
		if st.add {
			entries := r.entries(ctx, orgID, l.attr, adds[st.list], action, diags)
			if diags.HasError() {
				return
			}
			err = r.client.AddRoleMembers(ctx, roleID, l.list, entries)
		} else {
			err = r.client.RemoveRoleMembers(ctx, roleID, l.list, removes[st.list])
		}
		if err != nil {
			addAPIError(diags, action, "restore operator role", err)
			return
		}
	}
	if !scalarsFirst && !putScalars() {
		return
	}
	got, err := r.read(ctx, roleID, plan)
	if err != nil {
		addAPIError(diags, "read back", "restore operator role", err)
		return
	}
	if diff := roleDiff(ctx, plan, got); diff != "" {
		diags.AddError("Unable to "+action+" restore operator role",
			"After the changes, the role reads back differently from the configuration: "+diff+
				". Something else may be changing it at the same time; apply again once it is done.")
		return
	}
	diags.Append(state.Set(ctx, got)...)
}

// read returns the role as the server has it, in the prior's spelling.
func (r *restoreOperatorRoleResource) read(ctx context.Context, roleID string, prior roleModel) (roleModel, error) {
	role, err := r.client.FindRestoreOperatorRole(ctx, prior.OrganizationID.ValueString(), roleID)
	if err != nil {
		return roleModel{}, err
	}
	m := roleModel{ID: types.StringValue(role.ID), OrganizationID: types.StringValue(role.OrganizationID),
		Name: types.StringValue(role.Name), Description: types.StringValue(role.Description), RoleType: types.StringValue(role.RoleType)}
	if !prior.OrganizationID.IsNull() && strings.EqualFold(prior.OrganizationID.ValueString(), role.OrganizationID) {
		m.OrganizationID = prior.OrganizationID
	}
	if !prior.ID.IsNull() && strings.EqualFold(prior.ID.ValueString(), role.ID) {
		m.ID = prior.ID
	}
	for _, l := range roleLists {
		members, err := r.client.ListRoleMembers(ctx, roleID, l.list)
		if err != nil {
			return roleModel{}, err
		}
		m.setList(l.attr, fromServer(members, l.kinds, prior.getList(l.attr)))
	}
	return m, nil
}

// roleDiff names what differs between the plan and a read-back.
func roleDiff(ctx context.Context, plan, got roleModel) string {
	var diffs []string
	for _, a := range []struct {
		name       string
		want, have types.String
	}{{"name", plan.Name, got.Name}, {"description", plan.Description, got.Description}, {"role_type", plan.RoleType, got.RoleType}} {
		if a.want.ValueString() != a.have.ValueString() {
			diffs = append(diffs, fmt.Sprintf("%s = %q (planned %q)", a.name, a.have.ValueString(), a.want.ValueString()))
		}
	}
	var d diag.Diagnostics
	for _, l := range roleLists {
		want, have := plan.getList(l.attr).ids(ctx, l.kinds, &d), got.getList(l.attr).ids(ctx, l.kinds, &d)
		for _, k := range l.kinds {
			for _, id := range want[k] {
				if !containsFold(have[k], id) {
					diffs = append(diffs, fmt.Sprintf("%s.%s lacks %s", l.attr, kindAttr[k], id))
				}
			}
			for _, id := range have[k] {
				if !containsFold(want[k], id) {
					diffs = append(diffs, fmt.Sprintf("%s.%s also has %s", l.attr, kindAttr[k], id))
				}
			}
		}
	}
	return strings.Join(diffs, "; ")
}

func (r *restoreOperatorRoleResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var prior roleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity is set on every path, also when the role is removed (the
	// framework asks for one after any read without errors).
	setIdentity(ctx, resp.Identity, roleIdentity{ID: prior.ID}, roleIdentity.equalFold, &resp.Diagnostics)
	got, err := r.read(ctx, prior.ID.ValueString(), prior)
	if errors.Is(err, vb365.ErrNotFound) {
		tflog.Warn(ctx, "The restore operator role is gone; removing it from state so the next apply creates it again", map[string]any{"id": prior.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "read", "restore operator role", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, got)...)
	setIdentity(ctx, resp.Identity, roleIdentity{ID: got.ID}, roleIdentity.equalFold, &resp.Diagnostics)
}

func (r *restoreOperatorRoleResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior roleModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = prior.ID
	current, err := r.client.GetRestoreOperatorRole(ctx, prior.ID.ValueString())
	if err != nil {
		addAPIError(&resp.Diagnostics, "update", "restore operator role", err)
		return
	}
	r.reconcileAndReadBack(ctx, plan, current, "update", &resp.State, &resp.Diagnostics)
	setIdentity(ctx, resp.Identity, roleIdentity{ID: plan.ID}, roleIdentity.equalFold, &resp.Diagnostics)
}

func (r *restoreOperatorRoleResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state roleModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.client.DeleteRestoreOperatorRole(ctx, state.OrganizationID.ValueString(), state.ID.ValueString()); err != nil && !errors.Is(err, vb365.ErrNotFound) {
		addAPIError(&resp.Diagnostics, "delete", "restore operator role", err)
	}
}

// ImportState takes the role ID; Read fills in the rest.
func (r *restoreOperatorRoleResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if req.ID == "" && req.Identity != nil {
		// import { identity = { id = "..." } }
		var ident roleIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id = strings.TrimSpace(ident.ID.ValueString())
	}
	if id == "" || badID(id) != "" {
		resp.Diagnostics.AddError("Unable to import restore operator role",
			fmt.Sprintf("The import ID must be the role's VB365 ID (the vb365_restore_operator_roles data source lists them), not %q.", req.ID))
		return
	}
	role, err := r.client.GetRestoreOperatorRole(ctx, id)
	if err != nil {
		if errors.Is(err, vb365.ErrNotFound) {
			resp.Diagnostics.AddError("Unable to import restore operator role",
				fmt.Sprintf("VB365 has no restore operator role with ID %q. The vb365_restore_operator_roles data source lists the roles there are.", id))
			return
		}
		addAPIError(&resp.Diagnostics, "import", "restore operator role", err)
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), role.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization_id"), role.OrganizationID)...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, roleIdentity{ID: types.StringValue(role.ID)})...)
}

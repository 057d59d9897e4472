package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

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
				Validators:          roleOrganizationValidators,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace(), keepIDCase{}},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the role, unique in the organization (ignoring case), e.g. `Helpdesk`: one line, without white space at either end. " +
					"A name that another role of the organization already has is refused at apply, naming that role: import it to manage it with this configuration.",
				Required:   true,
				Validators: roleNameValidators,
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

// memberKinds maps member kinds to the client's object kinds.
var memberKinds = map[string]vb365.Kind{vb365.MemberUser: vb365.KindUser, vb365.MemberGroup: vb365.KindGroup, vb365.MemberSite: vb365.KindSite, vb365.MemberTeam: vb365.KindTeam}

// entries resolves IDs into the objects the API wants, one GET each, a
// bounded number at a time.
func (r *restoreOperatorRoleResource) entries(ctx context.Context, orgID, attr string, ids memberIDs, action string, diags *diag.Diagnostics) []vb365.Object {
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
	var out []vb365.Object
	summary := "Unable to " + action + " restore operator role"
	for i, res := range r.client.GetObjects(ctx, orgID, refs, 0) {
		kind, id, err := refKinds[i], refs[i].ID, res.Err
		switch {
		case err == nil:
			out = append(out, res.Object)
		case vb365.IsOrganizationNotFound(err):
			addOrganizationNotFound(diags, summary, "", orgID)
			return nil
		case errors.Is(err, vb365.ErrNotFound):
			diags.AddAttributeError(path.Root(attr).AtName(kindAttr[kind]), summary,
				fmt.Sprintf("%s.%s: organization %s has no %s with ID %q. The vb365_%ss data source lists them.", attr, kindAttr[kind], orgID, strings.ToLower(kind), id, strings.ToLower(kind)))
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
	var lists [3][]vb365.Object
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
		var taken *vb365.RoleNameTakenError
		switch {
		case errors.As(err, &taken):
			addRoleNameTaken(&resp.Diagnostics, taken)
		case vb365.IsOrganizationNotFound(err):
			addOrganizationNotFound(&resp.Diagnostics, "Unable to create restore operator role", "", orgID)
		default:
			addAPIError(&resp.Diagnostics, "create", "restore operator role", err)
		}
		return
	}
	// Track the role from here on: a failure below leaves it in state
	// (tainted), never orphaned on the server.
	plan.ID = types.StringValue(role.ID)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), role.ID)...)
	setIdentity(ctx, resp.Identity, roleIdentity{ID: plan.ID}, roleIdentity.equalFold, &resp.Diagnostics)
	r.reconcileAndReadBack(ctx, plan, role, "create", &resp.State, &resp.Diagnostics)
}

// addRoleNameTaken refuses a create whose name another role has, naming it
// and how to adopt it (terraform import, or an import block).
func addRoleNameTaken(diags *diag.Diagnostics, taken *vb365.RoleNameTakenError) {
	lead := fmt.Sprintf("Organization %s already has a restore operator role named %q (ID %s).", taken.OrganizationID, taken.Role.Name, taken.Role.ID)
	if taken.Cause != nil {
		lead = fmt.Sprintf("The create failed (%s), and organization %s now has a restore operator role named %q (ID %s) that is not the one "+
			"this apply sent: its description, type or members differ, so someone else made it meanwhile.", explain(taken.Cause), taken.OrganizationID, taken.Role.Name, taken.Role.ID)
	}
	diags.AddAttributeError(path.Root("name"), "Unable to create restore operator role", lead+" Role names are unique in an organization, and the provider "+
		"never takes over a role it did not create: it may be another team's grant, and this apply would rewrite who may restore whose data.\n\n"+
		"To manage that role with this configuration, import it by its ID:\n\n"+
		"  terraform import vb365_restore_operator_role.<name> "+taken.Role.ID+"\n\n"+
		"or, with Terraform 1.5 or later, with an import block:\n\n"+
		"  import {\n    to = vb365_restore_operator_role.<name>\n    id = \""+taken.Role.ID+"\"\n  }\n\n"+
		"The apply after the import makes the role what the configuration says. Otherwise give this role another name.")
}

// reconcileAndReadBack makes the role's scalars and members what plan says
// (PUT when the scalars differ; POST missing and DELETE extra members), then
// reads everything back into state and checks it against the plan.
//
// The order keeps the role valid at every step, its grant within the union
// of the old and the new one:
//  1. the scalars, when the role becomes EntireOrganization (its selected
//     items may then go);
//  2. excluded_items lose the objects that move to selected_items (the
//     server refuses one in both);
//  3. operators and selected_items gain;
//  4. operators and selected_items lose what the configuration does not
//     declare, decided on a list taken after the adds (removalPlan): when a
//     declared member does not show there, or a list would be left empty,
//     nothing is removed;
//  5. excluded_items gain, then lose the rest;
//  6. the scalars, when the role stays or becomes SpecificObjects (it
//     needs its selected items first).
func (r *restoreOperatorRoleResource) reconcileAndReadBack(ctx context.Context, plan roleModel, current *vb365.RestoreOperatorRole, action string, state stateSetter, diags *diag.Diagnostics) {
	orgID, roleID := plan.OrganizationID.ValueString(), plan.ID.ValueString()
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
	specific := plan.RoleType.ValueString() != vb365.RoleEntireOrganization
	if !specific && !putScalars() {
		return
	}
	const operators, selected, excluded = 0, 1, 2
	var want [3]memberIDs
	var have [3][]vb365.RoleMember
	var adds [3]memberIDs
	var removes [3][]string
	for i, l := range roleLists {
		want[i] = plan.getList(l.attr).ids(ctx, l.kinds, diags)
		members, err := r.client.ListRoleMembers(ctx, roleID, l.list)
		if err != nil {
			addAPIError(diags, action, "restore operator role", err)
			return
		}
		have[i] = members
		adds[i], removes[i] = memberDiff(want[i], members)
		tflog.Debug(ctx, "Reconciling a restore operator role list", map[string]any{"role_id": roleID, "list": string(l.list), "add": adds[i].count(), "remove": len(removes[i])})
	}
	add := func(i int) bool {
		if adds[i].count() == 0 {
			return true
		}
		entries := r.entries(ctx, orgID, roleLists[i].attr, adds[i], action, diags)
		if diags.HasError() {
			return false
		}
		if err := r.client.AddRoleMembers(ctx, roleID, roleLists[i].list, entries); err != nil {
			addAPIError(diags, action, "restore operator role", err)
			return false
		}
		return true
	}
	remove := func(i int, memberIDs []string) bool {
		if err := r.client.RemoveRoleMembers(ctx, roleID, roleLists[i].list, memberIDs); err != nil {
			addAPIError(diags, action, "restore operator role", err)
			return false
		}
		return true
	}
	moving, staying := movingToSelected(have[excluded], removes[excluded], want[selected])
	if !remove(excluded, moving) || !add(operators) || !add(selected) {
		return
	}
	for _, i := range []int{operators, selected} {
		if len(removes[i]) == 0 {
			continue
		}
		listed := have[i]
		if adds[i].count() > 0 {
			var err error
			if listed, err = r.client.ListRoleMembers(ctx, roleID, roleLists[i].list); err != nil {
				addAPIError(diags, action, "restore operator role", err)
				return
			}
		}
		drop, problem := removalPlan(roleLists[i], want[i], listed, i == operators || specific)
		if problem != "" {
			diags.AddAttributeError(path.Root(roleLists[i].attr), "Unable to "+action+" restore operator role", problem)
			return
		}
		if !remove(i, drop) {
			return
		}
	}
	if !add(excluded) || !remove(excluded, staying) {
		return
	}
	if specific && !putScalars() {
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

package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ resource.ResourceWithConfigure   = (*auditItemsResource)(nil)
	_ resource.ResourceWithImportState = (*auditItemsResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*auditItemsResource)(nil)
)

// NewAuditItemsResource manages the whole audit list of one organization.
func NewAuditItemsResource() resource.Resource { return &auditItemsResource{} }

type auditItemsResource struct {
	resourceClient
}

type auditItemsModel struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	UserIDs        types.Set    `tfsdk:"user_ids"`
	GroupIDs       types.Set    `tfsdk:"group_ids"`
}

func (r *auditItemsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_audit_items"
}

func (r *auditItemsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	ids := []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)), idSetValidator{}}
	keepCase := []planmodifier.Set{keepIDSetCase{}}
	empty := types.SetValueMust(types.StringType, []attr.Value{})
	resp.Schema = schema.Schema{
		MarkdownDescription: "The complete audit list of one organization (authoritative): after an apply, exactly the users in " +
			"`user_ids` and the groups in `group_ids` are audited, and nothing else. Users or groups audited by other means " +
			"(the REST API, a script, another configuration) show as drift and are removed by the next apply. Adding and removing " +
			"cost one request each, however many principals change. Destroying the resource removes every audit item of the organization.\n\n" +
			"The plan says so with a warning whenever this resource will remove what the configuration does not declare: on create, " +
			"the items the organization already has (by name, up to 20, then a count); on update, the principals that leave the list " +
			"(including those added behind Terraform's back); on destroy, that the list will be emptied. Read the warnings before " +
			"applying a plan that creates this resource over an organization someone else manages. Items of a kind this provider " +
			"does not know (neither a user nor a group) are never removed; the plan warns of them with their IDs.\n\n" +
			"~> **Do not mix** `vb365_audit_items` with `vb365_audit_item` for the same organization: this resource would remove the " +
			"items the others add, and they would add them back, on every apply.\n\n" +
			"Use `vb365_audit_items` when one configuration owns the organization's audit list and should correct any change made " +
			"outside it. Use one `vb365_audit_item` per principal when several configurations or teams each add their own principals, " +
			"or when items added by other means must be left alone.\n\n" +
			"Microsoft Teams teams cannot be audited; list the team's Microsoft 365 group in `group_ids` instead.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The organization's ID; also the import ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "VB365 ID of the organization whose audit list this is. Changing it replaces the resource " +
					"(the old organization's audit list is emptied).",
				Required:      true,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1), idValidator{}},
				PlanModifiers: []planmodifier.String{keepIDCase{}, stringplanmodifier.RequiresReplace()},
			},
			"user_ids": schema.SetAttribute{
				MarkdownDescription: "VB365 IDs of the users to audit, as the organization's user list shows them (e.g. from the " +
					"`vb365_user` data source). Default: none.",
				ElementType:   types.StringType,
				Optional:      true,
				Computed:      true,
				Default:       setdefault.StaticValue(empty),
				Validators:    ids,
				PlanModifiers: keepCase,
			},
			"group_ids": schema.SetAttribute{
				MarkdownDescription: "VB365 IDs of the groups to audit, as the organization's group list shows them. To audit a team, " +
					"list its Microsoft 365 group. Default: none.",
				ElementType:   types.StringType,
				Optional:      true,
				Computed:      true,
				Default:       setdefault.StaticValue(empty),
				Validators:    ids,
				PlanModifiers: keepCase,
			},
		},
	}
}

func setStrings(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	return out
}

// members lists the organization's audit items and works out each one's
// principal ID; knownUsers and knownGroups are the IDs the caller expects
// (configuration, state), so matching items need no extra request.
func (r *auditItemsResource) members(ctx context.Context, orgID string, knownUsers, knownGroups []string) (auditMembers, error) {
	items, err := r.client.ListAuditItems(ctx, orgID)
	if err != nil {
		return auditMembers{}, err
	}
	resolved, err := r.client.ResolveAuditPrincipalIDs(ctx, orgID, items, knownUsers, knownGroups)
	if err != nil {
		return auditMembers{}, err
	}
	return membersOf(items, resolved), nil
}

func (r *auditItemsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state auditItemsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := state.OrganizationID.ValueString()
	m, err := r.members(ctx, orgID, setStrings(ctx, state.UserIDs, &resp.Diagnostics), setStrings(ctx, state.GroupIDs, &resp.Diagnostics))
	if vb365.IsOrganizationNotFound(err) && importedState(ctx, req.Private) {
		addOrganizationNotFound(&resp.Diagnostics, "Unable to import audit items", "", orgID)
		return
	}
	if vb365.IsOrganizationNotFound(err) {
		tflog.Warn(ctx, "The organization is gone, and its audit list with it; removing vb365_audit_items from state", map[string]any{"organization_id": orgID})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "read", "audit items", err)
		return
	}
	warnUnknownItems(&resp.Diagnostics, orgID, m.other)
	state.ID = types.StringValue(orgID)
	state.UserIDs = stringSet(m.ids(false))
	state.GroupIDs = stringSet(m.ids(true))
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, nil)...)
}

func (r *auditItemsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan auditItemsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, plan, nil, nil, "create", &resp.State, &resp.Diagnostics)
}

func (r *auditItemsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state auditItemsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, plan, setStrings(ctx, state.UserIDs, &resp.Diagnostics), setStrings(ctx, state.GroupIDs, &resp.Diagnostics), "update", &resp.State, &resp.Diagnostics)
}

type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// apply makes the server's audit list exactly the plan's: the missing
// principals in one POST, the extra items in one remove, then a read-back.
func (r *auditItemsResource) apply(ctx context.Context, plan auditItemsModel, priorUsers, priorGroups []string, action string, state stateSetter, diags *diag.Diagnostics) {
	orgID := plan.OrganizationID.ValueString()
	wantUsers := setStrings(ctx, plan.UserIDs, diags)
	wantGroups := setStrings(ctx, plan.GroupIDs, diags)
	if diags.HasError() {
		return
	}
	hintsU, hintsG := append(append([]string{}, wantUsers...), priorUsers...), append(append([]string{}, wantGroups...), priorGroups...)

	m, err := r.members(ctx, orgID, hintsU, hintsG)
	if err != nil {
		addAuditListError(diags, action, orgID, err)
		return
	}
	warnUnknownItems(diags, orgID, m.other)

	// Look up every missing principal (the POST carries it as listed),
	// a bounded number at a time.
	var refs []vb365.ObjectRef
	for _, kind := range []vb365.Kind{vb365.KindUser, vb365.KindGroup} {
		want, have := wantUsers, m.users
		if kind == vb365.KindGroup {
			want, have = wantGroups, m.groups
		}
		for _, id := range want {
			if _, ok := have[strings.ToLower(id)]; !ok {
				refs = append(refs, vb365.ObjectRef{Kind: kind, ID: id})
			}
		}
	}
	var entries []vb365.Object
	for i, res := range r.client.GetObjects(ctx, orgID, refs, 0) {
		kind := string(refs[i].Kind)
		if res.Err != nil {
			addPrincipalError(diags, orgID, kind, refs[i].ID, path.Root(kind+"_ids"), action, "audit items", res.Err)
			continue
		}
		entries = append(entries, res.Object)
	}
	if diags.HasError() {
		return
	}
	extra := extraItems(m, wantUsers, wantGroups)

	tflog.Debug(ctx, "Reconciling the audit list", map[string]any{"organization_id": orgID, "add": len(entries), "remove": len(extra)})
	// Add first: a failure half-way leaves more audited, not less.
	if err := r.client.AddAuditItems(ctx, orgID, entries); err != nil {
		addAPIError(diags, action, "audit items", err)
		return
	}
	if err := r.client.RemoveAuditItems(ctx, orgID, extra); err != nil {
		if !errors.Is(err, vb365.ErrNotFound) {
			addAPIError(diags, action, "audit items", err)
			return
		}
		// An item vanished meanwhile and this server refuses unknown IDs:
		// list again and remove what is still extra.
		if m, err = r.members(ctx, orgID, hintsU, hintsG); err == nil {
			err = r.client.RemoveAuditItems(ctx, orgID, extraItems(m, wantUsers, wantGroups))
		}
		if err != nil {
			addAPIError(diags, action, "audit items", err)
			return
		}
	}

	// Read back.
	m, err = r.members(ctx, orgID, hintsU, hintsG)
	if err != nil {
		addAPIError(diags, "read back", "audit items", err)
		return
	}
	if missing, unexpected := diffMembers(m, wantUsers, wantGroups); len(missing)+len(unexpected) > 0 {
		diags.AddError(fmt.Sprintf("Unable to %s audit items", action),
			fmt.Sprintf("After the changes, the audit list of organization %s still differs from the configuration: missing %s; not configured %s. "+
				"Something else may be changing it at the same time (a vb365_audit_item resource, a script); apply again once it is done.",
				orgID, listOrNone(missing), listOrNone(unexpected)))
		return
	}
	plan.ID = types.StringValue(orgID)
	plan.UserIDs = stringSet(wantUsers)
	plan.GroupIDs = stringSet(wantGroups)
	diags.Append(state.Set(ctx, plan)...)
}

// ModifyPlan says, in the plan, what this authoritative resource will
// remove that the configuration does not declare: on create, the items the
// organization already has (managed by someone else, perhaps); on update,
// the principals that leave the list; on destroy, every item.
func (r *auditItemsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil {
		return
	}
	switch {
	case req.Plan.Raw.IsNull() && !req.State.Raw.IsNull():
		var state auditItemsModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		users, groups := setStrings(ctx, state.UserIDs, &resp.Diagnostics), setStrings(ctx, state.GroupIDs, &resp.Diagnostics)
		if n := len(users) + len(groups); n > 0 {
			resp.Diagnostics.AddWarning("Destroying vb365_audit_items removes every audit item of the organization",
				fmt.Sprintf("Organization %s will have no audit items: the %d in this configuration and any added since the last refresh are removed, "+
					"so nobody is alerted when their backed-up data is accessed.", state.OrganizationID.ValueString(), n))
		}
	case req.State.Raw.IsNull() && !req.Plan.Raw.IsNull():
		var plan auditItemsModel
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
		if plan.OrganizationID.IsUnknown() || resp.Diagnostics.HasError() {
			return
		}
		orgID := plan.OrganizationID.ValueString()
		known := !plan.UserIDs.IsUnknown() && !plan.GroupIDs.IsUnknown()
		wantU, wantG := setStrings(ctx, plan.UserIDs, &resp.Diagnostics), setStrings(ctx, plan.GroupIDs, &resp.Diagnostics)
		items, err := r.client.ListAuditItems(ctx, orgID)
		if err != nil {
			// Apply reports it; the plan stays quiet rather than fail on a
			// server that answers later.
			tflog.Debug(ctx, "Could not list the audit items to warn about removals", map[string]any{"error": err.Error()})
			return
		}
		resolved, err := r.client.ResolveAuditPrincipalIDs(ctx, orgID, items, wantU, wantG)
		if err != nil {
			return
		}
		var undeclared []string
		for _, it := range items {
			want := wantU
			if it.IsGroup() {
				want = wantG
			} else if !it.IsUser() {
				continue // left alone (warnUnknownItems)
			}
			if known && containsFold(want, resolved[it.ID]) {
				continue
			}
			name := it.PrincipalName()
			if name == "" {
				name = it.PrincipalDisplayName()
			}
			if name == "" {
				name = resolved[it.ID]
			}
			undeclared = append(undeclared, strings.ToLower(it.NormalizedType())+" "+name)
		}
		if len(undeclared) == 0 {
			return
		}
		sort.Strings(undeclared)
		qualifier := "not in this configuration"
		if !known {
			qualifier = "that the configuration (still unknown) may not name"
		}
		resp.Diagnostics.AddWarning("vb365_audit_items will remove audit items it did not create",
			fmt.Sprintf("Organization %s already has %d audit items %s; creating this authoritative resource removes them: %s. "+
				"If another configuration or a person manages them, use vb365_audit_item per principal instead, or add them here.",
				orgID, len(undeclared), qualifier, nameList(undeclared)))
	default:
		var plan, state auditItemsModel
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() || plan.UserIDs.IsUnknown() || plan.GroupIDs.IsUnknown() {
			return
		}
		var leaving []string
		for _, side := range []struct {
			kind        string
			have, plans types.Set
		}{{"user", state.UserIDs, plan.UserIDs}, {"group", state.GroupIDs, plan.GroupIDs}} {
			want := setStrings(ctx, side.plans, &resp.Diagnostics)
			for _, id := range setStrings(ctx, side.have, &resp.Diagnostics) {
				if !containsFold(want, id) {
					leaving = append(leaving, side.kind+" "+id)
				}
			}
		}
		if len(leaving) > 0 {
			sort.Strings(leaving)
			resp.Diagnostics.AddWarning("vb365_audit_items will stop auditing principals",
				fmt.Sprintf("The audit list of organization %s will lose %d principals that the configuration does not declare (removed from it, or added behind Terraform's back): %s.",
					state.OrganizationID.ValueString(), len(leaving), nameList(leaving)))
		}
	}
}

// warnUnknownItems reports items of a kind this provider does not know:
// they are left alone, and the user learns of them in the plan.
func warnUnknownItems(diags *diag.Diagnostics, orgID string, items []vb365.AuditItem) {
	if len(items) == 0 {
		return
	}
	desc := make([]string, 0, len(items))
	for _, it := range items {
		desc = append(desc, fmt.Sprintf("%s (type %q)", it.ID, it.Type))
	}
	diags.AddWarning("Audit items of an unknown kind",
		fmt.Sprintf("Organization %s has %d audit items that are neither a user nor a group as far as this provider version knows: %s. "+
			"vb365_audit_items leaves them alone (it neither removes nor manages them); a newer provider version may know their kind.",
			orgID, len(items), nameList(desc)))
}

// nameList joins up to 20 names, then says how many more there are.
func nameList(names []string) string {
	const most = 20
	if len(names) <= most {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:most], ", "), len(names)-most)
}

func (r *auditItemsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state auditItemsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := state.OrganizationID.ValueString()
	// Every item of the organization goes, in one request; then check.
	for round := 0; round < 2; round++ {
		items, err := r.client.ListAuditItems(ctx, orgID)
		if vb365.IsOrganizationNotFound(err) {
			return
		}
		if err != nil {
			addAPIError(&resp.Diagnostics, "delete", "audit items", err)
			return
		}
		if len(items) == 0 {
			return
		}
		ids := make([]string, 0, len(items))
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		if err := r.client.RemoveAuditItems(ctx, orgID, ids); err != nil && !errors.Is(err, vb365.ErrNotFound) {
			addAPIError(&resp.Diagnostics, "delete", "audit items", err)
			return
		}
	}
	items, err := r.client.ListAuditItems(ctx, orgID)
	if err == nil && len(items) > 0 {
		resp.Diagnostics.AddError("Unable to delete audit items",
			fmt.Sprintf("Organization %s still has %d audit items after removing them twice; something else keeps adding them.", orgID, len(items)))
	}
}

func (r *auditItemsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if id == "" || strings.Contains(id, "/") || badID(id) != "" {
		resp.Diagnostics.AddError("Unexpected import identifier",
			fmt.Sprintf("The import ID of vb365_audit_items is the organization's ID, <organization_id>, e.g. 6f144e6f-7f59-475f-8e1d-1bfa0b6bb020; got %q. "+
				"(%s and %s import a single vb365_audit_item.)", req.ID, auditItemUserIDForm, auditItemGroupIDForm))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, auditItemsModel{
		ID:             types.StringValue(id),
		OrganizationID: types.StringValue(id),
		UserIDs:        types.SetNull(types.StringType),
		GroupIDs:       types.SetNull(types.StringType),
	})...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, []byte(`{"v":1}`))...)
}

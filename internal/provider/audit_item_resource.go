package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ resource.ResourceWithConfigure        = (*auditItemResource)(nil)
	_ resource.ResourceWithImportState      = (*auditItemResource)(nil)
	_ resource.ResourceWithConfigValidators = (*auditItemResource)(nil)
	_ resource.ResourceWithIdentity         = (*auditItemResource)(nil)
)

// privateImported marks a state just imported, so that Read can say which
// part of the import ID was not found instead of dropping the object.
const privateImported = "imported"

// NewAuditItemResource audits one user or group of an organization.
func NewAuditItemResource() resource.Resource { return &auditItemResource{} }

type auditItemResource struct {
	resourceClient
}

type auditItemModel struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	UserID         types.String `tfsdk:"user_id"`
	GroupID        types.String `tfsdk:"group_id"`
	ItemID         types.String `tfsdk:"item_id"`
	Type           types.String `tfsdk:"type"`
	Name           types.String `tfsdk:"name"`
	DisplayName    types.String `tfsdk:"display_name"`
}

// Import and resource ID forms.
const (
	auditItemUserIDForm  = "<organization_id>/user/<user_id>"
	auditItemGroupIDForm = "<organization_id>/group/<group_id>"
)

// principal returns the kind ("user" or "group") and ID of the audited
// principal, as the configuration or state holds it.
func (m *auditItemModel) principal() (kind, id string) {
	if !m.GroupID.IsNull() && m.GroupID.ValueString() != "" {
		return "group", m.GroupID.ValueString()
	}
	return "user", m.UserID.ValueString()
}

func (m *auditItemModel) auditType() string {
	if kind, _ := m.principal(); kind == "group" {
		return vb365.AuditTypeGroup
	}
	return vb365.AuditTypeUser
}

func auditItemID(orgID, kind, principalID string) string {
	return orgID + "/" + kind + "/" + principalID
}

// parseAuditItemID splits "<organization_id>/user|group/<id>". The
// principal ID may itself hold '/' (a base64 SID), so only the first two
// separate.
func parseAuditItemID(id string) (orgID, kind, principalID string, ok bool) {
	parts := strings.SplitN(id, "/", 3)
	if len(parts) != 3 || parts[0] == "" || parts[2] == "" {
		return "", "", "", false
	}
	kind = strings.ToLower(parts[1])
	if kind != "user" && kind != "group" || badID(parts[0]) != "" || badID(parts[2]) != "" {
		return "", "", "", false
	}
	return parts[0], kind, parts[2], true
}

func (r *auditItemResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_audit_item"
}

func (r *auditItemResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Audits one user or group of an organization: VB365 then sends an audit e-mail whenever someone " +
			"restores or explores that user's or group's backed-up data (see `vb365_audit_email_settings` for where the mail goes).\n\n" +
			"Set exactly one of `user_id` and `group_id`. Microsoft Teams teams cannot be audited; audit the team's Microsoft 365 " +
			"group instead.\n\n" +
			"Use one `vb365_audit_item` per principal when different configurations (or people) add principals to the same " +
			"organization independently: each resource only looks after its own principal, and items added by other means are left alone. " +
			"To make the organization's audit list exactly what one configuration says, use `vb365_audit_items` instead; " +
			"do not use both for the same organization, as they would undo each other's changes.\n\n" +
			"If the principal is audited already, the resource adopts the existing item (a warning says so where the server reports " +
			"the duplicate), and destroying the resource stops the auditing; import it instead to make that explicit. IDs are compared " +
			"ignoring case, as VB365 does. When adding the item fails in a way that leaves its outcome unknown (a lost answer, an " +
			"interrupted apply), the resource stays in state, tainted, so that the next plan checks it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`" + auditItemUserIDForm + "` or `" + auditItemGroupIDForm + "`; also the import ID.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "VB365 ID of the organization (e.g. from the `vb365_organization` data source). Changing it replaces the resource.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1), idValidator{}},
				PlanModifiers:       []planmodifier.String{keepIDCase{}, stringplanmodifier.RequiresReplace()},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "VB365 ID of the user to audit, as the organization's user list shows it (e.g. from the `vb365_user` data source). " +
					"Conflicts with `group_id`. Changing it replaces the resource.",
				Optional:      true,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1), idValidator{}},
				PlanModifiers: []planmodifier.String{keepIDCase{}, stringplanmodifier.RequiresReplace()},
			},
			"group_id": schema.StringAttribute{
				MarkdownDescription: "VB365 ID of the group to audit, as the organization's group list shows it. To audit a team, use the ID of " +
					"the team's Microsoft 365 group. Conflicts with `user_id`. Changing it replaces the resource.",
				Optional:      true,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1), idValidator{}},
				PlanModifiers: []planmodifier.String{keepIDCase{}, stringplanmodifier.RequiresReplace()},
			},
			"item_id": schema.StringAttribute{
				MarkdownDescription: "ID VB365 gave the audit item (not the user's or group's ID).",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "`User` or `Group`.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "E-mail address of the audited user or group, e.g. `ceo@contoso.onmicrosoft.com`.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "Display name of the audited user or group.",
				Computed:            true,
				PlanModifiers:       keep,
			},
		},
	}
}

func (r *auditItemResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"organization_id": identityschema.StringAttribute{RequiredForImport: true, Description: "VB365 ID of the organization."},
			"type":            identityschema.StringAttribute{RequiredForImport: true, Description: "`user` or `group`."},
			"principal_id":    identityschema.StringAttribute{RequiredForImport: true, Description: "VB365 ID of the audited user or group (`user_id` or `group_id`)."},
		},
	}
}

func (r *auditItemResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("user_id"), path.MatchRoot("group_id")),
	}
}

// findItem returns the audit item of the resource's principal: by the
// remembered item ID first, then by principal (ID, ID segment, MSID, name).
func findItem(items []vb365.AuditItem, itemID string, p vb365.Principal) *vb365.AuditItem {
	if itemID != "" {
		for i := range items {
			if strings.EqualFold(items[i].ID, itemID) && strings.EqualFold(items[i].NormalizedType(), p.Type) {
				return &items[i]
			}
		}
	}
	return vb365.MatchAuditItem(items, p)
}

func (m *auditItemModel) setFrom(it *vb365.AuditItem) {
	orgID := m.OrganizationID.ValueString()
	kind, id := m.principal()
	// The server's spelling of the principal ID, where the list shows
	// the same ID (an import in upper case then plans no replacement).
	if emb := it.PrincipalID(); emb != id && strings.EqualFold(emb, id) {
		id = emb
		if kind == "group" {
			m.GroupID = types.StringValue(id)
		} else {
			m.UserID = types.StringValue(id)
		}
	}
	m.ID = types.StringValue(auditItemID(orgID, kind, id))
	m.ItemID = types.StringValue(it.ID)
	m.Type = types.StringValue(it.NormalizedType())
	m.Name = types.StringValue(it.PrincipalName())
	m.DisplayName = types.StringValue(it.PrincipalDisplayName())
	if kind == "group" {
		m.UserID = types.StringNull()
	} else {
		m.GroupID = types.StringNull()
	}
}

func (r *auditItemResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan auditItemModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := plan.OrganizationID.ValueString()
	kind, id := plan.principal()
	entry, principal, ok := lookupPrincipal(ctx, r.client, orgID, kind, id, path.Root(kind+"_id"), "create", "audit item", &resp.Diagnostics)
	if !ok {
		return
	}

	addErr := r.client.AddAuditItems(ctx, orgID, []vb365.Object{entry})
	if addErr != nil && !errors.Is(addErr, vb365.ErrBadRequest) {
		if vb365.MayHaveWritten(addErr) {
			// The server may have added it (the client could not confirm
			// either way): keep what is known in state, so Terraform
			// tracks the object and the next plan checks it, rather than
			// leave an audited principal that no state knows of.
			r.savePartial(ctx, plan, &resp.State, resp.Identity, &resp.Diagnostics)
		}
		addAPIError(&resp.Diagnostics, "create", "audit item", addErr)
		return
	}
	// Read back: the POST answers no ID. A server that refuses a principal
	// already audited (400) is fine when the item is there.
	items, err := r.client.ListAuditItems(ctx, orgID)
	if err != nil {
		r.savePartial(ctx, plan, &resp.State, resp.Identity, &resp.Diagnostics)
		addAPIError(&resp.Diagnostics, "read back", "audit item", err)
		return
	}
	it := vb365.MatchAuditItem(items, principal)
	switch {
	case it == nil && addErr != nil:
		addAPIError(&resp.Diagnostics, "create", "audit item", addErr)
		return
	case it == nil:
		resp.Diagnostics.AddError("Unable to create audit item",
			fmt.Sprintf("VB365 accepted the %s %s (%s) but does not list it among the audit items of organization %s. "+
				"Check that it is a user or group of that organization (teams cannot be audited), then apply again.", kind, id, principal.Name, orgID))
		return
	case addErr != nil:
		resp.Diagnostics.AddWarning("Audit item adopted",
			fmt.Sprintf("The %s %s (%s) was audited already (audit item %s), so VB365 refused to add it again; this resource now manages the existing item, "+
				"and destroying it stops the auditing. Server answer: %s", kind, id, principal.Name, it.ID, addErr))
	}
	plan.setFrom(it)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	setIdentity(ctx, resp.Identity, plan.identity(), auditItemIdentity.equalFold, &resp.Diagnostics)
}

// savePartial stores a create whose outcome is unknown: the identity is
// known, the item ID is not. Terraform keeps it (tainted, as the create
// failed); the next refresh finds the item by its principal or drops it.
func (r *auditItemResource) savePartial(ctx context.Context, plan auditItemModel, state stateSetter, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	orgID := plan.OrganizationID.ValueString()
	kind, id := plan.principal()
	plan.ID = types.StringValue(auditItemID(orgID, kind, id))
	plan.ItemID, plan.Type, plan.Name, plan.DisplayName = types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull()
	if kind == "group" {
		plan.UserID = types.StringNull()
	} else {
		plan.GroupID = types.StringNull()
	}
	diags.Append(state.Set(ctx, plan)...)
	setIdentity(ctx, identity, plan.identity(), auditItemIdentity.equalFold, diags)
}

func (r *auditItemResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state auditItemModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity is set on every path, also when the resource is removed
	// (the framework asks for one after any read without errors).
	setIdentity(ctx, resp.Identity, state.identity(), auditItemIdentity.equalFold, &resp.Diagnostics)
	orgID := state.OrganizationID.ValueString()
	kind, id := state.principal()
	items, err := r.client.ListAuditItems(ctx, orgID)
	if vb365.IsOrganizationNotFound(err) && importedState(ctx, req.Private) {
		addOrganizationNotFound(&resp.Diagnostics, "Unable to import audit item", "", orgID)
		return
	}
	if vb365.IsOrganizationNotFound(err) {
		tflog.Warn(ctx, "The organization is gone, and its audit items with it; removing the audit item from state", map[string]any{"organization_id": orgID})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "read", "audit item", err)
		return
	}
	p := vb365.Principal{Type: state.auditType(), ID: id, Name: state.Name.ValueString()}
	it := findItem(items, state.ItemID.ValueString(), p)
	if it == nil && len(items) > 0 {
		// The list may show the principal in another ID form; ask for its
		// MSID and name (one request, on a miss only).
		entry, lookupErr := r.client.GetPrincipal(ctx, orgID, vb365.Kind(kind), id)
		if lookupErr == nil {
			it = vb365.MatchAuditItem(items, entry.Principal())
		}
		if lookupErr != nil && !errors.Is(lookupErr, vb365.ErrNotFound) {
			addAPIError(&resp.Diagnostics, "read", "audit item", lookupErr)
			return
		}
	}
	if it == nil && importedState(ctx, req.Private) {
		detail := fmt.Sprintf("The %s %s of organization %s is not audited, so there is no audit item to import. Declare it without importing: apply adds it.", kind, id, orgID)
		if _, lookupErr := r.client.GetPrincipal(ctx, orgID, vb365.Kind(kind), id); errors.Is(lookupErr, vb365.ErrNotFound) {
			detail = fmt.Sprintf("Organization %s has no %s with ID %q. The vb365_%s data source finds its ID by mail address.", orgID, kind, id, kind)
		}
		resp.Diagnostics.AddError("Unable to import audit item", detail)
		return
	}
	if it == nil {
		tflog.Warn(ctx, "The audit item is gone; removing it from state so the next apply adds it again", map[string]any{
			"organization_id": orgID, kind + "_id": id,
		})
		resp.State.RemoveResource(ctx)
		return
	}
	state.setFrom(it)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	setIdentity(ctx, resp.Identity, state.identity(), auditItemIdentity.equalFold, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, nil)...)
}

// importedState reports whether the state was just imported (ImportState
// set privateImported), so that Read can say what is missing instead of
// dropping the object.
func importedState(ctx context.Context, p interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}) bool {
	b, _ := p.GetKey(ctx, privateImported)
	return len(b) > 0
}

// Update only runs for changes that need no API call: every configurable
// attribute replaces the resource.
func (r *auditItemResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan auditItemModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	setIdentity(ctx, resp.Identity, plan.identity(), auditItemIdentity.equalFold, &resp.Diagnostics)
}

func (r *auditItemResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state auditItemModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := state.OrganizationID.ValueString()
	kind, id := state.principal()
	itemID := state.ItemID.ValueString()
	if itemID == "" {
		// Not known (should not happen: Read always sets it): find it.
		items, err := r.client.ListAuditItems(ctx, orgID)
		if vb365.IsOrganizationNotFound(err) {
			return
		}
		if err != nil {
			addAPIError(&resp.Diagnostics, "delete", "audit item", err)
			return
		}
		it := vb365.MatchAuditItem(items, vb365.Principal{Type: state.auditType(), ID: id, Name: state.Name.ValueString()})
		if it == nil {
			return
		}
		itemID = it.ID
	}
	// The item ID comes from the refresh of this same command. No list
	// afterwards: with N items, N more lists would only catch the principal
	// being audited again, under a new item ID, within the same second.
	err := r.client.RemoveAuditItems(ctx, orgID, []string{itemID})
	if err != nil && !errors.Is(err, vb365.ErrNotFound) { // 404: gone already, or the organization is
		addAPIError(&resp.Diagnostics, "delete", "audit item", err)
		return
	}
	tflog.Debug(ctx, "Removed the audit item", map[string]any{"organization_id": orgID, kind + "_id": id, "item_id": itemID})
}

func (r *auditItemResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importID := req.ID
	if importID == "" && req.Identity != nil {
		// import { identity = { organization_id, type, principal_id } }
		var ident auditItemIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if t := ident.Type.ValueString(); t != "user" && t != "group" {
			resp.Diagnostics.AddError("Unexpected import identity",
				fmt.Sprintf("The type of a vb365_audit_item identity is \"user\" or \"group\", not %q.", t))
			return
		}
		importID = auditItemID(ident.OrganizationID.ValueString(), ident.Type.ValueString(), ident.PrincipalID.ValueString())
	}
	orgID, kind, id, ok := parseAuditItemID(importID)
	if !ok {
		resp.Diagnostics.AddError("Unexpected import identifier",
			fmt.Sprintf("The import ID of vb365_audit_item is %s or %s, e.g. %s/user/a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000; got %q.",
				auditItemUserIDForm, auditItemGroupIDForm, "6f144e6f-7f59-475f-8e1d-1bfa0b6bb020", importID))
		return
	}
	m := auditItemModel{
		ID:             types.StringValue(auditItemID(orgID, kind, id)),
		OrganizationID: types.StringValue(orgID),
		UserID:         types.StringNull(),
		GroupID:        types.StringNull(),
		ItemID:         types.StringNull(),
		Type:           types.StringNull(),
		Name:           types.StringNull(),
		DisplayName:    types.StringNull(),
	}
	if kind == "group" {
		m.GroupID = types.StringValue(id)
	} else {
		m.UserID = types.StringValue(id)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, m.identity())...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, []byte(`{"v":1}`))...)
}

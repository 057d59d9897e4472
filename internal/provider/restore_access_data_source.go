package provider

// vb365_restore_access: "who may restore this principal's data?" for one
// user, group, site or team of an organization. The reads and the rules are
// the client's (vb365.Client.RestoreAccessOf, restore_access_rules.go);
// this file turns the answer into state.

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ datasource.DataSourceWithConfigure        = (*restoreAccessDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*restoreAccessDataSource)(nil)
)

// NewRestoreAccessDataSource answers who may restore a principal's data.
func NewRestoreAccessDataSource() datasource.DataSource { return &restoreAccessDataSource{} }

type restoreAccessDataSource struct{ dataSourceClient }

// restoreAccessPrincipals are the arguments that name the principal, with
// the kind each names.
var restoreAccessPrincipals = []struct {
	attr string
	kind vb365.Kind
}{{"user_id", vb365.KindUser}, {"group_id", vb365.KindGroup}, {"site_id", vb365.KindSite}, {"team_id", vb365.KindTeam}}

type restoreAccessModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	UserID         types.String `tfsdk:"user_id"`
	GroupID        types.String `tfsdk:"group_id"`
	SiteID         types.String `tfsdk:"site_id"`
	TeamID         types.String `tfsdk:"team_id"`

	Name          types.String                 `tfsdk:"name"`
	DisplayName   types.String                 `tfsdk:"display_name"`
	Roles         []restoreAccessRoleModel     `tfsdk:"roles"`
	ExcludedRoles []restoreAccessRoleModel     `tfsdk:"excluded_roles"`
	Operators     []restoreAccessOperatorModel `tfsdk:"operators"`
	Audited       types.Bool                   `tfsdk:"audited"`
	AuditedReason types.String                 `tfsdk:"audited_reason"`
	AuditedVia    []string                     `tfsdk:"audited_via"`
	Protected     types.Bool                   `tfsdk:"protected"`
	Incomplete    []string                     `tfsdk:"incomplete"`
	Complete      types.Bool                   `tfsdk:"complete"`
}

type restoreAccessRoleModel struct {
	ID     types.String `tfsdk:"id"`
	Name   types.String `tfsdk:"name"`
	Reason types.String `tfsdk:"reason"`
	Via    []string     `tfsdk:"via"`
}

type restoreAccessOperatorModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	DisplayName types.String `tfsdk:"display_name"`
	Roles       []string     `tfsdk:"roles"`
	RoleIDs     []string     `tfsdk:"role_ids"`
	ViaGroups   []string     `tfsdk:"via_groups"`
}

func (d *restoreAccessDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_restore_access"
}

func restoreAccessRoleAttributes(what string) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{Computed: true, MarkdownDescription: what,
		NestedObject: schema.NestedAttributeObject{Attributes: computed(map[string]schema.Attribute{
			"via": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The chain of groups the " +
				"reason goes through, the one named in the role first, each by its mail address (else its display name, else its ID); " +
				"empty for a direct reason or `entire_organization`."},
		}, map[string]string{
			"id":   "VB365 ID of the role.",
			"name": "Name of the role.",
			"reason": "Why: `entire_organization` (the role covers the whole organization), `selected` (the principal is one of its " +
				"selected items), `selected_through_group` (a selected group holds it, through `via`), `excluded` or " +
				"`excluded_through_group` (in `excluded_roles`: the role would cover it but excludes it, itself or through `via`).",
		})}}
}

func (d *restoreAccessDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	principal := func(what string) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Validators: nonEmpty(), MarkdownDescription: "The " + what + " asked about: its VB365 ID, " +
			"as `vb365_" + what + "` gives it. Exactly one of `user_id`, `group_id`, `site_id` and `team_id`."}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Answers \"who may restore this person's data?\" for one user, group, site or team of an organization: " +
			"the restore operator roles that cover it and why, the users those roles make its operators (groups expanded), " +
			"whether an audit item covers it, and whether its data is in a backup. See the guide " +
			"[The data-access control, checked in every plan](../guides/data-access-control.md).\n\n" +
			"**The rules.** A role covers the principal when it is of type `EntireOrganization`, or selects it (directly, or a " +
			"group it belongs to, through nested groups), and does not exclude it (directly, or through a group it belongs to). " +
			"Its operators are its operator users and the users of its operator groups, through nesting. A group holds users and " +
			"groups, not sites or teams.\n\n" +
			"**Groups.** Members are read from `/Organizations/{id}/Groups/{groupId}/Members` as VB365 last synchronized them " +
			"from Microsoft Entra ID. Nested groups are followed " + fmt.Sprint(vb365.MaxGroupDepth) + " levels deep (Entra ID " +
			"sets no limit; a deeper group is named in `incomplete`, its members unread); a cycle (a group that holds, through " +
			"others, itself) is read once and ends. Each group's members are read once per Terraform run, shared by every " +
			"`vb365_restore_access` of the run.\n\n" +
			"**What the answer cannot see.** VB365 administrators restore everything without a role, and are not listed. A " +
			"change in Entra ID that VB365 has not synchronized yet is not seen. Whether VB365 evaluates a role's group when a " +
			"restore is asked, or keeps the members the group had when it went into the role, is not documented: the answer " +
			"reads the group as it is now, which differs for a member added to the group afterwards.\n\n" +
			"**What it costs.** For R roles in the organization and G groups reached (nested included): the principal (1 request), " +
			"1 role list, at most 3R role member lists (excluded items of each role, selected items of the `SpecificObjects` " +
			"ones, operators of those that cover the principal), at most G member lists, the audit list (users and groups), and " +
			"one protected-data lookup; the role list, the audit list and the member lists are shared by the run.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"user_id":         principal("user"),
			"group_id":        principal("group"),
			"site_id":         principal("site"),
			"team_id":         principal("team"),
			"name": schema.StringAttribute{Computed: true, MarkdownDescription: "The principal's mail address (user, group, team) or " +
				"URL (site)."},
			"display_name":   schema.StringAttribute{Computed: true, MarkdownDescription: "The principal's display name."},
			"roles":          restoreAccessRoleAttributes("The restore operator roles that cover the principal, sorted by name."),
			"excluded_roles": restoreAccessRoleAttributes("The roles that would cover the principal but exclude it, sorted by name."),
			"operators": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The users who may restore the principal's " +
				"data through `roles` (VB365 administrators aside), sorted by `name`.",
				NestedObject: schema.NestedAttributeObject{Attributes: computed(map[string]schema.Attribute{
					"roles":    schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Names of the roles that make it an operator, sorted."},
					"role_ids": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Their IDs, in the same order."},
					"via_groups": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The operator " +
						"groups it is an operator through, sorted; empty when every role names it directly."},
				}, map[string]string{
					"id":           "VB365 ID of the user (`/Users`); null for a group member whose answer does not link it to the user.",
					"name":         "Its mail address (or login).",
					"display_name": "Its display name.",
				})}},
			"audited": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether an audit item covers the principal, naming it " +
				"or a group that holds it; null for a site or team (audit items name users and groups)."},
			"audited_reason": schema.StringAttribute{Computed: true, MarkdownDescription: "`audited` or `audited_through_group`; null when not audited."},
			"audited_via": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The group chain " +
				"an audit item covers it through, as a role's `via`."},
			"protected": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether its data is in a backup: with REST API v8 " +
				"the protected-data lists; with v6 and v7 the licensed users (users only: null for a group, site or team)."},
			"incomplete": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "What the answer " +
				"could not see (groups nested too deep, nested groups it could not identify); empty when it saw everything VB365 holds."},
			"complete": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether `incomplete` is empty: the answer saw " +
				"every group VB365 holds (what it cannot see in any case is in the description above)."},
		},
	}
}

func (d *restoreAccessDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	var roots []path.Expression
	for _, p := range restoreAccessPrincipals {
		roots = append(roots, path.MatchRoot(p.attr))
	}
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(roots...)}
}

// principalRef is the principal the configuration names, and its argument.
func (m *restoreAccessModel) principalRef() (vb365.ObjectRef, string) {
	for i, v := range []types.String{m.UserID, m.GroupID, m.SiteID, m.TeamID} {
		if !v.IsNull() && !v.IsUnknown() {
			return vb365.ObjectRef{Kind: restoreAccessPrincipals[i].kind, ID: v.ValueString()}, restoreAccessPrincipals[i].attr
		}
	}
	return vb365.ObjectRef{}, ""
}

func (d *restoreAccessDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg restoreAccessModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	ref, attr := cfg.principalRef()
	a, err := d.client.RestoreAccessOf(ctx, orgID, ref)
	if err != nil {
		addRestoreAccessError(&resp.Diagnostics, orgID, ref, attr, err)
		return
	}
	cfg.Name, cfg.DisplayName = optional(a.Principal.Name), optional(a.Principal.DisplayName)
	cfg.Roles, cfg.ExcludedRoles = roleAccessModels(a.Roles), roleAccessModels(a.Excluded)
	cfg.Operators = make([]restoreAccessOperatorModel, 0, len(a.Operators))
	for _, o := range a.Operators {
		cfg.Operators = append(cfg.Operators, restoreAccessOperatorModel{ID: optional(o.ID), Name: types.StringValue(o.Name),
			DisplayName: optional(o.DisplayName), Roles: nonNil(o.Roles), RoleIDs: nonNil(o.RoleIDs), ViaGroups: nonNil(o.ViaGroups)})
	}
	cfg.Audited, cfg.AuditedReason, cfg.AuditedVia = types.BoolPointerValue(a.Audited), optional(a.AuditedWhy), nonNil(a.AuditedVia)
	cfg.Protected, cfg.Incomplete = types.BoolPointerValue(a.Protected), nonNil(a.Incomplete)
	cfg.Complete = types.BoolValue(len(a.Incomplete) == 0)
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

func roleAccessModels(rs []vb365.RoleAccess) []restoreAccessRoleModel {
	out := make([]restoreAccessRoleModel, 0, len(rs))
	for _, r := range rs {
		out = append(out, restoreAccessRoleModel{ID: types.StringValue(r.Role.ID), Name: types.StringValue(r.Role.Name),
			Reason: types.StringValue(r.Reason), Via: nonNil(r.Via)})
	}
	return out
}

// nonNil makes an empty list an empty list in state, not null: a `check`
// can test length() on it.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// addRestoreAccessError explains a failed answer: an unknown organization
// or principal names its attribute.
func addRestoreAccessError(diags *diag.Diagnostics, orgID string, ref vb365.ObjectRef, attr string, err error) {
	var nf *vb365.NotFoundError
	switch {
	case vb365.IsOrganizationNotFound(err):
		addOrganizationNotFound(diags, "Unable to read restore access", "", orgID)
	case errors.As(err, &nf) && nf.Kind == ref.Kind:
		diags.AddAttributeError(path.Root(attr), "Unable to read restore access",
			fmt.Sprintf("Organization %s has no %s with ID %q. IDs are opaque strings exactly as vb365_%s returns them; the %s may have "+
				"been removed from the organization.", orgID, ref.Kind, ref.ID, ref.Kind, ref.Kind))
	default:
		addAPIError(diags, "read", "restore access", err)
	}
}

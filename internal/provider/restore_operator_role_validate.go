package provider

// Plan-time checks of vb365_restore_operator_role: the validators of its
// attributes, the rules that join several of them (ValidateConfig) and
// those that need the API version (ModifyPlan). A nested attribute's
// diagnostic names its path in the detail: Terraform quotes only the
// resource's header for one, so the text must say which set it is about.

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// roleOrganizationValidators and roleNameValidators are the validators of
// organization_id and name.
var (
	roleOrganizationValidators = []validator.String{stringvalidator.LengthAtLeast(1), idValidator{}}
	roleNameValidators         = []validator.String{stringvalidator.LengthAtLeast(1), oneLineName{noun: "role name", example: "Helpdesk"}}
)

// memberSet is the schema of one member set (operators.user_ids, ...).
func memberSet(desc string) schema.SetAttribute {
	return schema.SetAttribute{
		ElementType: types.StringType, Optional: true, MarkdownDescription: desc,
		Validators: []validator.Set{memberSetValidator{}},
	}
}

// memberSetValidator checks a member set: no empty ID, every element a
// VB365 ID and no two that differ only in case (idSetValidator), each
// detail beginning with the set's path.
type memberSetValidator struct{}

func (memberSetValidator) Description(ctx context.Context) string {
	return "no element may be empty; " + idSetValidator{}.Description(ctx)
}

func (v memberSetValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (memberSetValidator) ValidateSet(ctx context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, e := range req.ConfigValue.Elements() {
		if s, ok := e.(types.String); ok && !s.IsNull() && !s.IsUnknown() && s.ValueString() == "" {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid VB365 ID",
				fmt.Sprintf("%s holds an empty ID (\"\"). Take IDs from the data sources, e.g. vb365_user, vb365_group, vb365_site or vb365_team.", req.Path))
			break
		}
	}
	var inner validator.SetResponse
	idSetValidator{}.ValidateSet(ctx, req, &inner)
	for _, d := range inner.Diagnostics {
		resp.Diagnostics.AddAttributeError(req.Path, d.Summary(), fmt.Sprintf("%s: %s", req.Path, d.Detail()))
	}
}

// oneLineName refuses a name (of a role, a job) that is only white space,
// begins or ends with white space, or holds a control character (a line
// break, a tab): the server stores such a name, but no one can tell it apart
// from another or type it in the console.
type oneLineName struct {
	noun    string // "role name"
	example string // "Helpdesk"
}

func (oneLineName) Description(context.Context) string {
	return "must be one line of text, not only white space, without white space at either end"
}

func (v oneLineName) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v oneLineName) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() == "" {
		return
	}
	summary, capital := "Invalid "+v.noun, strings.ToUpper(v.noun[:1])+v.noun[1:]
	name := req.ConfigValue.ValueString()
	if strings.TrimSpace(name) == "" {
		resp.Diagnostics.AddAttributeError(req.Path, summary,
			fmt.Sprintf("The %s is only white space. Give it a name people recognise in the VB365 console, e.g. %q.", v.noun, v.example))
		return
	}
	for i, c := range name {
		if !unicode.IsControl(c) {
			continue
		}
		what := fmt.Sprintf("the control character U+%04X", c)
		switch c {
		case '\n', '\r':
			what = "a line break"
		case '\t':
			what = "a tab"
		}
		resp.Diagnostics.AddAttributeError(req.Path, summary,
			fmt.Sprintf("The %s %q holds %s (at byte %d). A %s is one line of text: the console lists them by it.", v.noun, name, what, i, v.noun))
		return
	}
	if strings.TrimSpace(name) != name {
		resp.Diagnostics.AddAttributeError(req.Path, summary,
			fmt.Sprintf("%s %q begins or ends with white space, which no one sees in the console: write %q.", capital, name, strings.TrimSpace(name)))
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
				attr := kindAttr[kind]
				resp.Diagnostics.AddAttributeError(path.Root("excluded_items").AtName(attr), "Item both selected and excluded",
					fmt.Sprintf("%s %q is in selected_items.%s and excluded_items.%s; an object may be in one of them only.", strings.ToLower(kind), id, attr, attr))
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
				fmt.Sprintf("%s.team_ids lists teams, but VB365 REST API v6 has no teams in restore operator roles, and the provider speaks %s. "+
					"Set api_version = \"v8\" (or \"v7\") in the provider block, or select the team's Microsoft 365 group with group_ids.", attr, r.client.APIVersion()))
		}
	}
}

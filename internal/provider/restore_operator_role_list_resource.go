package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ list.ListResource              = (*restoreOperatorRoleListResource)(nil)
	_ list.ListResourceWithConfigure = (*restoreOperatorRoleListResource)(nil)
)

// NewRestoreOperatorRoleListResource lists restore operator roles as
// vb365_restore_operator_role instances (Terraform 1.14 `terraform query`).
func NewRestoreOperatorRoleListResource() list.ListResource {
	return &restoreOperatorRoleListResource{}
}

type restoreOperatorRoleListResource struct{ resourceClient }

type roleListConfig struct {
	OrganizationID types.String `tfsdk:"organization_id"`
}

func (r *restoreOperatorRoleListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_restore_operator_role"
}

func (r *restoreOperatorRoleListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists restore operator roles, one `vb365_restore_operator_role` each: those of one organization, or all of them.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				Optional:    true,
				Description: "VB365 ID of the organization whose roles to list; all roles when unset.",
				Validators:  []validator.String{idValidator{}},
			},
		},
	}
}

func (r *restoreOperatorRoleListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg roleListConfig
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	roles, err := r.client.ListRestoreOperatorRoles(ctx, orgID)
	if err != nil {
		var diags diag.Diagnostics
		addListError(&diags, "restore operator roles", orgID, err)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i, role := range roles {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = role.Name
			result.Diagnostics.Append(result.Identity.Set(ctx, roleIdentity{ID: types.StringValue(role.ID)})...)
			if req.IncludeResource {
				// The members cost three requests a role: only when asked.
				rr := restoreOperatorRoleResource{resourceClient: r.resourceClient}
				m, err := rr.read(ctx, role.ID, roleModel{OrganizationID: types.StringValue(role.OrganizationID)})
				if err != nil {
					addAPIError(&result.Diagnostics, "read", "restore operator role "+role.Name, err)
				} else {
					result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
				}
			}
			if !push(result) {
				return
			}
		}
	}
}

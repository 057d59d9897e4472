package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
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

func (r *restoreOperatorRoleListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_restore_operator_role"
}

func (r *restoreOperatorRoleListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = organizationListSchema("Lists restore operator roles, one `vb365_restore_operator_role` each: those of one organization, or all of them.",
		false, "VB365 ID of the organization whose roles to list; all roles when unset.")
}

func (r *restoreOperatorRoleListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	orgID, ok := listOrganization(ctx, req, stream)
	if !ok {
		return
	}
	roles, err := r.client.ListRestoreOperatorRoles(ctx, orgID)
	if err != nil {
		listFailed(stream, "restore operator roles", orgID, err)
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

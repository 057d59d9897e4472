package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*restoreOperatorRolesDataSource)(nil)

// NewRestoreOperatorRolesDataSource lists restore operator roles.
func NewRestoreOperatorRolesDataSource() datasource.DataSource {
	return &restoreOperatorRolesDataSource{}
}

type restoreOperatorRolesDataSource struct{ dataSourceClient }

type restoreOperatorRolesModel struct {
	OrganizationID types.String    `tfsdk:"organization_id"`
	Roles          []roleListModel `tfsdk:"roles"`
}

type roleListModel struct {
	ID             types.String `tfsdk:"id"`
	OrganizationID types.String `tfsdk:"organization_id"`
	Name           types.String `tfsdk:"name"`
	Description    types.String `tfsdk:"description"`
	RoleType       types.String `tfsdk:"role_type"`
}

func (d *restoreOperatorRolesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_restore_operator_roles"
}

func (d *restoreOperatorRolesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the restore operator roles of one organization, or of every organization. Members are not listed " +
			"(one more request per role each); import a role into `vb365_restore_operator_role` to see and manage them.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{Optional: true, Validators: []validator.String{idValidator{}},
				MarkdownDescription: "Only the roles of this organization. Default: the roles of every organization."},
			"roles": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The roles, in the server's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: computed(map[string]schema.Attribute{}, map[string]string{
					"id": "VB365 ID of the role (the import ID of `vb365_restore_operator_role`).", "organization_id": "VB365 ID of its organization.",
					"name": "Name of the role.", "description": "Its description.", "role_type": "`SpecificObjects` or `EntireOrganization`.",
				})}},
		},
	}
}

func (d *restoreOperatorRolesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg restoreOperatorRolesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	roles, err := d.client.ListRestoreOperatorRoles(ctx, orgID)
	if err != nil {
		addListError(&resp.Diagnostics, "restore operator roles", orgID, err)
		return
	}
	cfg.Roles = make([]roleListModel, 0, len(roles))
	for _, r := range roles {
		cfg.Roles = append(cfg.Roles, roleListModel{ID: types.StringValue(r.ID), OrganizationID: types.StringValue(r.OrganizationID),
			Name: types.StringValue(r.Name), Description: types.StringValue(r.Description), RoleType: types.StringValue(r.RoleType)})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

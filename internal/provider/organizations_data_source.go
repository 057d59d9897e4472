package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*organizationsDataSource)(nil)

// NewOrganizationsDataSource lists every organization VB365 protects.
func NewOrganizationsDataSource() datasource.DataSource { return &organizationsDataSource{} }

type organizationsDataSource struct {
	dataSourceClient
}

type organizationsModel struct {
	Organizations types.List `tfsdk:"organizations"`
}

// organizationAttrTypes is one element of the organizations list.
var organizationAttrTypes = map[string]attr.Type{
	"id":          types.StringType,
	"name":        types.StringType,
	"office_name": types.StringType,
	"type":        types.StringType,
	"region":      types.StringType,
	"description": types.StringType,
}

func (d *organizationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organizations"
}

func (d *organizationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every Microsoft 365, on-premises or hybrid organization added to VB365.",
		Attributes: map[string]schema.Attribute{
			"organizations": schema.ListNestedAttribute{
				MarkdownDescription: "The organizations, in the server's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":          schema.StringAttribute{Computed: true, MarkdownDescription: "VB365 ID of the organization; `organization_id` of the other data sources and resources."},
						"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Name of the organization, e.g. `contoso.onmicrosoft.com`."},
						"office_name": schema.StringAttribute{Computed: true, MarkdownDescription: "Microsoft 365 name of the organization."},
						"type":        schema.StringAttribute{Computed: true, MarkdownDescription: "`Office365`, `OnPremises` or `Hybrid`."},
						"region":      schema.StringAttribute{Computed: true, MarkdownDescription: "Microsoft 365 region: `Worldwide`, `Germany`, `China`, `USDefence` or `USGovernment`."},
						"description": schema.StringAttribute{Computed: true, MarkdownDescription: "Description entered in VB365 (empty before v7)."},
					},
				},
			},
		},
	}
}

func (d *organizationsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	orgs, err := d.client.ListOrganizations(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "read", "organizations", err)
		return
	}
	elems := make([]attr.Value, 0, len(orgs))
	for _, o := range orgs {
		obj, diags := types.ObjectValue(organizationAttrTypes, map[string]attr.Value{
			"id":          types.StringValue(o.ID),
			"name":        types.StringValue(o.Name),
			"office_name": types.StringValue(o.OfficeName),
			"type":        types.StringValue(o.Type),
			"region":      types.StringValue(o.Region),
			"description": types.StringValue(o.Description),
		})
		resp.Diagnostics.Append(diags...)
		elems = append(elems, obj)
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: organizationAttrTypes}, elems)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, organizationsModel{Organizations: list})...)
}

package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ datasource.DataSourceWithConfigure        = (*organizationDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*organizationDataSource)(nil)
)

// NewOrganizationDataSource finds one organization by ID or name.
func NewOrganizationDataSource() datasource.DataSource { return &organizationDataSource{} }

type organizationDataSource struct {
	dataSourceClient
}

type organizationModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	OfficeName  types.String `tfsdk:"office_name"`
	Type        types.String `tfsdk:"type"`
	Region      types.String `tfsdk:"region"`
	Description types.String `tfsdk:"description"`
	MSID        types.String `tfsdk:"msid"`
}

func (d *organizationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_organization"
}

func (d *organizationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds one organization added to VB365, by `id` or by `name`. Exactly one of the two must be set.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "VB365 ID of the organization.",
				Optional:            true,
				Computed:            true,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the organization, e.g. `contoso.onmicrosoft.com`, matched ignoring case against the name and the Microsoft 365 name.",
				Optional:            true,
				Computed:            true,
			},
			"office_name": schema.StringAttribute{Computed: true, MarkdownDescription: "Microsoft 365 name of the organization."},
			"type":        schema.StringAttribute{Computed: true, MarkdownDescription: "`Office365`, `OnPremises` or `Hybrid`."},
			"region":      schema.StringAttribute{Computed: true, MarkdownDescription: "Microsoft 365 region, e.g. `Worldwide`."},
			"description": schema.StringAttribute{Computed: true, MarkdownDescription: "Description entered in VB365 (empty before v7)."},
			"msid":        schema.StringAttribute{Computed: true, MarkdownDescription: "Microsoft Entra tenant ID (v8; empty before)."},
		},
	}
}

func (d *organizationDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *organizationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg organizationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var (
		org *vb365.Organization
		err error
	)
	if !cfg.ID.IsNull() {
		org, err = d.client.GetOrganization(ctx, cfg.ID.ValueString())
		if errors.Is(err, vb365.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Unable to find organization",
				organizationNotFoundDetail(cfg.ID.ValueString()))
			return
		}
	} else {
		org, err = d.client.FindOrganizationByName(ctx, cfg.Name.ValueString())
		if errors.Is(err, vb365.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Unable to find organization",
				fmt.Sprintf("VB365 has no organization named %q. The vb365_organizations data source lists the organizations there are.", cfg.Name.ValueString()))
			return
		}
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "read", "organization", err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, organizationModel{
		ID:          types.StringValue(org.ID),
		Name:        types.StringValue(org.Name),
		OfficeName:  types.StringValue(org.OfficeName),
		Type:        types.StringValue(org.Type),
		Region:      types.StringValue(org.Region),
		Description: types.StringValue(org.Description),
		MSID:        types.StringValue(org.MSID),
	})...)
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ datasource.DataSourceWithConfigure        = (*groupDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*groupDataSource)(nil)
)

// NewGroupDataSource finds one group of an organization by ID, name or display name.
func NewGroupDataSource() datasource.DataSource { return &groupDataSource{} }

type groupDataSource struct {
	dataSourceClient
}

type groupModel struct {
	principalKeys
	Type          types.String `tfsdk:"type"`
	LocationType  types.String `tfsdk:"location_type"`
	ManagedBy     types.String `tfsdk:"managed_by"`
	Site          types.String `tfsdk:"site"`
	MSID          types.String `tfsdk:"msid"`
	OnPremisesSID types.String `tfsdk:"on_premises_sid"`
}

func (d *groupDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_group"
}

func (d *groupDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: lookupDescription("group"),
		Attributes: computed(lookupAttributes(
			descGroupID,
			"Mail address of the group, e.g. `HR@contoso.onmicrosoft.com`, matched ignoring case. Empty when found by another attribute and the group has none.",
			"Display name of the group, e.g. `HR`. Matched in full, ignoring case; `*` and `?` are wildcards (`Fin*`), in which case exactly one group must match.",
		), map[string]string{
			"type":            descGroupType,
			"location_type":   descLocationType,
			"managed_by":      descGroupManagedBy,
			"site":            descGroupSite,
			"msid":            "Microsoft Entra object ID of the group (v8; empty before).",
			"on_premises_sid": "Security identifier of the on-premises Active Directory group of a hybrid or on-premises group (v7 and later); empty for cloud groups.",
		}),
	}
}

func (d *groupDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return exactlyOneKey()
}

func (d *groupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg groupModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	g := principalLookup[vb365.Group]{kind: "group", byID: d.client.GetGroup, byName: d.client.FindGroupByName, byDisplayName: d.client.FindGroupByDisplayName}.
		find(ctx, cfg.principalKeys, &resp.Diagnostics)
	if g == nil {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, groupModel{
		principalKeys: found(cfg.OrganizationID, g.ID, g.Name, g.DisplayName),
		Type:          types.StringValue(g.Type),
		LocationType:  types.StringValue(g.LocationType),
		ManagedBy:     types.StringValue(g.ManagedBy),
		Site:          types.StringValue(g.Site),
		MSID:          types.StringValue(g.MSID),
		OnPremisesSID: types.StringValue(g.OnPremisesSID),
	})...)
}

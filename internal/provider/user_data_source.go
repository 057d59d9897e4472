package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ datasource.DataSourceWithConfigure        = (*userDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*userDataSource)(nil)
)

// NewUserDataSource finds one user of an organization by ID, name or display name.
func NewUserDataSource() datasource.DataSource { return &userDataSource{} }

type userDataSource struct {
	dataSourceClient
}

type userModel struct {
	principalKeys
	Type          types.String `tfsdk:"type"`
	LocationType  types.String `tfsdk:"location_type"`
	Office        types.String `tfsdk:"office"`
	MSID          types.String `tfsdk:"msid"`
	OnPremisesSID types.String `tfsdk:"on_premises_sid"`
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: lookupDescription("user"),
		Attributes: computed(lookupAttributes(
			descUserID,
			descUserName+" Matched ignoring case.",
			"Display name of the user, e.g. `Adele Vance`. Matched in full, ignoring case; `*` and `?` are wildcards (`Adele*`), in which case exactly one user must match.",
		), map[string]string{
			"type":            descUserType,
			"location_type":   descLocationType,
			"office":          descOffice,
			"msid":            "Microsoft Entra object ID of the user (v8; empty before).",
			"on_premises_sid": "Security identifier of the on-premises Active Directory account of a hybrid or on-premises user (v7 and later); empty for cloud users.",
		}),
	}
}

func (d *userDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return exactlyOneKey()
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg userModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	u := principalLookup[vb365.User]{kind: "user", byID: d.client.GetUser, byName: d.client.FindUserByName, byDisplayName: d.client.FindUserByDisplayName}.
		find(ctx, cfg.principalKeys, &resp.Diagnostics)
	if u == nil {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, userModel{
		principalKeys: found(cfg.OrganizationID, u.ID, u.Name, u.DisplayName),
		Type:          types.StringValue(u.Type),
		LocationType:  types.StringValue(u.LocationType),
		Office:        types.StringValue(u.Office),
		MSID:          types.StringValue(u.MSID),
		OnPremisesSID: types.StringValue(u.OnPremisesSID),
	})...)
}

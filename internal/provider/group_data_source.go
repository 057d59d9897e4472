package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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
	client *vb365.Client
}

type groupModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	ID             types.String `tfsdk:"id"`
	Name           types.String `tfsdk:"name"`
	DisplayName    types.String `tfsdk:"display_name"`
	Type           types.String `tfsdk:"type"`
	LocationType   types.String `tfsdk:"location_type"`
	ManagedBy      types.String `tfsdk:"managed_by"`
	Site           types.String `tfsdk:"site"`
	MSID           types.String `tfsdk:"msid"`
	OnPremisesSID  types.String `tfsdk:"on_premises_sid"`
}

func (d *groupDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_group"
}

func (d *groupDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	nonEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds one group of an organization by `id`, `name` (mail address) or `display_name`; exactly one of the three must be set. " +
			"The lookup is filtered by the VB365 server, so it costs one request (two when nothing is found by `id`) whatever the size of the organization. " +
			"It fails when no group matches, and when several groups match a display name (the error lists them).",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: descOrganizationID,
				Required:            true,
				Validators:          nonEmpty,
			},
			"id": schema.StringAttribute{
				MarkdownDescription: descGroupID,
				Optional:            true,
				Computed:            true,
				Validators:          nonEmpty,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Mail address of the group, e.g. `HR@contoso.onmicrosoft.com`, matched ignoring case. Empty when found by another attribute and the group has none.",
				Optional:            true,
				Computed:            true,
				Validators:          nonEmpty,
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "Display name of the group, e.g. `HR`. Matched in full, ignoring case; `*` and `?` are wildcards (`Fin*`), in which case exactly one group must match.",
				Optional:            true,
				Computed:            true,
				Validators:          nonEmpty,
			},
			"type":            schema.StringAttribute{Computed: true, MarkdownDescription: descGroupType},
			"location_type":   schema.StringAttribute{Computed: true, MarkdownDescription: descLocationType},
			"managed_by":      schema.StringAttribute{Computed: true, MarkdownDescription: descGroupManagedBy},
			"site":            schema.StringAttribute{Computed: true, MarkdownDescription: descGroupSite},
			"msid":            schema.StringAttribute{Computed: true, MarkdownDescription: "Microsoft Entra object ID of the group (v8; empty before)."},
			"on_premises_sid": schema.StringAttribute{Computed: true, MarkdownDescription: "Security identifier of the on-premises Active Directory group of a hybrid or on-premises group (v7 and later); empty for cloud groups."},
		},
	}
}

func (d *groupDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"), path.MatchRoot("display_name")),
	}
}

func (d *groupDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *groupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg groupModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	var (
		g   *vb365.Group
		err error
		by  lookupKey
	)
	switch {
	case !cfg.ID.IsNull():
		by = lookupKey{attr: "id", value: cfg.ID.ValueString()}
		g, err = d.client.GetGroup(ctx, orgID, by.value)
	case !cfg.Name.IsNull():
		by = lookupKey{attr: "name", value: cfg.Name.ValueString()}
		g, err = d.client.FindGroupByName(ctx, orgID, by.value)
	default:
		by = lookupKey{attr: "display_name", value: cfg.DisplayName.ValueString()}
		g, err = d.client.FindGroupByDisplayName(ctx, orgID, by.value)
	}
	if err != nil {
		addLookupError(&resp.Diagnostics, "group", orgID, by, err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, groupModel{
		OrganizationID: cfg.OrganizationID,
		ID:             types.StringValue(g.ID),
		Name:           types.StringValue(g.Name),
		DisplayName:    types.StringValue(g.DisplayName),
		Type:           types.StringValue(g.Type),
		LocationType:   types.StringValue(g.LocationType),
		ManagedBy:      types.StringValue(g.ManagedBy),
		Site:           types.StringValue(g.Site),
		MSID:           types.StringValue(g.MSID),
		OnPremisesSID:  types.StringValue(g.OnPremisesSID),
	})...)
}

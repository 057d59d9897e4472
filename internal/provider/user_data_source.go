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
	_ datasource.DataSourceWithConfigure        = (*userDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*userDataSource)(nil)
)

// NewUserDataSource finds one user of an organization by ID, name or display name.
func NewUserDataSource() datasource.DataSource { return &userDataSource{} }

type userDataSource struct {
	client *vb365.Client
}

type userModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	ID             types.String `tfsdk:"id"`
	Name           types.String `tfsdk:"name"`
	DisplayName    types.String `tfsdk:"display_name"`
	Type           types.String `tfsdk:"type"`
	LocationType   types.String `tfsdk:"location_type"`
	Office         types.String `tfsdk:"office"`
	MSID           types.String `tfsdk:"msid"`
	OnPremisesSID  types.String `tfsdk:"on_premises_sid"`
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	nonEmpty := []validator.String{stringvalidator.LengthAtLeast(1)}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds one user of an organization by `id`, `name` (mail address) or `display_name`; exactly one of the three must be set. " +
			"The lookup is filtered by the VB365 server, so it costs one request (two when nothing is found by `id`) whatever the size of the organization. " +
			"It fails when no user matches, and when several users match a display name (the error lists them).",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: descOrganizationID,
				Required:            true,
				Validators:          nonEmpty,
			},
			"id": schema.StringAttribute{
				MarkdownDescription: descUserID,
				Optional:            true,
				Computed:            true,
				Validators:          nonEmpty,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: descUserName + " Matched ignoring case.",
				Optional:            true,
				Computed:            true,
				Validators:          nonEmpty,
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "Display name of the user, e.g. `Adele Vance`. Matched in full, ignoring case; `*` and `?` are wildcards (`Adele*`), in which case exactly one user must match.",
				Optional:            true,
				Computed:            true,
				Validators:          nonEmpty,
			},
			"type":            schema.StringAttribute{Computed: true, MarkdownDescription: descUserType},
			"location_type":   schema.StringAttribute{Computed: true, MarkdownDescription: descLocationType},
			"office":          schema.StringAttribute{Computed: true, MarkdownDescription: descOffice},
			"msid":            schema.StringAttribute{Computed: true, MarkdownDescription: "Microsoft Entra object ID of the user (v8; empty before)."},
			"on_premises_sid": schema.StringAttribute{Computed: true, MarkdownDescription: "Security identifier of the on-premises Active Directory account of a hybrid or on-premises user (v7 and later); empty for cloud users."},
		},
	}
}

func (d *userDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"), path.MatchRoot("display_name")),
	}
}

func (d *userDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg userModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	var (
		u   *vb365.User
		err error
		by  lookupKey
	)
	switch {
	case !cfg.ID.IsNull():
		by = lookupKey{attr: "id", value: cfg.ID.ValueString()}
		u, err = d.client.GetUser(ctx, orgID, by.value)
	case !cfg.Name.IsNull():
		by = lookupKey{attr: "name", value: cfg.Name.ValueString()}
		u, err = d.client.FindUserByName(ctx, orgID, by.value)
	default:
		by = lookupKey{attr: "display_name", value: cfg.DisplayName.ValueString()}
		u, err = d.client.FindUserByDisplayName(ctx, orgID, by.value)
	}
	if err != nil {
		addLookupError(&resp.Diagnostics, "user", orgID, by, err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, userModel{
		OrganizationID: cfg.OrganizationID,
		ID:             types.StringValue(u.ID),
		Name:           types.StringValue(u.Name),
		DisplayName:    types.StringValue(u.DisplayName),
		Type:           types.StringValue(u.Type),
		LocationType:   types.StringValue(u.LocationType),
		Office:         types.StringValue(u.Office),
		MSID:           types.StringValue(u.MSID),
		OnPremisesSID:  types.StringValue(u.OnPremisesSID),
	})...)
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var _ datasource.DataSourceWithConfigure = (*usersDataSource)(nil)

// NewUsersDataSource lists the users of an organization, filtered on the server.
func NewUsersDataSource() datasource.DataSource { return &usersDataSource{} }

type usersDataSource struct {
	client *vb365.Client
}

type usersModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	UserName       types.String `tfsdk:"user_name"`
	DisplayName    types.String `tfsdk:"display_name"`
	LocationFilter types.String `tfsdk:"location_filter"`
	Users          types.List   `tfsdk:"users"`
}

// userAttrTypes is one element of the users list.
var userAttrTypes = map[string]attr.Type{
	"id":            types.StringType,
	"name":          types.StringType,
	"display_name":  types.StringType,
	"type":          types.StringType,
	"location_type": types.StringType,
	"office":        types.StringType,
}

// Descriptions shared by vb365_users and vb365_user.
const (
	descOrganizationID = "VB365 ID of the organization, e.g. from the `vb365_organization` data source."
	descUserID         = "VB365 ID of the user: an opaque string (for a Microsoft 365 user the Entra object ID followed by a zero GUID; for a hybrid user a SID is appended). Not a UUID."
	descUserName       = "Mail address (user principal name) of the user, e.g. `AdeleV@contoso.onmicrosoft.com`."
	descUserType       = "`User`, `Shared` or `Public` (mailbox kind); empty when the server sends none."
	descLocationType   = "Where the account lives: `Cloud`, `OnPremises` or `Hybrid`."
	descOffice         = "Office location of the user (v7 and later; empty before)."
	descLocationFilter = "Keeps only accounts by where they live: `Cloud`, `OnPremises`, `Hybrid`, `CloudOrHybrid`, `OnPremisesOrHybrid` or `Any`. Applied by the server; useful for hybrid organizations."
)

func locationFilterAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: descLocationFilter,
		Optional:            true,
		Validators:          []validator.String{stringvalidator.OneOf(vb365.LocationFilters...)},
	}
}

func (d *usersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_users"
}

func (d *usersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the users of an organization. The filters are applied by the VB365 server, and every page of the " +
			"answer is read, so an organization of any size is listed completely. To look up one user, `vb365_user` is cheaper.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: descOrganizationID,
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"user_name": schema.StringAttribute{
				MarkdownDescription: "Keeps only the user with this mail address, e.g. `AdeleV@contoso.onmicrosoft.com` (matched by the server, ignoring case).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "Keeps only users whose display name matches; `*` matches any run of characters and `?` one character, e.g. `Adele*`. Without wildcards the display name must match in full. Matched by the server, ignoring case.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"location_filter": locationFilterAttribute(),
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "The matching users, in the server's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":            schema.StringAttribute{Computed: true, MarkdownDescription: descUserID},
						"name":          schema.StringAttribute{Computed: true, MarkdownDescription: descUserName},
						"display_name":  schema.StringAttribute{Computed: true, MarkdownDescription: "Display name of the user, e.g. `Adele Vance`."},
						"type":          schema.StringAttribute{Computed: true, MarkdownDescription: descUserType},
						"location_type": schema.StringAttribute{Computed: true, MarkdownDescription: descLocationType},
						"office":        schema.StringAttribute{Computed: true, MarkdownDescription: descOffice},
					},
				},
			},
		},
	}
}

func (d *usersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *usersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg usersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	users, err := d.client.ListUsers(ctx, orgID, vb365.UserFilter{
		UserName:       cfg.UserName.ValueString(),
		DisplayName:    cfg.DisplayName.ValueString(),
		LocationFilter: cfg.LocationFilter.ValueString(),
	})
	if err != nil {
		addListError(&resp.Diagnostics, "users", orgID, err)
		return
	}
	elems := make([]attr.Value, len(users))
	for i := range users {
		u := &users[i]
		obj, diags := types.ObjectValue(userAttrTypes, map[string]attr.Value{
			"id":            types.StringValue(u.ID),
			"name":          types.StringValue(u.Name),
			"display_name":  types.StringValue(u.DisplayName),
			"type":          types.StringValue(u.Type),
			"location_type": types.StringValue(u.LocationType),
			"office":        types.StringValue(u.Office),
		})
		if diags.HasError() {
			resp.Diagnostics.Append(diags...)
			return
		}
		elems[i] = obj
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: userAttrTypes}, elems)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.Users = list
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

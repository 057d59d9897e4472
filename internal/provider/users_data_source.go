package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var _ datasource.DataSourceWithConfigure = (*usersDataSource)(nil)

// NewUsersDataSource lists the users of an organization, filtered on the server.
func NewUsersDataSource() datasource.DataSource { return &usersDataSource{} }

type usersDataSource struct {
	dataSourceClient
}

type usersModel struct {
	OrganizationID types.String   `tfsdk:"organization_id"`
	UserName       types.String   `tfsdk:"user_name"`
	DisplayName    types.String   `tfsdk:"display_name"`
	LocationFilter types.String   `tfsdk:"location_filter"`
	Users          []userListItem `tfsdk:"users"`
}

// userListItem is one element of users.
type userListItem struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	DisplayName  types.String `tfsdk:"display_name"`
	Type         types.String `tfsdk:"type"`
	LocationType types.String `tfsdk:"location_type"`
	Office       types.String `tfsdk:"office"`
}

// Descriptions shared by vb365_users and vb365_user.
const (
	descUserID   = "VB365 ID of the user: an opaque string (for a Microsoft 365 user the Entra object ID followed by a zero GUID; for a hybrid user a SID is appended). Not a UUID."
	descUserName = "Mail address (user principal name) of the user, e.g. `AdeleV@contoso.onmicrosoft.com`."
	descUserType = "`User`, `Shared` or `Public` (mailbox kind); empty when the server sends none."
	descOffice   = "Office location of the user (v7 and later; empty before)."
)

func (d *usersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_users"
}

func (d *usersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the users of an organization. The filters are applied by the VB365 server, and every page of the " +
			"answer is read, so an organization of any size is listed completely. To look up one user, `vb365_user` is cheaper.",
		Attributes: usersAttributes(),
	}
}

func usersAttributes() map[string]schema.Attribute {
	attrs := listFilterAttributes("user_name",
		"Keeps only the user with this mail address, e.g. `AdeleV@contoso.onmicrosoft.com` (matched by the server, ignoring case).",
		"Keeps only users whose display name matches; `*` matches any run of characters and `?` one character, e.g. `Adele*`. Without wildcards the display name must match in full. Matched by the server, ignoring case.")
	attrs["users"] = schema.ListNestedAttribute{
		MarkdownDescription: "The matching users, in the server's order.",
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{
			Attributes: computed(map[string]schema.Attribute{}, map[string]string{
				"id":            descUserID,
				"name":          descUserName,
				"display_name":  "Display name of the user, e.g. `Adele Vance`.",
				"type":          descUserType,
				"location_type": descLocationType,
				"office":        descOffice,
			}),
		},
	}
	return attrs
}

// Read is the framework's path, taken when the streamed read cannot answer
// (streamed_read.go); both must send the same state, byte for byte
// (TestStreamedReadMatchesStateSet).
func (d *usersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg usersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || refuseLocationFilter(d.client, cfg.LocationFilter, &resp.Diagnostics) {
		return
	}
	users, err := d.client.ListUsers(ctx, cfg.OrganizationID.ValueString(), cfg.filter())
	if err != nil {
		addListError(&resp.Diagnostics, "users", cfg.OrganizationID.ValueString(), err)
		return
	}
	cfg.Users = make([]userListItem, len(users))
	for i, u := range users {
		cfg.Users[i] = userListItem{
			ID: types.StringValue(u.ID), Name: types.StringValue(u.Name), DisplayName: types.StringValue(u.DisplayName),
			Type: types.StringValue(u.Type), LocationType: types.StringValue(u.LocationType), Office: types.StringValue(u.Office),
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// streamUsers is Read for the streamed read: it encodes each page of users
// as it arrives.
func streamUsers(ctx context.Context, c *vb365.Client, config tfsdk.Config, out *listEncoder) diag.Diagnostics {
	var cfg usersModel
	diags := config.Get(ctx, &cfg)
	if diags.HasError() || refuseLocationFilter(c, cfg.LocationFilter, &diags) {
		return diags
	}
	out.top = cfg.top()
	row := rowEncoder(out, userColumns)
	err := c.EachUserPage(ctx, cfg.OrganizationID.ValueString(), cfg.filter(), func(p []vb365.User) error {
		for i := range p {
			row(&p[i])
		}
		return nil
	})
	if err != nil {
		addListError(&diags, "users", cfg.OrganizationID.ValueString(), err)
	}
	return diags
}

// userColumns are the attributes of one element of users, for the streamed
// read; a column the schema lacks or misses sends the read to the framework.
var userColumns = []column[vb365.User]{
	{"id", func(u *vb365.User) string { return u.ID }},
	{"name", func(u *vb365.User) string { return u.Name }},
	{"display_name", func(u *vb365.User) string { return u.DisplayName }},
	{"type", func(u *vb365.User) string { return u.Type }},
	{"location_type", func(u *vb365.User) string { return u.LocationType }},
	{"office", func(u *vb365.User) string { return u.Office }},
}

func (m *usersModel) filter() vb365.UserFilter {
	return vb365.UserFilter{UserName: m.UserName.ValueString(), DisplayName: m.DisplayName.ValueString(), LocationFilter: m.LocationFilter.ValueString()}
}

// top is the configuration the state repeats.
func (m *usersModel) top() map[string]types.String {
	return map[string]types.String{
		"organization_id": m.OrganizationID, "user_name": m.UserName,
		"display_name": m.DisplayName, "location_filter": m.LocationFilter,
	}
}

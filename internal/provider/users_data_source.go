package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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
	// Built directly, not with State.Set: over 100,000 users the
	// reflection was most of the time and memory (fast_state.go).
	resp.Diagnostics.Append(fastListState(ctx, &resp.State, map[string]types.String{
		"organization_id": cfg.OrganizationID, "user_name": cfg.UserName,
		"display_name": cfg.DisplayName, "location_filter": cfg.LocationFilter,
	}, "users", len(users), []stringField{
		{"id", func(i int) string { return users[i].ID }},
		{"name", func(i int) string { return users[i].Name }},
		{"display_name", func(i int) string { return users[i].DisplayName }},
		{"type", func(i int) string { return users[i].Type }},
		{"location_type", func(i int) string { return users[i].LocationType }},
		{"office", func(i int) string { return users[i].Office }},
	})...)
}

package provider

// vb365_restore_portal_settings: whether the Restore Portal is on, and the
// Microsoft Entra application it signs in with.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*restorePortalSettingsDataSource)(nil)

// NewRestorePortalSettingsDataSource reads the Restore Portal settings.
func NewRestorePortalSettingsDataSource() datasource.DataSource {
	return &restorePortalSettingsDataSource{}
}

type restorePortalSettingsDataSource struct{ dataSourceClient }

type restorePortalSettingsModel struct {
	Enabled       types.Bool   `tfsdk:"enabled"`
	ApplicationID types.String `tfsdk:"application_id"`
	AuthorityURL  types.String `tfsdk:"authority_url"`
	PortalURL     types.String `tfsdk:"portal_url"`
}

func (d *restorePortalSettingsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_restore_portal_settings"
}

func (d *restorePortalSettingsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the Restore Portal settings (`GET /RestorePortalSettings`): whether the portal where restore " +
			"operators and users restore backed-up data in a browser is on, and which Microsoft Entra application it uses. " +
			"The REST API has no way to change them in any version (PowerShell's `Set-VBORestorePortalSettings` does), so " +
			"a configuration pins them with a `check` block. The route is anonymous: reading it signs in to nothing, so a " +
			"walk that reads only this data source asks the token endpoint nothing.",
		Attributes: map[string]schema.Attribute{
			"enabled": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the Restore Portal is on."},
			"application_id": schema.StringAttribute{Computed: true, MarkdownDescription: "ID of the Microsoft Entra application " +
				"the portal signs its users in with, as the server sends it: a server whose portal was never configured may send " +
				"the zero GUID `00000000-0000-0000-0000-000000000000`, or null."},
			"authority_url": schema.StringAttribute{Computed: true, MarkdownDescription: "Where the portal's users sign in to " +
				"Microsoft 365 (`msalAuthorityUri`); null when the server sends none."},
			"portal_url": schema.StringAttribute{Computed: true, MarkdownDescription: "The portal's address (`restorePortalUri`); " +
				"null when the server sends none, and always with `api_version = \"v6\"`, whose answer has no such field."},
		},
	}
}

func (d *restorePortalSettingsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	s, err := d.client.GetRestorePortalSettings(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "read", "the Restore Portal settings", err)
		return
	}
	m := restorePortalSettingsModel{Enabled: types.BoolValue(s.IsEnabled), ApplicationID: optional(s.ApplicationID),
		AuthorityURL: optional(s.AuthorityURI), PortalURL: types.StringPointerValue(s.PortalURI)}
	if s.PortalURI != nil && *s.PortalURI == "" {
		m.PortalURL = types.StringNull()
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*backupProxiesDataSource)(nil)

// NewBackupProxiesDataSource lists the backup proxies.
func NewBackupProxiesDataSource() datasource.DataSource { return &backupProxiesDataSource{} }

type backupProxiesDataSource struct {
	dataSourceClient
}

type backupProxyModel struct {
	ID                   types.String `tfsdk:"id"`
	HostName             types.String `tfsdk:"host_name"`
	FQDN                 types.String `tfsdk:"fqdn"`
	Description          types.String `tfsdk:"description"`
	Port                 types.Int64  `tfsdk:"port"`
	Type                 types.String `tfsdk:"type"`
	Status               types.String `tfsdk:"status"`
	MaintenanceModeState types.String `tfsdk:"maintenance_mode_state"`
	ProxyPoolID          types.String `tfsdk:"proxy_pool_id"`
	OperatingSystem      types.String `tfsdk:"operating_system"`
	Version              types.String `tfsdk:"version"`
}

type backupProxiesModel struct {
	Proxies []backupProxyModel `tfsdk:"proxies"`
}

func (d *backupProxiesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_proxies"
}

func (d *backupProxiesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(d string) schema.Attribute { return schema.StringAttribute{Computed: true, MarkdownDescription: d} }
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the backup proxies and their state. REST API v6 and later. On v6 and v7 the provider asks for " +
			"the plain view (`extendedView=false`), so the server does not contact every proxy for settings not shown here.",
		Attributes: map[string]schema.Attribute{
			"proxies": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The proxies, in the server's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":                     str("VB365 ID of the proxy; `proxy_id` of `vb365_backup_repositories`."),
					"host_name":              str("Host name of the proxy as added to VB365."),
					"fqdn":                   str("Fully qualified domain name (v7 and later; empty in v6)."),
					"description":            str("Description entered in VB365."),
					"port":                   schema.Int64Attribute{Computed: true, MarkdownDescription: "Port the server reaches the proxy on; null when the server does not say."},
					"type":                   str("Account type the server reaches the proxy with: `Local`, `Domain` or `Workgroup`."),
					"status":                 str("State of the proxy: `Online` or `Offline`."),
					"maintenance_mode_state": str("`Disabled`, `Enabling` or `Enabled` (v8; empty before)."),
					"proxy_pool_id":          str("ID of the proxy pool the proxy is in (v8; empty before, and when it is in none)."),
					"operating_system":       str("`Windows` or `Linux` (v8; empty before)."),
					"version":                str("Version of the proxy's software (v8; empty before)."),
				}},
			},
		},
	}
}

func (d *backupProxiesDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	proxies, err := d.client.ListProxies(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "read", "backup proxies", err)
		return
	}
	out := backupProxiesModel{Proxies: make([]backupProxyModel, 0, len(proxies))}
	for _, p := range proxies {
		port := types.Int64Null()
		if p.Port != nil {
			port = types.Int64Value(int64(*p.Port))
		}
		out.Proxies = append(out.Proxies, backupProxyModel{
			ID: types.StringValue(p.ID), HostName: types.StringValue(p.HostName), FQDN: types.StringValue(p.FQDN),
			Description: types.StringValue(p.Description), Port: port, Type: types.StringValue(p.Type),
			Status: types.StringValue(p.Status), MaintenanceModeState: types.StringValue(p.MaintenanceModeState),
			ProxyPoolID: types.StringValue(p.ProxyPoolID), OperatingSystem: types.StringValue(p.OperatingSystem),
			Version: types.StringValue(p.Version),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, out)...)
}

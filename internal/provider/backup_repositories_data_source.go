package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var _ datasource.DataSourceWithConfigure = (*backupRepositoriesDataSource)(nil)

// NewBackupRepositoriesDataSource lists the backup repositories.
func NewBackupRepositoriesDataSource() datasource.DataSource { return &backupRepositoriesDataSource{} }

type backupRepositoriesDataSource struct {
	dataSourceClient
}

type backupRepositoriesModel struct {
	ProxyID        types.String            `tfsdk:"proxy_id"`
	OrganizationID types.String            `tfsdk:"organization_id"`
	LongTerm       types.Bool              `tfsdk:"long_term"`
	Repositories   []backupRepositoryModel `tfsdk:"repositories"`
}

func (d *backupRepositoriesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_repositories"
}

func (d *backupRepositoriesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the backup repositories, with their retention, encryption, immutability, object storage and " +
			"space. REST API v6 and later. Each filter is applied by the provider too, so a server that ignores one cannot widen the list.",
		Attributes: map[string]schema.Attribute{
			"proxy_id": schema.StringAttribute{Optional: true, MarkdownDescription: "Only the repositories of this backup proxy (ignoring case).",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
			"organization_id": schema.StringAttribute{Optional: true, MarkdownDescription: "Only the repositories assigned to this organization. " +
				"REST API v8 (repositories carry no organization before): refused on v6 and v7.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
			"long_term": schema.BoolAttribute{Optional: true, MarkdownDescription: "`true`: only the long-term (archive tier) repositories; " +
				"`false`: only the others; unset: all of them."},
			"repositories": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The repositories, in the server's order.",
				NestedObject:        schema.NestedAttributeObject{Attributes: backupRepositoryAttributes()},
			},
		},
	}
}

func (d *backupRepositoriesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg backupRepositoriesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	repos, err := d.client.ListBackupRepositories(ctx, vb365.BackupRepositoryFilter{
		ProxyID:        cfg.ProxyID.ValueString(),
		OrganizationID: cfg.OrganizationID.ValueString(),
		LongTerm:       cfg.LongTerm.ValueBoolPointer(),
	})
	switch {
	case errors.Is(err, vb365.ErrUnsupported) && !cfg.OrganizationID.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("organization_id"), "Unable to read backup repositories",
			"Filtering backup repositories by organization needs REST API v8: repositories carry no organization before. "+
				"Remove organization_id, or set api_version = \"v8\" for a v8 server.\n\n"+err.Error())
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, "read", "backup repositories", err)
		return
	}
	cfg.Repositories = make([]backupRepositoryModel, 0, len(repos))
	for i := range repos {
		cfg.Repositories = append(cfg.Repositories, backupRepositoryValue(&repos[i]))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

package provider

// vb365_sites and vb365_site: the SharePoint sites of an organization.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ datasource.DataSourceWithConfigure        = (*sitesDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*siteDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*siteDataSource)(nil)
)

const descSiteID = "VB365 ID of the site: two GUIDs written together (72 characters), an opaque string. Not a UUID."

// siteAttrs are the attributes of one site, as vb365_site and each element
// of vb365_sites have them.
type siteAttrs struct {
	URL        types.String `tfsdk:"url"`
	Title      types.String `tfsdk:"title"`
	ParentURL  types.String `tfsdk:"parent_url"`
	IsCloud    types.Bool   `tfsdk:"is_cloud"`
	IsPersonal types.Bool   `tfsdk:"is_personal"`
}

func siteAttrsOf(s *vb365.Site) siteAttrs {
	return siteAttrs{URL: types.StringValue(s.URL), Title: types.StringValue(s.Title), ParentURL: optional(s.ParentURL),
		IsCloud: types.BoolValue(s.IsCloud), IsPersonal: types.BoolValue(s.IsPersonal)}
}

// siteAttributes are their schema; url is a lookup key in vb365_site.
func siteAttributes(urlKey bool) map[string]schema.Attribute {
	url := schema.StringAttribute{Computed: true, MarkdownDescription: "URL of the site, e.g. `https://contoso.sharepoint.com/sites/HR`."}
	if urlKey {
		url = schema.StringAttribute{Optional: true, Computed: true, Validators: nonEmpty(),
			MarkdownDescription: "URL of the site, e.g. `https://contoso.sharepoint.com/sites/HR`; matched in full, ignoring case and a trailing `/`. Personal (OneDrive) sites are searched too."}
	}
	return map[string]schema.Attribute{
		"url":         url,
		"title":       schema.StringAttribute{Computed: true, MarkdownDescription: "Title of the site."},
		"parent_url":  schema.StringAttribute{Computed: true, MarkdownDescription: "URL of the parent site of a subsite; null for a top-level site."},
		"is_cloud":    schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the site is in SharePoint Online (rather than on-premises)."},
		"is_personal": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether it is a personal (OneDrive) site."},
	}
}

// ---- vb365_sites ----

// NewSitesDataSource lists the sites of an organization.
func NewSitesDataSource() datasource.DataSource { return &sitesDataSource{} }

type sitesDataSource struct{ dataSourceClient }

type sitesModel struct {
	OrganizationID       types.String    `tfsdk:"organization_id"`
	IncludePersonalSites types.Bool      `tfsdk:"include_personal_sites"`
	Sites                []siteListModel `tfsdk:"sites"`
}

type siteListModel struct {
	ID types.String `tfsdk:"id"`
	siteAttrs
}

func (d *sitesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sites"
}

func (d *sitesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	item := siteAttributes(false)
	item["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: descSiteID}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the SharePoint sites of an organization, every page, in the server's order. " +
			"To find one site by URL, `vb365_site` is simpler.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"include_personal_sites": schema.BoolAttribute{Optional: true,
				MarkdownDescription: "Also list personal (OneDrive) sites, which the server leaves out by default. Default `false`."},
			"sites": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The sites.",
				NestedObject: schema.NestedAttributeObject{Attributes: item}},
		},
	}
}

func (d *sitesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg sitesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	sites, err := d.client.ListSites(ctx, orgID, vb365.SiteFilter{IncludePersonalSites: cfg.IncludePersonalSites.ValueBool()})
	if err != nil {
		addListError(&resp.Diagnostics, "sites", orgID, err)
		return
	}
	cfg.Sites = make([]siteListModel, 0, len(sites))
	for i := range sites {
		cfg.Sites = append(cfg.Sites, siteListModel{ID: types.StringValue(sites[i].ID), siteAttrs: siteAttrsOf(&sites[i])})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

// ---- vb365_site ----

// NewSiteDataSource finds one site by ID or URL.
func NewSiteDataSource() datasource.DataSource { return &siteDataSource{} }

type siteDataSource struct{ dataSourceClient }

type siteModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	ID             types.String `tfsdk:"id"`
	siteAttrs
}

func (d *siteDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_site"
}

func (d *siteDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := siteAttributes(true)
	attrs["organization_id"] = organizationIDAttribute()
	attrs["id"] = schema.StringAttribute{Optional: true, Computed: true, Validators: nonEmpty(), MarkdownDescription: descSiteID}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds one SharePoint site of an organization by `id` or `url`; exactly one of the two must be set. " +
			"By `id` it costs one request; by `url` it reads the site list (the server has no URL filter). It fails when no site matches.",
		Attributes: attrs,
	}
}

func (d *siteDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("url"))}
}

func (d *siteDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg siteModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	var (
		s   *vb365.Site
		err error
		by  lookupKey
	)
	if !cfg.ID.IsNull() {
		by = lookupKey{attr: "id", value: cfg.ID.ValueString()}
		s, err = d.client.GetSite(ctx, orgID, by.value)
	} else {
		by = lookupKey{attr: "url", value: cfg.URL.ValueString()}
		s, err = d.client.FindSiteByURL(ctx, orgID, by.value)
	}
	if err != nil {
		addLookupError(&resp.Diagnostics, "site", orgID, by, err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, siteModel{OrganizationID: cfg.OrganizationID, ID: types.StringValue(s.ID), siteAttrs: siteAttrsOf(s)})...)
}

package provider

// vb365_protected_groups, vb365_protected_sites and vb365_protected_teams:
// the groups, sites and teams whose data is in a backup (API v8), and what
// the protected-data data sources share (the filters, the v8 check). The
// users, which v6 and v7 answer too, are in protected_user_data_sources.go.

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ datasource.DataSourceWithConfigure = (*protectedGroupsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*protectedSitesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*protectedTeamsDataSource)(nil)
)

// protectedFilter is the arguments every protected-data list has.
type protectedFilter struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	RepositoryID   types.String `tfsdk:"repository_id"`
}

func (f protectedFilter) api() vb365.ProtectedFilter {
	return vb365.ProtectedFilter{OrganizationID: f.OrganizationID.ValueString(), RepositoryID: f.RepositoryID.ValueString()}
}

// protectedFilterAttributes are their schema.
func protectedFilterAttributes(what string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"organization_id": schema.StringAttribute{Optional: true, Validators: []validator.String{idValidator{}},
			MarkdownDescription: "Only the " + what + " of this organization (its VB365 ID, as `vb365_organization` gives it). Default: every organization."},
		"repository_id": schema.StringAttribute{Optional: true, Validators: []validator.String{idValidator{}},
			MarkdownDescription: "Only the " + what + " whose backup is in this backup repository (its VB365 ID). Needs `api_version = \"v8\"`."},
	}
}

// needsProtectedData refuses an attribute of the protected users' data
// sources that only REST API v8 can answer (repository_id, msid), before
// any request, naming api_version and the attribute. A whole type that
// needs v8 is refused by the version gate (needs(FeatureProtectedData, ...)
// in provider.go) before its Read runs.
func needsProtectedData(diags *diag.Diagnostics, c *vb365.Client, summary, what string, attr path.Path) bool {
	if c.APIVersion().SupportsProtectedData() {
		return true
	}
	detail := fmt.Sprintf("%s comes from the protected-data lists of the VB365 REST API (/ProtectedUsers, /ProtectedGroups, "+
		"/ProtectedSites, /ProtectedTeams), which exist from REST API v8 (VB365 8); the provider speaks %s (api_version).\n\n"+
		"Set api_version = \"v8\" in the provider block if the server runs VB365 8. With v6 and v7, vb365_protected_users and "+
		"vb365_protected_user answer from the licensed users, for users only.", what, c.APIVersion())
	diags.AddAttributeError(attr, summary, detail)
	return false
}

// addProtectedListError reports a failed read of a protected-data list.
func addProtectedListError(diags *diag.Diagnostics, what string, f vb365.ProtectedFilter, err error) {
	if vb365.IsOrganizationNotFound(err) {
		addOrganizationNotFound(diags, "Unable to read "+what, "", f.OrganizationID)
		return
	}
	addAPIError(diags, "read", what, err)
}

// urlsOf returns the URLs of protected sites or OneDrives; null for none.
func urlsOf[T any](items []T, url func(*T) string) []string {
	if len(items) == 0 {
		return nil
	}
	out := make([]string, len(items))
	for i := range items {
		out[i] = url(&items[i])
	}
	return out
}

func siteURL(s *vb365.ProtectedSite) string { return s.URL }

// primaryEmail is the address of a protected user's or group's primary
// (not archive) mailbox; "" when there is none.
func primaryEmail(ms []vb365.ProtectedMailbox) string {
	for _, m := range ms {
		if !m.IsArchive {
			return m.Email
		}
	}
	return ""
}

// ---- vb365_protected_groups ----

// NewProtectedGroupsDataSource lists the protected groups.
func NewProtectedGroupsDataSource() datasource.DataSource { return &protectedGroupsDataSource{} }

type protectedGroupsDataSource struct{ dataSourceClient }

type protectedGroupsModel struct {
	protectedFilter
	Groups []protectedGroupModel `tfsdk:"groups"`
}

type protectedGroupModel struct {
	ID             types.String `tfsdk:"id"`
	MSID           types.String `tfsdk:"msid"`
	DisplayName    types.String `tfsdk:"display_name"`
	Email          types.String `tfsdk:"email"`
	OrganizationID types.String `tfsdk:"organization_id"`
	Mailbox        types.Bool   `tfsdk:"mailbox"`
	SiteURLs       []string     `tfsdk:"site_urls"`
}

func (d *protectedGroupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_protected_groups"
}

func (d *protectedGroupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	item := computed(map[string]schema.Attribute{
		"mailbox":   schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the group's mailbox is in the backup."},
		"site_urls": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The group's sites in the backup; null for none."},
	}, map[string]string{
		"id":              "ID of the protected group, as `/ProtectedGroups` gives it (not necessarily its `/Groups` ID: join by `msid`).",
		"msid":            "The group's Microsoft Entra object ID: the key that joins it to `vb365_group` and `vb365_groups`.",
		"display_name":    "Display name of the group.",
		"email":           "Address of the group's protected mailbox; null when its mailbox is not in the backup.",
		"organization_id": "VB365 ID of its organization.",
	})
	attrs := protectedFilterAttributes("groups")
	attrs["groups"] = schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The protected groups, in the server's order.",
		NestedObject: schema.NestedAttributeObject{Attributes: item}}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the groups whose data (their mailbox, their sites) is in a backup, from `/ProtectedGroups`: " +
			"every page, 10,000 a request. Needs REST API v8 (`api_version = \"v8\"`); with v6 and v7 it fails at plan time saying so. " +
			"Group members' own data is listed by `vb365_protected_users`.",
		Attributes: attrs,
	}
}

func (d *protectedGroupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg protectedGroupsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	groups, err := d.client.ListProtectedGroups(ctx, cfg.api())
	if err != nil {
		addProtectedListError(&resp.Diagnostics, "protected groups", cfg.api(), err)
		return
	}
	cfg.Groups = make([]protectedGroupModel, 0, len(groups))
	for i := range groups {
		g := &groups[i]
		cfg.Groups = append(cfg.Groups, protectedGroupModel{ID: types.StringValue(g.ID), MSID: optional(g.MSID), DisplayName: types.StringValue(g.DisplayName),
			Email: optional(primaryEmail(g.Mailboxes)), OrganizationID: optional(g.OrganizationID), Mailbox: types.BoolValue(len(g.Mailboxes) > 0),
			SiteURLs: urlsOf(g.Sites, siteURL)})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

// ---- vb365_protected_sites ----

// NewProtectedSitesDataSource lists the protected sites.
func NewProtectedSitesDataSource() datasource.DataSource { return &protectedSitesDataSource{} }

type protectedSitesDataSource struct{ dataSourceClient }

type protectedSitesModel struct {
	protectedFilter
	Sites []protectedSiteModel `tfsdk:"sites"`
}

type protectedSiteModel struct {
	ID             types.String `tfsdk:"id"`
	MSID           types.String `tfsdk:"msid"`
	DisplayName    types.String `tfsdk:"display_name"`
	URL            types.String `tfsdk:"url"`
	OrganizationID types.String `tfsdk:"organization_id"`
}

func (d *protectedSitesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_protected_sites"
}

func (d *protectedSitesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := protectedFilterAttributes("sites")
	attrs["sites"] = schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The protected sites, in the server's order.",
		NestedObject: schema.NestedAttributeObject{Attributes: computed(map[string]schema.Attribute{}, map[string]string{
			"id":              "ID of the protected site, as `/ProtectedSites` gives it.",
			"msid":            "The site's Microsoft ID.",
			"display_name":    "Title of the site.",
			"url":             "URL of the site: the key that joins it to `vb365_site` (compare ignoring case and a trailing `/`).",
			"organization_id": "VB365 ID of its organization.",
		})}}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the SharePoint sites whose data is in a backup, from `/ProtectedSites`: every page, 10,000 a " +
			"request. Needs REST API v8 (`api_version = \"v8\"`); with v6 and v7 it fails at plan time saying so.",
		Attributes: attrs,
	}
}

func (d *protectedSitesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg protectedSitesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sites, err := d.client.ListProtectedSites(ctx, cfg.api())
	if err != nil {
		addProtectedListError(&resp.Diagnostics, "protected sites", cfg.api(), err)
		return
	}
	cfg.Sites = make([]protectedSiteModel, 0, len(sites))
	for _, s := range sites {
		cfg.Sites = append(cfg.Sites, protectedSiteModel{ID: types.StringValue(s.ID), MSID: optional(s.MSID), DisplayName: types.StringValue(s.DisplayName),
			URL: types.StringValue(s.URL), OrganizationID: optional(s.OrganizationID)})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

// ---- vb365_protected_teams ----

// NewProtectedTeamsDataSource lists the protected teams.
func NewProtectedTeamsDataSource() datasource.DataSource { return &protectedTeamsDataSource{} }

type protectedTeamsDataSource struct{ dataSourceClient }

type protectedTeamsModel struct {
	protectedFilter
	Teams []protectedTeamModel `tfsdk:"teams"`
}

type protectedTeamModel struct {
	ID             types.String `tfsdk:"id"`
	MSID           types.String `tfsdk:"msid"`
	DisplayName    types.String `tfsdk:"display_name"`
	Description    types.String `tfsdk:"description"`
	OrganizationID types.String `tfsdk:"organization_id"`
}

func (d *protectedTeamsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_protected_teams"
}

func (d *protectedTeamsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := protectedFilterAttributes("teams")
	attrs["teams"] = schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The protected teams, in the server's order.",
		NestedObject: schema.NestedAttributeObject{Attributes: computed(map[string]schema.Attribute{}, map[string]string{
			"id":              "ID of the protected team (a GUID): the team's ID, as `vb365_team` gives it.",
			"msid":            "The team's Microsoft Entra object ID.",
			"display_name":    "Display name of the team.",
			"description":     "Description of the team.",
			"organization_id": "VB365 ID of its organization.",
		})}}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Microsoft Teams teams whose data is in a backup, from `/ProtectedTeams`: every page, " +
			"10,000 a request. Needs REST API v8 (`api_version = \"v8\"`); with v6 and v7 it fails at plan time saying so.",
		Attributes: attrs,
	}
}

func (d *protectedTeamsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg protectedTeamsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	teams, err := d.client.ListProtectedTeams(ctx, cfg.api())
	if err != nil {
		addProtectedListError(&resp.Diagnostics, "protected teams", cfg.api(), err)
		return
	}
	cfg.Teams = make([]protectedTeamModel, 0, len(teams))
	for _, t := range teams {
		cfg.Teams = append(cfg.Teams, protectedTeamModel{ID: types.StringValue(t.ID), MSID: optional(t.MSID), DisplayName: types.StringValue(t.DisplayName),
			Description: optional(t.Description), OrganizationID: optional(t.OrganizationID)})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

package provider

// vb365_teams and vb365_team: the Microsoft Teams teams of an organization.

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
	_ datasource.DataSourceWithConfigure        = (*teamsDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*teamDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*teamDataSource)(nil)
)

const (
	descTeamID          = "VB365 ID of the team (a GUID, as VB365 reports it)."
	descTeamDisplayName = "Display name of the team, e.g. `Sales`."
	descTeamMail        = "Mail address of the team's Microsoft 365 group, e.g. `Sales@contoso.onmicrosoft.com`."
	descTeamDescription = "Description of the team; empty when it has none."
)

type teamModel struct {
	ID          types.String `tfsdk:"id"`
	DisplayName types.String `tfsdk:"display_name"`
	Description types.String `tfsdk:"description"`
	Mail        types.String `tfsdk:"mail"`
}

func teamModelOf(t *vb365.Team) teamModel {
	return teamModel{ID: types.StringValue(t.ID), DisplayName: types.StringValue(t.DisplayName),
		Description: types.StringValue(t.Description), Mail: types.StringValue(t.Mail)}
}

// ---- vb365_teams ----

// NewTeamsDataSource lists the teams of an organization.
func NewTeamsDataSource() datasource.DataSource { return &teamsDataSource{} }

type teamsDataSource struct{ dataSourceClient }

type teamsModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	DisplayName    types.String `tfsdk:"display_name"`
	Teams          []teamModel  `tfsdk:"teams"`
}

func (d *teamsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_teams"
}

func (d *teamsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Microsoft Teams teams of an organization, filtered by the server, every page, in the server's order. " +
			"To find one team, `vb365_team` is simpler.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"display_name": schema.StringAttribute{Optional: true, Validators: nonEmpty(),
				MarkdownDescription: "Keeps only teams whose display name matches; `*` matches any run of characters and `?` one character, e.g. `Sales*`. Without wildcards the display name must match in full. Matched by the server, ignoring case."},
			"teams": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The matching teams.",
				NestedObject: schema.NestedAttributeObject{Attributes: computed(map[string]schema.Attribute{}, map[string]string{
					"id": descTeamID, "display_name": descTeamDisplayName, "description": descTeamDescription, "mail": descTeamMail,
				})}},
		},
	}
}

func (d *teamsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg teamsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	teams, err := d.client.ListTeams(ctx, orgID, cfg.DisplayName.ValueString())
	if err != nil {
		addListError(&resp.Diagnostics, "teams", orgID, err)
		return
	}
	cfg.Teams = make([]teamModel, 0, len(teams))
	for i := range teams {
		cfg.Teams = append(cfg.Teams, teamModelOf(&teams[i]))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

// ---- vb365_team ----

// NewTeamDataSource finds one team by ID, display name or mail address.
func NewTeamDataSource() datasource.DataSource { return &teamDataSource{} }

type teamDataSource struct{ dataSourceClient }

type oneTeamModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	teamModel
}

func (d *teamDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_team"
}

func (d *teamDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	key := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Computed: true, Validators: nonEmpty(), MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds one Microsoft Teams team of an organization by `id`, `display_name` or `mail`; exactly one of the three must be set. " +
			"By `id` or `display_name` the server filters; by `mail` the team list is read (the server has no mail filter). " +
			"It fails when no team matches, and when several teams match a display name (the error lists them).",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationIDAttribute(),
			"id":              key(descTeamID),
			"display_name":    key(descTeamDisplayName + " Matched in full, ignoring case; `*` and `?` are wildcards, in which case exactly one team must match."),
			"mail":            key(descTeamMail + " Matched ignoring case."),
			"description":     schema.StringAttribute{Computed: true, MarkdownDescription: descTeamDescription},
		},
	}
}

func (d *teamDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name"), path.MatchRoot("mail")),
	}
}

func (d *teamDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg oneTeamModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	var (
		t   *vb365.Team
		err error
		by  lookupKey
	)
	switch {
	case !cfg.ID.IsNull():
		by = lookupKey{attr: "id", value: cfg.ID.ValueString()}
		t, err = d.client.GetTeam(ctx, orgID, by.value)
	case !cfg.Mail.IsNull():
		by = lookupKey{attr: "mail", value: cfg.Mail.ValueString()}
		t, err = d.client.FindTeamByMail(ctx, orgID, by.value)
	default:
		by = lookupKey{attr: "display_name", value: cfg.DisplayName.ValueString()}
		t, err = d.client.FindTeamByDisplayName(ctx, orgID, by.value)
	}
	if err != nil {
		addLookupError(&resp.Diagnostics, "team", orgID, by, err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, oneTeamModel{OrganizationID: cfg.OrganizationID, teamModel: teamModelOf(t)})...)
}

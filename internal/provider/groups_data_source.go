package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var _ datasource.DataSourceWithConfigure = (*groupsDataSource)(nil)

// NewGroupsDataSource lists the groups of an organization, filtered on the server.
func NewGroupsDataSource() datasource.DataSource { return &groupsDataSource{} }

type groupsDataSource struct {
	dataSourceClient
}

type groupsModel struct {
	OrganizationID types.String    `tfsdk:"organization_id"`
	GroupName      types.String    `tfsdk:"group_name"`
	DisplayName    types.String    `tfsdk:"display_name"`
	LocationFilter types.String    `tfsdk:"location_filter"`
	Groups         []groupListItem `tfsdk:"groups"`
}

// groupListItem is one element of groups.
type groupListItem struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	DisplayName  types.String `tfsdk:"display_name"`
	Type         types.String `tfsdk:"type"`
	LocationType types.String `tfsdk:"location_type"`
	ManagedBy    types.String `tfsdk:"managed_by"`
	Site         types.String `tfsdk:"site"`
}

// Descriptions shared by vb365_groups and vb365_group.
const (
	descGroupID        = "VB365 ID of the group: an opaque string (the Entra object ID followed by a zero GUID, with a SID appended for hybrid groups). Not a UUID."
	descGroupName      = "Mail address of the group, e.g. `HR@contoso.onmicrosoft.com`; empty for groups without one."
	descGroupType      = "`Office365`, `Security`, `Distribution` or `DynamicDistribution`; empty when the server sends none."
	descGroupManagedBy = "Owner of the group as VB365 reports it, e.g. `MeganB`; empty when none."
	descGroupSite      = "URL of the SharePoint site of a Microsoft 365 group; empty for other groups."
)

func (d *groupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_groups"
}

func (d *groupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the groups of an organization. The filters are applied by the VB365 server, and every page of the " +
			"answer is read. To look up one group, `vb365_group` is cheaper.",
		Attributes: groupsAttributes(),
	}
}

func groupsAttributes() map[string]schema.Attribute {
	attrs := listFilterAttributes("group_name",
		"Keeps only the group with this mail address, e.g. `HR@contoso.onmicrosoft.com` (matched by the server, ignoring case).",
		"Keeps only groups whose display name matches; `*` matches any run of characters and `?` one character, e.g. `Fin*`. Without wildcards the display name must match in full. Matched by the server, ignoring case.")
	attrs["groups"] = schema.ListNestedAttribute{
		MarkdownDescription: "The matching groups, in the server's order.",
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{
			Attributes: computed(map[string]schema.Attribute{}, map[string]string{
				"id":            descGroupID,
				"name":          descGroupName,
				"display_name":  "Display name of the group, e.g. `HR`.",
				"type":          descGroupType,
				"location_type": descLocationType,
				"managed_by":    descGroupManagedBy,
				"site":          descGroupSite,
			}),
		},
	}
	return attrs
}

func (d *groupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg groupsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || refuseLocationFilter(d.client, cfg.LocationFilter, &resp.Diagnostics) {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	groups, err := d.client.ListGroups(ctx, orgID, vb365.GroupFilter{
		GroupName:      cfg.GroupName.ValueString(),
		DisplayName:    cfg.DisplayName.ValueString(),
		LocationFilter: cfg.LocationFilter.ValueString(),
	})
	if err != nil {
		addListError(&resp.Diagnostics, "groups", orgID, err)
		return
	}
	cfg.Groups = make([]groupListItem, 0, len(groups))
	for _, g := range groups {
		cfg.Groups = append(cfg.Groups, groupListItem{
			ID:           types.StringValue(g.ID),
			Name:         types.StringValue(g.Name),
			DisplayName:  types.StringValue(g.DisplayName),
			Type:         types.StringValue(g.Type),
			LocationType: types.StringValue(g.LocationType),
			ManagedBy:    types.StringValue(g.ManagedBy),
			Site:         types.StringValue(g.Site),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

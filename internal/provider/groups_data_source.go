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

var _ datasource.DataSourceWithConfigure = (*groupsDataSource)(nil)

// NewGroupsDataSource lists the groups of an organization, filtered on the server.
func NewGroupsDataSource() datasource.DataSource { return &groupsDataSource{} }

type groupsDataSource struct {
	client *vb365.Client
}

type groupsModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	GroupName      types.String `tfsdk:"group_name"`
	DisplayName    types.String `tfsdk:"display_name"`
	LocationFilter types.String `tfsdk:"location_filter"`
	Groups         types.List   `tfsdk:"groups"`
}

// groupAttrTypes is one element of the groups list.
var groupAttrTypes = map[string]attr.Type{
	"id":            types.StringType,
	"name":          types.StringType,
	"display_name":  types.StringType,
	"type":          types.StringType,
	"location_type": types.StringType,
	"managed_by":    types.StringType,
	"site":          types.StringType,
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
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: descOrganizationID,
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"group_name": schema.StringAttribute{
				MarkdownDescription: "Keeps only the group with this mail address, e.g. `HR@contoso.onmicrosoft.com` (matched by the server, ignoring case).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "Keeps only groups whose display name matches; `*` matches any run of characters and `?` one character, e.g. `Fin*`. Without wildcards the display name must match in full. Matched by the server, ignoring case.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"location_filter": locationFilterAttribute(),
			"groups": schema.ListNestedAttribute{
				MarkdownDescription: "The matching groups, in the server's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":            schema.StringAttribute{Computed: true, MarkdownDescription: descGroupID},
						"name":          schema.StringAttribute{Computed: true, MarkdownDescription: descGroupName},
						"display_name":  schema.StringAttribute{Computed: true, MarkdownDescription: "Display name of the group, e.g. `HR`."},
						"type":          schema.StringAttribute{Computed: true, MarkdownDescription: descGroupType},
						"location_type": schema.StringAttribute{Computed: true, MarkdownDescription: descLocationType},
						"managed_by":    schema.StringAttribute{Computed: true, MarkdownDescription: descGroupManagedBy},
						"site":          schema.StringAttribute{Computed: true, MarkdownDescription: descGroupSite},
					},
				},
			},
		},
	}
}

func (d *groupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *groupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg groupsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
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
	elems := make([]attr.Value, len(groups))
	for i := range groups {
		g := &groups[i]
		obj, diags := types.ObjectValue(groupAttrTypes, map[string]attr.Value{
			"id":            types.StringValue(g.ID),
			"name":          types.StringValue(g.Name),
			"display_name":  types.StringValue(g.DisplayName),
			"type":          types.StringValue(g.Type),
			"location_type": types.StringValue(g.LocationType),
			"managed_by":    types.StringValue(g.ManagedBy),
			"site":          types.StringValue(g.Site),
		})
		if diags.HasError() {
			resp.Diagnostics.Append(diags...)
			return
		}
		elems[i] = obj
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: groupAttrTypes}, elems)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.Groups = list
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

package provider

// Pieces shared by the user and group data sources (vb365_user, vb365_users,
// vb365_group, vb365_groups): descriptions, attributes and the lookup of one
// principal by id, name or display_name.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

const (
	descOrganizationID = "VB365 ID of the organization, e.g. from the `vb365_organization` data source."
	descLocationType   = "Where the account lives: `Cloud`, `OnPremises` or `Hybrid`."
	descLocationFilter = "Keeps only accounts by where they live: `Cloud`, `OnPremises`, `Hybrid`, `CloudOrHybrid`, `OnPremisesOrHybrid` or `Any`. Applied by the server; useful for hybrid organizations."
)

func nonEmpty() []validator.String { return []validator.String{stringvalidator.LengthAtLeast(1)} }

func organizationIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: descOrganizationID, Required: true, Validators: nonEmpty()}
}

func locationFilterAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: descLocationFilter,
		Optional:            true,
		Validators:          []validator.String{stringvalidator.OneOf(vb365.LocationFilters...)},
	}
}

// refuseLocationFilter refuses location_filter where the API version lacks
// it (v5): the server would ignore the filter and answer every location.
// True when it refused, before anything is sent.
func refuseLocationFilter(c *vb365.Client, filter types.String, diags *diag.Diagnostics) bool {
	if filter.IsNull() || filter.IsUnknown() || c == nil || c.APIVersion().Has(vb365.FeatureLocationFilter) {
		return false
	}
	addVersionRefusal(diags, path.Root("location_filter"), vb365.FeatureLocationFilter, c.APIVersion())
	return true
}

// listFilterAttributes are the arguments of vb365_users and vb365_groups:
// the organization and the server-side filters (nameAttr is "user_name" or
// "group_name").
func listFilterAttributes(nameAttr, nameDesc, displayNameDesc string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"organization_id": organizationIDAttribute(),
		nameAttr:          schema.StringAttribute{MarkdownDescription: nameDesc, Optional: true, Validators: nonEmpty()},
		"display_name":    schema.StringAttribute{MarkdownDescription: displayNameDesc, Optional: true, Validators: nonEmpty()},
		"location_filter": locationFilterAttribute(),
	}
}

// lookupDescription describes vb365_user or vb365_group.
func lookupDescription(kind string) string {
	return "Finds one " + kind + " of an organization by `id`, `name` (mail address) or `display_name`; exactly one of the three must be set. " +
		"The lookup is filtered by the VB365 server, so it costs one request (two when nothing is found by `id`) whatever the size of the organization. " +
		"It fails when no " + kind + " matches, and when several " + kind + "s match a display name (the error lists them)."
}

// lookupAttributes are the arguments of vb365_user and vb365_group: the
// organization and the three keys, of which exactly one is set (the other
// two are computed).
func lookupAttributes(idDesc, nameDesc, displayNameDesc string) map[string]schema.Attribute {
	key := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Optional: true, Computed: true, Validators: nonEmpty()}
	}
	return map[string]schema.Attribute{
		"organization_id": organizationIDAttribute(),
		"id":              key(idDesc),
		"name":            key(nameDesc),
		"display_name":    key(displayNameDesc),
	}
}

// computed adds computed string attributes to attrs.
func computed(attrs map[string]schema.Attribute, descs map[string]string) map[string]schema.Attribute {
	for name, desc := range descs {
		attrs[name] = schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	return attrs
}

// principalKeys are the arguments of vb365_user and vb365_group
// (lookupAttributes), embedded in their models.
type principalKeys struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	ID             types.String `tfsdk:"id"`
	Name           types.String `tfsdk:"name"`
	DisplayName    types.String `tfsdk:"display_name"`
}

// found are the keys of the principal found, in organization orgID.
func found(orgID types.String, id, name, displayName string) principalKeys {
	return principalKeys{OrganizationID: orgID, ID: types.StringValue(id), Name: types.StringValue(name), DisplayName: types.StringValue(displayName)}
}

// exactlyOneKey is the config validator of vb365_user and vb365_group.
func exactlyOneKey() []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"), path.MatchRoot("display_name")),
	}
}

// principalLookup is how vb365_user or vb365_group finds its principal by
// each key.
type principalLookup[T any] struct {
	kind                        string // "user", "group"
	byID, byName, byDisplayName func(ctx context.Context, orgID, value string) (*T, error)
}

// find looks the principal up by the key that is set (id, then name, then
// display_name). A failure is added to diags (addLookupError) and returns
// nil.
func (l principalLookup[T]) find(ctx context.Context, keys principalKeys, diags *diag.Diagnostics) *T {
	orgID, id, name, displayName := keys.OrganizationID.ValueString(), keys.ID, keys.Name, keys.DisplayName
	var (
		p   *T
		err error
		by  lookupKey
	)
	switch {
	case !id.IsNull():
		by = lookupKey{attr: "id", value: id.ValueString()}
		p, err = l.byID(ctx, orgID, by.value)
	case !name.IsNull():
		by = lookupKey{attr: "name", value: name.ValueString()}
		p, err = l.byName(ctx, orgID, by.value)
	default:
		by = lookupKey{attr: "display_name", value: displayName.ValueString()}
		p, err = l.byDisplayName(ctx, orgID, by.value)
	}
	if err != nil {
		addLookupError(diags, l.kind, orgID, by, err)
		return nil
	}
	return p
}

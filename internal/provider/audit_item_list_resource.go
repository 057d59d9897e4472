package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ list.ListResource              = (*auditItemListResource)(nil)
	_ list.ListResourceWithConfigure = (*auditItemListResource)(nil)
)

// NewAuditItemListResource lists the audited users and groups of an
// organization as vb365_audit_item instances (Terraform 1.14 `terraform
// query`), so that a configuration made by hand can be adopted.
func NewAuditItemListResource() list.ListResource { return &auditItemListResource{} }

type auditItemListResource struct{ resourceClient }

func (r *auditItemListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_audit_item"
}

func (r *auditItemListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = organizationListSchema("Lists the audited users and groups of an organization, one `vb365_audit_item` each "+
		"(other kinds of audit item, which `vb365_audit_item` does not manage, are left out).",
		true, "VB365 ID of the organization (the vb365_organization data source finds it by name).")
}

func (r *auditItemListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	orgID, ok := listOrganization(ctx, req, stream)
	if !ok {
		return
	}
	items, err := r.client.ListAuditItems(ctx, orgID)
	if err == nil {
		var ids map[string]string
		ids, err = r.client.ResolveAuditPrincipalIDs(ctx, orgID, items, nil, nil)
		if err == nil {
			stream.Results = auditItemResults(ctx, req, orgID, items, ids)
			return
		}
	}
	listFailed(stream, "audit items", orgID, err)
}

// auditItemResults yields one result per audited user or group, in the
// server's order, at most req.Limit of them.
func auditItemResults(ctx context.Context, req list.ListRequest, orgID string, items []vb365.AuditItem, principalIDs map[string]string) func(func(list.ListResult) bool) {
	return func(push func(list.ListResult) bool) {
		var n int64
		for i := range items {
			it := &items[i]
			if !it.IsUser() && !it.IsGroup() {
				continue
			}
			if req.Limit > 0 && n >= req.Limit {
				return
			}
			n++
			m := auditItemModel{OrganizationID: types.StringValue(orgID), UserID: types.StringNull(), GroupID: types.StringNull()}
			kind := "user"
			if it.IsGroup() {
				kind = "group"
				m.GroupID = types.StringValue(principalIDs[it.ID])
			} else {
				m.UserID = types.StringValue(principalIDs[it.ID])
			}
			m.setFrom(it)
			result := req.NewListResult(ctx)
			result.DisplayName = fmt.Sprintf("%s %s", kind, principalLabel(it))
			result.Diagnostics.Append(result.Identity.Set(ctx, m.identity())...)
			if req.IncludeResource {
				result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
			}
			if !push(result) {
				return
			}
		}
	}
}

// principalLabel names an audit item's principal for people: its display
// name and sign-in name where both are known.
func principalLabel(it *vb365.AuditItem) string {
	name, dn := it.PrincipalName(), it.PrincipalDisplayName()
	switch {
	case dn != "" && name != "" && dn != name:
		return fmt.Sprintf("%s (%s)", dn, name)
	case dn != "":
		return dn
	case name != "":
		return name
	}
	return it.PrincipalID()
}

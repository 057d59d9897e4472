package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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
// server's order, at most req.Limit of them. An item whose principal ID the
// server left empty is skipped with a warning instead: an identity with an
// empty principal_id could only make an import that fails (or a
// configuration that names no one), and the rest of the list is still worth
// having.
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
			kind := "user"
			if it.IsGroup() {
				kind = "group"
			}
			principalID := principalIDs[it.ID]
			if strings.TrimSpace(principalID) == "" {
				if !push(skippedAuditItem(kind, orgID, it)) {
					return
				}
				continue
			}
			n++
			m := auditItemModel{OrganizationID: types.StringValue(orgID), UserID: types.StringNull(), GroupID: types.StringNull()}
			if it.IsGroup() {
				m.GroupID = types.StringValue(principalID)
			} else {
				m.UserID = types.StringValue(principalID)
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

// skippedAuditItem is the result that stands for an audit item without a
// principal ID: a warning naming the item, and no identity.
func skippedAuditItem(kind, orgID string, it *vb365.AuditItem) list.ListResult {
	var diags diag.Diagnostics
	who := principalLabel(it)
	if who == "" {
		who = "(no name)"
	}
	diags.AddWarning("Audit item skipped: no "+kind+" ID",
		fmt.Sprintf("The VB365 server listed audit item %s of organization %s, the %s %s, without the %s's ID, so it cannot be "+
			"imported as a vb365_audit_item and is left out of this list. Look the %s up with the vb365_%s data source (by name) "+
			"and import it as %s/%s/<%s_id>.", it.ID, orgID, kind, who, kind, kind, kind, orgID, kind, kind))
	return list.ListResult{Diagnostics: diags}
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

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// lookupPrincipal fetches the user or group to audit; the POST body carries
// it as the server lists it.
// what names the resource in diagnostics ("audit item", "audit items").
func lookupPrincipal(ctx context.Context, c *vb365.Client, orgID, kind, id string, attr path.Path, action, what string, diags *diag.Diagnostics) (vb365.Object, vb365.Principal, bool) {
	entry, err := c.GetPrincipal(ctx, orgID, vb365.Kind(kind), id)
	if err != nil {
		addPrincipalError(diags, orgID, kind, id, attr, action, what, err)
		return entry, vb365.Principal{}, false
	}
	return entry, entry.Principal(), true
}

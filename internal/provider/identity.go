package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12+): the attributes that name a resource
// instance on the server, for `import { identity = {...} }` and for the
// results of list resources (Terraform 1.14 `terraform query`).

// auditItemIdentity names a vb365_audit_item: the organization, "user" or
// "group", and the principal's ID.
type auditItemIdentity struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	Type           types.String `tfsdk:"type"`
	PrincipalID    types.String `tfsdk:"principal_id"`
}

func (m *auditItemModel) identity() auditItemIdentity {
	kind, id := m.principal()
	return auditItemIdentity{OrganizationID: m.OrganizationID, Type: types.StringValue(kind), PrincipalID: types.StringValue(id)}
}

func (i auditItemIdentity) equalFold(o auditItemIdentity) bool {
	return strings.EqualFold(i.OrganizationID.ValueString(), o.OrganizationID.ValueString()) &&
		i.Type.ValueString() == o.Type.ValueString() &&
		strings.EqualFold(i.PrincipalID.ValueString(), o.PrincipalID.ValueString())
}

// roleIdentity names a vb365_restore_operator_role: its VB365 ID.
type roleIdentity struct {
	ID types.String `tfsdk:"id"`
}

func (i roleIdentity) equalFold(o roleIdentity) bool {
	return strings.EqualFold(i.ID.ValueString(), o.ID.ValueString())
}

// setIdentity writes want into dst, unless dst already holds the same
// identity (same) spelt in another case: IDs are compared ignoring case, and an
// identity once stored must not change (Terraform refuses that on a read).
func setIdentity[I any](ctx context.Context, dst *tfsdk.ResourceIdentity, want I, same func(I, I) bool, diags *diag.Diagnostics) {
	if dst == nil {
		return
	}
	if !dst.Raw.IsNull() && dst.Raw.IsFullyKnown() {
		var have I
		if d := dst.Get(ctx, &have); !d.HasError() && same(have, want) {
			return
		}
	}
	diags.Append(dst.Set(ctx, want)...)
}

// backupJobIdentity names a vb365_backup_job: its VB365 ID.
type backupJobIdentity struct {
	ID types.String `tfsdk:"id"`
}

func (i backupJobIdentity) equalFold(o backupJobIdentity) bool {
	return strings.EqualFold(i.ID.ValueString(), o.ID.ValueString())
}

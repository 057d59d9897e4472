package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Large list data sources (vb365_users over 100,000 users) spent most of
// their time and memory in State.Set, which converts the model by
// reflection, field by field, through the framework's attr values. These
// build the state's tftypes.Value directly: one NewValue per object.

// stringField is one string attribute of a listed object.
type stringField struct {
	name  string
	value func(i int) string
}

// column is one string attribute of a listed object of type T.
type column[T any] struct {
	name  string
	value func(*T) string
}

// fieldsOf returns the fields of items' columns, for fastListState.
func fieldsOf[T any](cols []column[T], items []T) []stringField {
	fields := make([]stringField, len(cols))
	for j, col := range cols {
		fields[j] = stringField{col.name, func(i int) string { return col.value(&items[i]) }}
	}
	return fields
}

// fastListState sets state to the object of its schema with the given
// top-level string attributes (from the configuration) and one list
// attribute of n objects of string fields.
func fastListState(ctx context.Context, state *tfsdk.State, top map[string]types.String, listAttr string, n int, fields []stringField) diag.Diagnostics {
	var diags diag.Diagnostics
	root, ok := state.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		diags.AddError("Unexpected data source schema", "The state is not an object; this is a bug in the provider.")
		return diags
	}
	listType, ok := root.AttributeTypes[listAttr].(tftypes.List)
	if !ok {
		diags.AddError("Unexpected data source schema", fmt.Sprintf("%s is not a list; this is a bug in the provider.", listAttr))
		return diags
	}
	objType, ok := listType.ElementType.(tftypes.Object)
	if !ok || len(objType.AttributeTypes) != len(fields) {
		diags.AddError("Unexpected data source schema", fmt.Sprintf("The objects of %s do not match the provider's fields; this is a bug in the provider.", listAttr))
		return diags
	}
	elems := make([]tftypes.Value, n)
	for i := range n {
		obj := make(map[string]tftypes.Value, len(fields))
		for _, f := range fields {
			obj[f.name] = tftypes.NewValue(tftypes.String, f.value(i))
		}
		elems[i] = tftypes.NewValue(objType, obj)
	}
	vals := make(map[string]tftypes.Value, len(root.AttributeTypes))
	for name, typ := range root.AttributeTypes {
		vals[name] = tftypes.NewValue(typ, nil)
	}
	for name, v := range top {
		if _, ok := root.AttributeTypes[name]; !ok {
			diags.AddError("Unexpected data source schema", fmt.Sprintf("The schema has no %s; this is a bug in the provider.", name))
			return diags
		}
		if !v.IsNull() && !v.IsUnknown() {
			vals[name] = tftypes.NewValue(tftypes.String, v.ValueString())
		}
	}
	vals[listAttr] = tftypes.NewValue(listType, elems)
	state.Raw = tftypes.NewValue(root, vals)
	return diags
}

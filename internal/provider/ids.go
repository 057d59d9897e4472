package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// VB365 IDs are opaque, and the server compares them ignoring case. Every
// ID the provider compares, it compares with strings.EqualFold; an ID in
// state keeps the spelling the server (or the import) gave it, and a
// configuration that spells it in another case plans no change.

// idValidator refuses IDs that cannot be one path segment: "." and ".."
// (a URL resolves them away, so the request would go to another resource)
// and IDs that are only white space.
type idValidator struct{}

func (idValidator) Description(context.Context) string {
	return `must be a VB365 ID: not empty, not "." or ".."`
}

func (v idValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (idValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := badID(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid VB365 ID", msg)
	}
}

// badID says why id is not a usable VB365 ID, or "".
// An empty ID is left to the LengthAtLeast(1) validator beside this one.
func badID(id string) string {
	if id == "" {
		return ""
	}
	switch strings.TrimSpace(id) {
	case "":
		return "The ID is only white space. Take IDs from the data sources, e.g. vb365_organization, vb365_user or vb365_group."
	case ".", "..":
		return fmt.Sprintf("%q is not a VB365 ID: it would be sent as a path segment and resolve to another resource.", id)
	}
	return ""
}

// idSetValidator checks every element with badID and refuses two elements
// that differ only in case (the server sees one principal, so the set
// could never converge).
type idSetValidator struct{}

func (idSetValidator) Description(context.Context) string {
	return "every element must be a VB365 ID, and no two may differ only in case"
}

func (v idSetValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (idSetValidator) ValidateSet(ctx context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	seen := map[string]string{}
	for _, e := range req.ConfigValue.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		id := s.ValueString()
		if msg := badID(id); msg != "" {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid VB365 ID", msg)
			continue
		}
		k := strings.ToLower(id)
		if prev, dup := seen[k]; dup {
			resp.Diagnostics.AddAttributeError(req.Path, "Duplicate VB365 ID",
				fmt.Sprintf("%q and %q are the same ID: VB365 compares IDs ignoring case. List it once.", prev, id))
			continue
		}
		seen[k] = id
	}
}

// keepIDCase plans the state's spelling of an ID when the configuration
// spells the same ID in another case, so that no replacement is planned.
// It must come before RequiresReplace.
type keepIDCase struct{}

func (keepIDCase) Description(context.Context) string {
	return "an ID that differs from the state only in case is not a change"
}

func (m keepIDCase) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (keepIDCase) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	if req.PlanValue.ValueString() != req.StateValue.ValueString() && strings.EqualFold(req.PlanValue.ValueString(), req.StateValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}

// keepIDSetCase plans, for every configured element that the state holds
// in another case, the state's spelling.
type keepIDSetCase struct{}

func (keepIDSetCase) Description(context.Context) string {
	return "IDs that differ from the state only in case are not a change"
}

func (m keepIDSetCase) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (keepIDSetCase) PlanModifySet(_ context.Context, req planmodifier.SetRequest, resp *planmodifier.SetResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	inState := map[string]string{}
	for _, e := range req.StateValue.Elements() {
		if s, ok := e.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
			inState[strings.ToLower(s.ValueString())] = s.ValueString()
		}
	}
	changed := false
	out := make([]string, 0, len(req.PlanValue.Elements()))
	for _, e := range req.PlanValue.Elements() {
		s, ok := e.(types.String)
		if !ok || s.IsUnknown() {
			return
		}
		id := s.ValueString()
		if st, ok := inState[strings.ToLower(id)]; ok && st != id {
			id, changed = st, true
		}
		out = append(out, id)
	}
	if changed {
		resp.PlanValue = stringSet(out)
	}
}

// stringSet builds a set of strings (sorted, for stable output).
func stringSet(ids []string) types.Set {
	ids = append([]string(nil), ids...)
	sort.Strings(ids)
	vals := make([]attr.Value, 0, len(ids))
	for _, id := range ids {
		vals = append(vals, types.StringValue(id))
	}
	return types.SetValueMust(types.StringType, vals)
}

// containsFold reports whether ids holds id, ignoring case.
func containsFold(ids []string, id string) bool {
	for _, x := range ids {
		if strings.EqualFold(x, id) {
			return true
		}
	}
	return false
}

package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// fastListState writes exactly what State.Set writes for the same model.
func TestFastListStateMatchesStateSet(t *testing.T) {
	ctx := context.Background()
	var sr datasource.SchemaResponse
	(&usersDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &sr)
	users := []userListItem{
		{ID: types.StringValue("a"), Name: types.StringValue("a@x"), DisplayName: types.StringValue("A"), Type: types.StringValue("User"), LocationType: types.StringValue("Cloud"), Office: types.StringValue("")},
		{ID: types.StringValue("b"), Name: types.StringValue("b@x"), DisplayName: types.StringValue("B"), Type: types.StringValue("Shared"), LocationType: types.StringValue("Hybrid"), Office: types.StringValue("1/1")},
	}
	for _, m := range []usersModel{
		{OrganizationID: types.StringValue("org"), UserName: types.StringNull(), DisplayName: types.StringValue("A*"), LocationFilter: types.StringNull(), Users: users},
		{OrganizationID: types.StringValue("org"), UserName: types.StringValue("a@x"), DisplayName: types.StringNull(), LocationFilter: types.StringValue("Cloud"), Users: []userListItem{}},
	} {
		want := tfsdk.State{Schema: sr.Schema}
		if d := want.Set(ctx, m); d.HasError() {
			t.Fatal(d)
		}
		got := tfsdk.State{Schema: sr.Schema}
		d := fastListState(ctx, &got, map[string]types.String{
			"organization_id": m.OrganizationID, "user_name": m.UserName, "display_name": m.DisplayName, "location_filter": m.LocationFilter,
		}, "users", len(m.Users), []stringField{
			{"id", func(i int) string { return m.Users[i].ID.ValueString() }},
			{"name", func(i int) string { return m.Users[i].Name.ValueString() }},
			{"display_name", func(i int) string { return m.Users[i].DisplayName.ValueString() }},
			{"type", func(i int) string { return m.Users[i].Type.ValueString() }},
			{"location_type", func(i int) string { return m.Users[i].LocationType.ValueString() }},
			{"office", func(i int) string { return m.Users[i].Office.ValueString() }},
		})
		if d.HasError() {
			t.Fatal(d)
		}
		if !got.Raw.Equal(want.Raw) {
			t.Errorf("fastListState:\n%s\nState.Set:\n%s", got.Raw, want.Raw)
		}
	}
}

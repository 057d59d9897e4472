package provider

import (
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func TestListResource_restoreOperatorRole(t *testing.T) {
	clearProviderEnv(t)
	fake := startFake(t, vb365test.Options{})
	org := vb365test.DemoOrganizationID
	users := fake.Organization(org).Users
	helpdesk := createRole(t, fake, "Helpdesk", users[1].ID)
	legal := createRole(t, fake, "Legal", users[2].ID)
	p := newProtoProvider(t)
	p.configure(fake, "v8")

	for _, cfg := range []map[string]tftypes.Value{{"organization_id": str(org)}, nil} {
		fake.ResetRequests()
		got := p.listResource("vb365_restore_operator_role", cfg, false, 100)
		var names, ids []string
		for _, g := range got {
			names = append(names, g.name)
			ids = append(ids, strOf(t, g.identity["id"]))
		}
		if !slices.Equal(names, []string{"Helpdesk", "Legal"}) || !slices.Equal(ids, []string{helpdesk.ID, legal.ID}) {
			t.Errorf("config %v: names %v, ids %v", cfg, names, ids)
		}
		if n := len(fake.Requests()) - fake.Count("POST /token"); n != 1 {
			t.Errorf("config %v: %d requests, want 1 role list (%v)", cfg, n, fake.CountByRoute())
		}
	}

	fake.ResetRequests()
	got := p.listResource("vb365_restore_operator_role", map[string]tftypes.Value{"organization_id": str(org)}, true, 100)
	if len(got) != 2 {
		t.Fatalf("%d results", len(got))
	}
	r := got[0].resource
	var ops map[string]tftypes.Value
	if err := r["operators"].As(&ops); err != nil {
		t.Fatal(err)
	}
	var opIDs []tftypes.Value
	if err := ops["user_ids"].As(&opIDs); err != nil {
		t.Fatal(err)
	}
	if strOf(t, r["name"]) != "Helpdesk" || strOf(t, r["role_type"]) != vb365.RoleEntireOrganization || len(opIDs) != 1 || strOf(t, opIDs[0]) != users[1].ID {
		t.Errorf("resource object %v", r)
	}
	// Three member lists a role, and at most one role list (the client may
	// still hold the one made above).
	counts := fake.CountByRoute()
	for _, l := range []string{"operators", "selectedItems", "excludedItems"} {
		if n := counts["GET /RbacRoles/{roleId}/"+l]; n != 2 {
			t.Errorf("%d × %s with include_resource, want 2 (%v)", n, l, counts)
		}
	}
	if n := len(fake.Requests()) - fake.Count("POST /token"); n > 1+3*2 {
		t.Errorf("%d requests with include_resource, want at most 7 (%v)", n, counts)
	}
}

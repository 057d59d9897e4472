package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func TestListResource_auditItem(t *testing.T) {
	clearProviderEnv(t)
	fake := startFake(t, vb365test.Options{})
	org := vb365test.DemoOrganizationID
	users, groups := fake.Organization(org).Users, fake.Organization(org).Groups
	fake.AddAuditItem(org, "user", users[0].ID)   // Adele Vance
	fake.AddAuditItem(org, "group", groups[0].ID) // HR
	fake.AddAuditItem(org, "user", users[4].ID)   // Chief Executive
	p := newProtoProvider(t)
	p.configure(fake, "v8")
	fake.ResetRequests()

	got := p.listResource("vb365_audit_item", map[string]tftypes.Value{"organization_id": str(org)}, false, 100)
	if len(got) != 3 {
		t.Fatalf("%d results, want 3: %+v", len(got), got)
	}
	if n := fake.Count("GET /Organizations/{organizationId}/AuditItems"); n != 1 {
		t.Errorf("%d audit item lists, want 1 (%v)", n, fake.CountByRoute())
	}
	want := []struct{ name, kind, id string }{
		{"user Adele Vance (AdeleV@contoso.onmicrosoft.com)", "user", users[0].ID},
		{"group HR (HR@contoso.onmicrosoft.com)", "group", groups[0].ID},
		{"user Chief Executive (ceo@contoso.onmicrosoft.com)", "user", users[4].ID},
	}
	for i, w := range want {
		g := got[i]
		if len(g.diags) > 0 {
			t.Errorf("result %d: %s", i, diagsText(g.diags))
		}
		if g.name != w.name {
			t.Errorf("result %d: display name %q, want %q", i, g.name, w.name)
		}
		if a, b, c := strOf(t, g.identity["organization_id"]), strOf(t, g.identity["type"]), strOf(t, g.identity["principal_id"]); a != org || b != w.kind || c != w.id {
			t.Errorf("result %d: identity %s/%s/%s, want %s/%s/%s", i, a, b, c, org, w.kind, w.id)
		}
		if g.resource != nil {
			t.Errorf("result %d: a resource object although include_resource is false", i)
		}
	}

	t.Run("include_resource", func(t *testing.T) {
		got := p.listResource("vb365_audit_item", map[string]tftypes.Value{"organization_id": str(org)}, true, 100)
		if len(got) != 3 {
			t.Fatalf("%d results, want 3", len(got))
		}
		r := got[1].resource
		if strOf(t, r["group_id"]) != groups[0].ID || strOf(t, r["id"]) != org+"/group/"+groups[0].ID ||
			strOf(t, r["name"]) != "HR@contoso.onmicrosoft.com" || strOf(t, r["item_id"]) == "" || !r["user_id"].IsNull() {
			t.Errorf("resource object %v", r)
		}
	})
	t.Run("limit", func(t *testing.T) {
		if got := p.listResource("vb365_audit_item", map[string]tftypes.Value{"organization_id": str(org)}, false, 2); len(got) != 2 {
			t.Errorf("%d results with limit 2", len(got))
		}
	})
	t.Run("unknown organization", func(t *testing.T) {
		got := p.listResource("vb365_audit_item", map[string]tftypes.Value{"organization_id": str("00000000-0000-0000-0000-00000000beef")}, false, 100)
		if len(got) != 1 || !strings.Contains(diagsText(got[0].diags), "Unable to read audit items") {
			t.Errorf("want one result with an error diagnostic, got %+v", got)
		}
	})
}

// An audit item the server lists without its principal's ID (an empty or
// null id, a user item without a user object) yields no identity: an
// identity with an empty principal_id could only import nothing. It is
// skipped with a warning naming the item, and the rest of the list (and
// the limit) is not affected.
func TestListResource_auditItemWithoutPrincipalID(t *testing.T) {
	clearProviderEnv(t)
	fake := startFake(t, vb365test.Options{})
	org := vb365test.DemoOrganizationID
	adele := fake.Organization(org).Users[0]
	body := fmt.Sprintf(`[
  {"id": "item-empty-user", "type": "User", "user": {"id": "", "name": "ghost@contoso.onmicrosoft.com", "displayName": "Ghost"}, "_links": {}},
  {"id": "item-no-user", "type": "User", "user": null, "_links": {}},
  {"id": "item-adele", "type": "User", "user": {"id": %q, "name": %q, "displayName": %q}, "_links": {}},
  {"id": "item-null-group", "type": "Group", "group": {"id": null, "name": "Phantom@contoso.onmicrosoft.com", "displayName": "Phantom"}, "_links": {}}
]`, adele.ID, adele.Name, adele.DisplayName)
	fake.InjectFault(vb365test.Fault{Route: "GET /Organizations/{organizationId}/AuditItems", Body: &body, ContentType: "application/json"})
	p := newProtoProvider(t)
	p.configure(fake, "v8")

	for _, limit := range []int64{100, 1} {
		got := p.listResource("vb365_audit_item", map[string]tftypes.Value{"organization_id": str(org)}, true, limit)
		var imported []string
		var skipped []string
		for _, g := range got {
			if g.identity != nil {
				if id := strOf(t, g.identity["principal_id"]); id == "" {
					t.Errorf("limit %d: an identity with an empty principal_id: %+v", limit, g)
				}
				imported = append(imported, strOf(t, g.identity["principal_id"]))
				continue
			}
			if len(g.diags) != 1 || g.diags[0].Severity != tfprotov6.DiagnosticSeverityWarning || g.resource != nil {
				t.Errorf("limit %d: a result without identity that is not one warning: %+v", limit, g)
				continue
			}
			skipped = append(skipped, g.diags[0].Summary+": "+g.diags[0].Detail)
		}
		if !slices.Equal(imported, []string{adele.ID}) {
			t.Errorf("limit %d: identities %v, want Adele's only", limit, imported)
		}
		if limit == 1 {
			continue // the list may stop after the first identity
		}
		if len(skipped) != 3 {
			t.Fatalf("limit %d: %d warnings, want 3: %v", limit, len(skipped), skipped)
		}
		for i, want := range []string{"no user ID: The VB365 server listed audit item item-empty-user of organization " + org + ", the user Ghost (ghost@contoso.onmicrosoft.com)",
			"no user ID: The VB365 server listed audit item item-no-user", "no group ID: The VB365 server listed audit item item-null-group of organization " + org + ", the group Phantom"} {
			if !strings.Contains(skipped[i], want) || !strings.Contains(skipped[i], "import it as "+org+"/") {
				t.Errorf("warning %d = %q, want it to contain %q and the import ID", i, skipped[i], want)
			}
		}
	}
}

// The CLI path, `terraform query` (Terraform 1.14+). It skips on older CLIs,
// with the version in the skip message, and on OpenTofu; the protocol
// tests above cover the same code on every CLI.
func TestAccAuditItem_query(t *testing.T) {
	skipOnOpenTofu(t, "it has no list resources or `query` command (Terraform 1.14); TestListResource_* test the same code through the protocol")
	clearProviderEnv(t)
	fake := startFake(t, vb365test.Options{})
	org := vb365test.DemoOrganizationID
	adele := fake.Organization(org).Users[0]
	fake.AddAuditItem(org, "user", adele.ID)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Query: true,
			Config: providerBlock(fake) + `list "vb365_audit_item" "contoso" {
  provider = vb365
  config { organization_id = "` + org + `" }
}`,
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectIdentity("vb365_audit_item.contoso", map[string]knownvalue.Check{
					"organization_id": knownvalue.StringExact(org),
					"type":            knownvalue.StringExact("user"),
					"principal_id":    knownvalue.StringExact(adele.ID),
				}),
			},
		}},
	})
}

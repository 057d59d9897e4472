package provider

import (
	"context"
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

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// Terraform 1.14 list resources and 1.12 resource identity, tested through
// the provider protocol: no Terraform 1.14 CLI can be built here.

type listed struct {
	name     string
	identity map[string]tftypes.Value
	resource map[string]tftypes.Value
	diags    []*tfprotov6.Diagnostic
}

// listResource runs ListResource with config and returns every result.
func (p *protoProvider) listResource(typeName string, config map[string]tftypes.Value, includeResource bool, limit int64) []listed {
	p.t.Helper()
	ls, ok := p.schema.ListResourceSchemas[typeName]
	if !ok {
		p.t.Fatalf("the provider has no list resource %q", typeName)
	}
	cfg := dynamicValue(p.t, ls.ValueType(), config)
	ctx := context.Background()
	v, err := p.srv.ValidateListResourceConfig(ctx, &tfprotov6.ValidateListResourceConfigRequest{TypeName: typeName, Config: cfg})
	if err != nil {
		p.t.Fatal(err)
	}
	requireNoErrorDiags(p.t, "ValidateListResourceConfig", v.Diagnostics)
	stream, err := p.srv.ListResource(ctx, &tfprotov6.ListResourceRequest{TypeName: typeName, Config: cfg, IncludeResource: includeResource, Limit: limit})
	if err != nil {
		p.t.Fatal(err)
	}
	var out []listed
	for r := range stream.Results {
		l := listed{name: r.DisplayName, diags: r.Diagnostics}
		if r.Identity != nil {
			l.identity = p.objectOf(r.Identity.IdentityData, p.identityType(typeName))
		}
		if r.Resource != nil {
			l.resource = p.objectOf(r.Resource, p.schema.ResourceSchemas[typeName].ValueType())
		}
		out = append(out, l)
	}
	return out
}

func (p *protoProvider) identityType(typeName string) tftypes.Type {
	p.t.Helper()
	resp, err := p.srv.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		p.t.Fatal(err)
	}
	s, ok := resp.IdentitySchemas[typeName]
	if !ok {
		p.t.Fatalf("%s has no identity schema", typeName)
	}
	return s.ValueType()
}

func (p *protoProvider) objectOf(dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	p.t.Helper()
	if dv == nil {
		return nil
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	if v.IsNull() {
		return nil
	}
	m := map[string]tftypes.Value{}
	if err := v.As(&m); err != nil {
		p.t.Fatal(err)
	}
	return m
}

func strOf(t *testing.T, v tftypes.Value) string {
	t.Helper()
	var s string
	if v.IsNull() {
		return ""
	}
	if err := v.As(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

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

// organization_id = "" (or white space) is refused when Terraform validates
// the list configuration, before any request: an empty ID would list
// /Organizations//AuditItems. Both list resources share the attribute.
func TestListResource_emptyOrganizationID(t *testing.T) {
	clearProviderEnv(t)
	fake := startFake(t, vb365test.Options{})
	p := newProtoProvider(t)
	p.configure(fake, "v8")
	fake.ResetRequests()
	for _, typeName := range []string{"vb365_audit_item", "vb365_restore_operator_role"} {
		for _, id := range []string{"", "  "} {
			cfg := dynamicValue(t, p.schema.ListResourceSchemas[typeName].ValueType(), map[string]tftypes.Value{"organization_id": str(id)})
			v, err := p.srv.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{TypeName: typeName, Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			var errs []*tfprotov6.Diagnostic
			for _, d := range v.Diagnostics {
				if d.Severity == tfprotov6.DiagnosticSeverityError && d.Attribute != nil && strings.Contains(d.Attribute.String(), "organization_id") {
					errs = append(errs, d)
				}
			}
			if len(errs) == 0 {
				t.Errorf("%s with organization_id %q: no error on organization_id (%s)", typeName, id, diagsText(v.Diagnostics))
			}
		}
	}
	if n := fake.Count(""); n != 0 {
		t.Errorf("validation made %d requests (%v)", n, fake.CountByRoute())
	}
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

// The identity a list result carries imports the resource (import {
// identity = {...} }, Terraform 1.12+), and the read that follows keeps it.
func TestResourceIdentity_importAndRead(t *testing.T) {
	clearProviderEnv(t)
	fake := startFake(t, vb365test.Options{})
	org := vb365test.DemoOrganizationID
	adele := fake.Organization(org).Users[0]
	fake.AddAuditItem(org, "user", adele.ID)
	p := newProtoProvider(t)
	p.configure(fake, "v8")

	got := p.listResource("vb365_audit_item", map[string]tftypes.Value{"organization_id": str(org)}, false, 100)
	if len(got) != 1 {
		t.Fatalf("%d results", len(got))
	}
	// The identity in upper case: IDs are compared ignoring case.
	ident := map[string]tftypes.Value{
		"organization_id": str(strings.ToUpper(org)), "type": str("user"), "principal_id": got[0].identity["principal_id"],
	}
	state, identity := p.importByIdentity("vb365_audit_item", ident)
	if strOf(t, state["user_id"]) != adele.ID || strOf(t, state["item_id"]) == "" {
		t.Errorf("imported state %v", state)
	}
	if strOf(t, identity["organization_id"]) != strings.ToUpper(org) {
		t.Errorf("the read changed the stored identity: %v", identity)
	}

	t.Run("bad type", func(t *testing.T) {
		diags := p.importByIdentityDiags("vb365_audit_item", map[string]tftypes.Value{"organization_id": str(org), "type": str("site"), "principal_id": str(adele.ID)})
		if !strings.Contains(diagsText(diags), `"user" or "group", not "site"`) {
			t.Errorf("diagnostics: %s", diagsText(diags))
		}
	})

	t.Run("restore operator role", func(t *testing.T) {
		role := createRole(t, fake, "Helpdesk", adele.ID)
		state, identity := p.importByIdentity("vb365_restore_operator_role", map[string]tftypes.Value{"id": str(role.ID)})
		if strOf(t, state["name"]) != "Helpdesk" || strOf(t, identity["id"]) != role.ID {
			t.Errorf("state %v, identity %v", state, identity)
		}
	})
}

// createRole makes a restore operator role in the demo organization, with
// one user as operator, the whole organization in scope.
func createRole(t *testing.T, fake *vb365test.Server, name, operatorID string) *vb365.RestoreOperatorRole {
	t.Helper()
	c, err := vb365.New(vb365.Config{URL: fake.URL, Username: fake.Username(), Password: fake.Password()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u, err := c.GetUser(ctx, vb365test.DemoOrganizationID, operatorID)
	if err != nil {
		t.Fatal(err)
	}
	role, err := c.CreateRestoreOperatorRole(ctx, vb365test.DemoOrganizationID, vb365.RoleCreate{
		Name: name, RoleType: vb365.RoleEntireOrganization, Operators: []vb365.Object{{User: u}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return role
}

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

// The CLI paths: import by identity (Terraform 1.12+) and `terraform query`
// (1.14+). They skip on older CLIs, with the version in the skip message;
// the protocol tests above cover the same code on every CLI.
func TestAccAuditItem_importByIdentity(t *testing.T) {
	clearProviderEnv(t)
	fake := startFake(t, vb365test.Options{})
	cfg := providerBlock(fake) + `
data "vb365_organization" "contoso" { name = "contoso.onmicrosoft.com" }
data "vb365_user" "adele" {
  organization_id = data.vb365_organization.contoso.id
  name            = "AdeleV@contoso.onmicrosoft.com"
}
resource "vb365_audit_item" "adele" {
  organization_id = data.vb365_organization.contoso.id
  user_id         = data.vb365_user.adele.id
}
`
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{Config: cfg, ResourceName: "vb365_audit_item.adele", ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}

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

// importByIdentity imports typeName by identity, as `import { identity =
// {...} }` does, then reads it, and returns the state and identity after
// the read.
func (p *protoProvider) importByIdentity(typeName string, ident map[string]tftypes.Value) (state, identity map[string]tftypes.Value) {
	p.t.Helper()
	imported, diags := p.importIdentity(typeName, ident)
	requireNoErrorDiags(p.t, "ImportResourceState", diags)
	read, err := p.srv.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{
		TypeName: typeName, CurrentState: imported.State, CurrentIdentity: imported.Identity, Private: imported.Private,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	requireNoErrorDiags(p.t, "ReadResource", read.Diagnostics)
	if read.NewIdentity == nil {
		p.t.Fatal("ReadResource returned no identity")
	}
	return p.objectOf(read.NewState, p.schema.ResourceSchemas[typeName].ValueType()), p.objectOf(read.NewIdentity.IdentityData, p.identityType(typeName))
}

func (p *protoProvider) importByIdentityDiags(typeName string, ident map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	p.t.Helper()
	_, diags := p.importIdentity(typeName, ident)
	return diags
}

func (p *protoProvider) importIdentity(typeName string, ident map[string]tftypes.Value) (*tfprotov6.ImportedResource, []*tfprotov6.Diagnostic) {
	p.t.Helper()
	resp, err := p.srv.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{
		TypeName: typeName,
		Identity: &tfprotov6.ResourceIdentityData{IdentityData: dynamicValue(p.t, p.identityType(typeName), ident)},
	})
	if err != nil {
		p.t.Fatal(err)
	}
	if len(resp.ImportedResources) != 1 {
		return nil, resp.Diagnostics
	}
	return resp.ImportedResources[0], resp.Diagnostics
}

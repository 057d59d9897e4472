package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// Terraform 1.12 resource identity, tested through the provider protocol
// (importByIdentity) and, where the CLI has it, through Terraform.

// identityType is the identity schema's type of typeName.
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

// The CLI path of the import by identity (Terraform 1.12+). It skips on
// older CLIs, with the version in the skip message;
// TestResourceIdentity_importAndRead covers the same code on every CLI.
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

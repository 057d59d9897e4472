package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// Terraform 1.14 list resources, tested through the provider protocol
// (listResource): no Terraform 1.14 CLI can be built here. What every list
// resource shares (list_resources.go) is tested here; each list resource in
// the test file beside it.

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

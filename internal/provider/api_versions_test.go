package provider

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// onV5 are the types REST API v5 serves (issue 24): the audit control,
// and what it looks principals up with. Every other type must be
// registered with needs(...) (provider.go) and so refused on v5.
var onV5 = []string{
	"action vb365_audit_email_send_test",
	"data source vb365_group",
	"data source vb365_groups",
	"data source vb365_organization",
	"data source vb365_organizations",
	"data source vb365_user",
	"data source vb365_users",
	"list resource vb365_audit_item",
	"resource vb365_audit_email_settings",
	"resource vb365_audit_item",
	"resource vb365_audit_items",
}

// TestEveryTypeIsSupportedOrRefused walks every resource, data source,
// action and list resource the provider registers, as the framework reports
// them (GetProviderSchema), on every API version: each is configured as the
// framework configures it before any RPC, with a client of that version, and
// either takes it (the version has the feature the type is registered with,
// or the type needs none and is in onV5 or the version is later than v5)
// or refuses it with the diagnostic that names api_version and the first
// version that has the feature. Nothing reaches the server. A new type
// registered without needs(...) and not in onV5 fails here, saying what to
// add.
func TestEveryTypeIsSupportedOrRefused(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	registered := registeredTypes(t)
	for _, v := range vb365.SupportedAPIVersions() {
		version := vb365.APIVersion(v)
		t.Run(v, func(t *testing.T) {
			c, err := vb365.New(vb365.Config{URL: fake.URL, Username: fake.Username(), Password: fake.Password(), APIVersion: version})
			if err != nil {
				t.Fatal(err)
			}
			configured := configureEveryType(t, c)
			if got := slices.Sorted(maps.Keys(configured)); !slices.Equal(got, registered) {
				t.Fatalf("the provider's constructors make %v, the framework registers %v", got, registered)
			}
			for _, typ := range registered {
				got, needs := configured[typ].diags, configured[typ].needs
				switch {
				case needs == 0 && version == vb365.V5 && !slices.Contains(onV5, typ):
					t.Errorf("%s is registered without a version requirement, and REST API v5 lacks it (it is not in onV5). "+
						"Register it in provider.go as needs(vb365.Feature<Area>, New<Type>), with the Feature of its area "+
						"(its name, first version and paths) in the features table of internal/vb365/versions.go; "+
						"or, if v5 serves it as the provider speaks it, add %q to onV5 in api_versions_test.go, "+
						"with an acceptance test on v5. Configured on v5 it answered: %v", typ, typ, got)
				case needs != 0 && slices.Contains(onV5, typ) && !vb365.V5.Has(needs):
					t.Errorf("%s is in onV5 but registered with needs(%s), which v5 lacks", typ, needs)
				case (needs == 0 || version.Has(needs)) && got.HasError():
					t.Errorf("%s is refused on %s: %v", typ, v, got)
				case needs != 0 && !version.Has(needs) && !refusedByVersion(got, version, needs.Since()):
					t.Errorf("%s is registered with needs(%s) but not refused on %s as the version gate refuses "+
						"(one error naming api_version and %s; does its Configure call versionGate.refuse?): %v", typ, needs, v, needs.Since(), got)
				}
			}
		})
	}
	for _, typ := range onV5 {
		if !slices.Contains(registered, typ) {
			t.Errorf("onV5 names %s, which the provider does not register", typ)
		}
	}
	if n := fake.Count(""); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

// refusedByVersion reports whether diags are the version gate's one error:
// it names api_version, the version the provider speaks and the first one
// that has what the type needs.
func refusedByVersion(diags diag.Diagnostics, v, since vb365.APIVersion) bool {
	if diags.ErrorsCount() != 1 {
		return false
	}
	d := diags.Errors()[0]
	text := d.Summary() + "\n" + d.Detail()
	return strings.Contains(text, "api_version") && strings.Contains(text, "REST API "+string(v)) &&
		strings.Contains(text, "Nothing was sent") && strings.HasSuffix(d.Summary(), "need REST API "+string(since))
}

// registeredTypes are the provider's types as the framework reports them:
// "resource vb365_audit_item", ..., sorted.
func registeredTypes(t *testing.T) []string {
	t.Helper()
	resp, err := NewServer("test")().GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrorDiags(t, "GetProviderSchema", resp.Diagnostics)
	var out []string
	for name := range resp.ResourceSchemas {
		out = append(out, "resource "+name)
	}
	for name := range resp.DataSourceSchemas {
		out = append(out, "data source "+name)
	}
	for name := range resp.ActionSchemas {
		out = append(out, "action "+name)
	}
	for name := range resp.ListResourceSchemas {
		out = append(out, "list resource "+name)
	}
	slices.Sort(out)
	return out
}

// configuredType is what configuring a type gave: its diagnostics and the
// feature it is registered with (0 for none).
type configuredType struct {
	diags diag.Diagnostics
	needs vb365.Feature
}

// configureEveryType makes every type with the provider's constructors and
// configures it with c, as the framework does at the start of an RPC.
func configureEveryType(t *testing.T, c *vb365.Client) map[string]configuredType {
	t.Helper()
	ctx := context.Background()
	p := &vb365Provider{}
	out := map[string]configuredType{}
	add := func(name string, typ any, diags diag.Diagnostics) {
		var needs vb365.Feature
		if g, ok := typ.(interface{ requirement() vb365.Feature }); ok {
			needs = g.requirement()
		}
		out[name] = configuredType{diags, needs}
	}
	for _, newR := range p.Resources(ctx) {
		r := newR()
		var md fwresource.MetadataResponse
		r.Metadata(ctx, fwresource.MetadataRequest{ProviderTypeName: "vb365"}, &md)
		var resp fwresource.ConfigureResponse
		r.(fwresource.ResourceWithConfigure).Configure(ctx, fwresource.ConfigureRequest{ProviderData: c}, &resp)
		add("resource "+md.TypeName, r, resp.Diagnostics)
	}
	for _, newD := range p.DataSources(ctx) {
		d := newD()
		var md datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "vb365"}, &md)
		var resp datasource.ConfigureResponse
		d.(datasource.DataSourceWithConfigure).Configure(ctx, datasource.ConfigureRequest{ProviderData: c}, &resp)
		add("data source "+md.TypeName, d, resp.Diagnostics)
	}
	for _, newA := range p.Actions(ctx) {
		a := newA()
		var md action.MetadataResponse
		a.Metadata(ctx, action.MetadataRequest{ProviderTypeName: "vb365"}, &md)
		var resp action.ConfigureResponse
		a.(action.ActionWithConfigure).Configure(ctx, action.ConfigureRequest{ProviderData: c}, &resp)
		add("action "+md.TypeName, a, resp.Diagnostics)
	}
	for _, newL := range p.ListResources(ctx) {
		l := newL()
		var md fwresource.MetadataResponse
		l.Metadata(ctx, fwresource.MetadataRequest{ProviderTypeName: "vb365"}, &md)
		var resp fwresource.ConfigureResponse
		l.(list.ListResourceWithConfigure).Configure(ctx, fwresource.ConfigureRequest{ProviderData: c}, &resp)
		add("list resource "+md.TypeName, l, resp.Diagnostics)
	}
	return out
}

// TestAccV5RefusesWhatItLacks: each resource and data source v5 lacks is
// refused at plan time, by Terraform, with the diagnostic that names
// api_version and the first version that has it, and not one request
// reaches the server (not even a sign-in).
func TestAccV5RefusesWhatItLacks(t *testing.T) {
	org := vb365test.DemoOrganizationID
	user := vb365test.CloudPrincipalID("a54b55d8-4a07-4755-9889-5001ded697f0")
	for _, tc := range []struct{ typ, summary, body string }{
		{"vb365_restore_operator_role", "Restore operator roles need REST API v6", `
resource "vb365_restore_operator_role" "r" {
  organization_id = "` + org + `"
  name            = "Helpdesk"
  role_type       = "EntireOrganization"
  operators       = { user_ids = ["` + user + `"] }
}`},
		{"vb365_email_notification_settings", "Job notification e-mail settings need REST API v6", `
resource "vb365_email_notification_settings" "this" {
  enabled = false
}`},
		{"vb365_restore_operator_roles", "Restore operator roles need REST API v6", `
data "vb365_restore_operator_roles" "all" {}`},
		{"vb365_sites", "Sites need REST API v6", `
data "vb365_sites" "all" {
  organization_id = "` + org + `"
}`},
		{"vb365_site", "Sites need REST API v6", `
data "vb365_site" "hr" {
  organization_id = "` + org + `"
  url             = "https://contoso.sharepoint.com/sites/HR"
}`},
		{"vb365_teams", "Teams need REST API v6", `
data "vb365_teams" "all" {
  organization_id = "` + org + `"
}`},
		{"vb365_team", "Teams need REST API v6", `
data "vb365_team" "sales" {
  organization_id = "` + org + `"
  mail            = "Sales@contoso.onmicrosoft.com"
}`},
		{"vb365_restore_sessions", "Restore sessions need REST API v6", `
data "vb365_restore_sessions" "last_day" {}`},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      providerBlock(fake, `api_version = "v5"`) + tc.body,
					ExpectError: versionRefusalRe(tc.summary, "v5"),
				}},
			})
			if n := fake.Count(""); n != 0 {
				t.Errorf("%d requests reached the server: %v", n, fake.CountByRoute())
			}
		})
	}
}

// TestAccV5RefusesRoleInState: a restore operator role made on v6 is in
// the state when the provider is switched to v5. The refresh is refused
// (the provider cannot read it with v5), and the role stays, on the server
// and in the state: switched back, the plan is empty.
func TestAccV5RefusesRoleInState(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	nestor := auditPrincipalID(t, fake, "NestorW@contoso.onmicrosoft.com")
	role := func(version string) string {
		return providerBlock(fake, `api_version = "`+version+`"`) + `
resource "vb365_restore_operator_role" "r" {
  organization_id = "` + vb365test.DemoOrganizationID + `"
  name            = "Helpdesk"
  role_type       = "EntireOrganization"
  operators       = { user_ids = ["` + nestor + `"] }
}`
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: role("v6")},
			{
				PreConfig:   fake.ResetRequests,
				Config:      role("v5"),
				ExpectError: versionRefusalRe("Restore operator roles need REST API v6", "v5"),
			},
			{
				PreConfig: func() {
					if n := fake.Count(""); n != 0 {
						t.Errorf("%d requests reached the server on v5: %v", n, fake.CountByRoute())
					}
				},
				Config:           role("v6"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// versionRefusalRe matches the version gate's diagnostic (addVersionRefusal)
// as Terraform prints it.
func versionRefusalRe(summary, version string) *regexp.Regexp {
	return diagRe(summary, "and the provider speaks "+version+` (api_version = "`+version+`" in the provider block, or VB365_API_VERSION=`+version+"). Nothing was sent to the server.")
}

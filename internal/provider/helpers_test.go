package provider

// Helpers shared by the provider's tests: the in-process fake and provider
// block, the protocol-level provider server, and diagnostics matchers.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// protoV6ProviderFactories serves the provider in-process to the Terraform
// CLI that terraform-plugin-testing drives.
var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"vb365": NewServerWithError("test"),
}

// startFake starts a fake VB365 server seeded with the demo organizations.
func startFake(t *testing.T, opts vb365test.Options) *vb365test.Server {
	t.Helper()
	needsFake(t)
	fake := vb365test.Start(t, opts)
	fake.SeedDemo()
	return fake
}

// providerBlock configures the provider for a fake server; extra lines
// (e.g. `api_version = "v7"`) go inside the block.
func providerBlock(fake *vb365test.Server, extra ...string) string {
	return fmt.Sprintf(`
provider "vb365" {
  url             = %q
  username        = %q
  password        = %q
  max_retries     = 2
  request_timeout = %q
  %s
}
`, fake.URL, fake.Username(), fake.Password(), testRequestTimeout, strings.Join(extra, "\n  "))
}

// testRequestTimeout is request_timeout in the tests' provider blocks: far
// beyond what any load makes a request to the in-process fake take, so that
// no request counted by a test times out and is sent again (the default 60 s
// is reachable on a busy machine with large pages). A request that really
// hangs is caught by go test's -timeout.
const testRequestTimeout = "1h"

// clearProviderEnv keeps the developer's VB365_* variables out of a test.
func clearProviderEnv(t *testing.T) {
	t.Helper()
	for _, env := range []string{envURL, envUsername, envPassword, envInsecure, envCACertPEM, envAPIVersion, envTimeout, envMaxRetries, envRateLimit, envTokenCache} {
		if _, ok := os.LookupEnv(env); ok {
			t.Setenv(env, "")
			_ = os.Unsetenv(env)
		}
	}
}

// skipOnOpenTofu skips a test when TF_ACC_TERRAFORM_PATH is OpenTofu, with
// the reason: the feature the test needs is Terraform's only.
func skipOnOpenTofu(t *testing.T, reason string) {
	t.Helper()
	if cliIsOpenTofu() {
		t.Skip("skipped on OpenTofu: " + reason)
	}
}

var cliIsOpenTofu = sync.OnceValue(func() bool {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		return false
	}
	out, _ := exec.Command(cli, "version").Output()
	return regexp.MustCompile(`(?m)^OpenTofu v`).Match(out)
})

// apiVersions are the versions every resource test runs against.
var apiVersions = []string{"v8", "v7"}

// actionProviderServer is a provider server with the action and list
// resource RPCs (Terraform 1.14).
type actionProviderServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ActionServer
	tfprotov6.ListResourceServer
}

// protoProvider is the provider served in-process over protocol 6.
type protoProvider struct {
	t      testing.TB
	srv    actionProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
}

func newProtoProvider(t *testing.T) *protoProvider {
	t.Helper()
	needsFake(t)
	srv, ok := NewServer("test")().(actionProviderServer)
	if !ok {
		t.Fatal("the provider server does not implement the action RPCs")
	}
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrorDiags(t, "GetProviderSchema", resp.Diagnostics)
	return &protoProvider{t: t, srv: srv, schema: resp}
}

// objectValue builds an object of typ with vals and null for every other attribute.
func objectValue(t testing.TB, typ tftypes.Type, vals map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	m := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, at := range obj.AttributeTypes {
		m[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range vals {
		if _, ok := obj.AttributeTypes[name]; !ok {
			t.Fatalf("the schema has no attribute %q", name)
		}
		m[name] = v
	}
	return tftypes.NewValue(obj, m)
}

func dynamicValue(t testing.TB, typ tftypes.Type, vals map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, objectValue(t, typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func requireNoErrorDiags(t testing.TB, op string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s: %s", op, d.Summary, d.Detail)
		}
	}
}

func diagsText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Severity.String() + ": " + d.Summary + ": " + d.Detail + "\n")
	}
	return b.String()
}

// textRe matches text word for word, whatever line wrapping Terraform
// applies to a diagnostic's detail.
func textRe(text string) *regexp.Regexp {
	words := strings.Fields(text)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(words, `\s+`))
}

// diagRe matches a diagnostic's summary, then (after the configuration
// excerpt Terraform prints in between) its detail, word for word.
func diagRe(summary, detail string) *regexp.Regexp {
	return regexp.MustCompile(textRe(summary).String() + `.*` + strings.TrimPrefix(textRe(detail).String(), `(?s)`))
}

// queriesOfRoute returns the parsed queries of the requests of a route.
func queriesOfRoute(fake *vb365test.Server, route string) []url.Values {
	var out []url.Values
	for _, r := range fake.Requests() {
		if r.Route == route {
			q, _ := url.ParseQuery(r.Query)
			out = append(out, q)
		}
	}
	return out
}

func strSet(ids ...string) tftypes.Value {
	vals := make([]tftypes.Value, len(ids))
	for i, id := range ids {
		vals[i] = tftypes.NewValue(tftypes.String, id)
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, vals)
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// expectRequests checks how often routes were called since the last
// ResetRequests.
func expectRequests(fake *vb365test.Server, want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := fake.CountByRoute()
		for route, n := range want {
			if got[route] != n {
				return fmt.Errorf("%d × %s, want %d (all: %v)", got[route], route, n, got)
			}
		}
		return nil
	}
}

func (p *protoProvider) configure(fake *vb365test.Server, version string) {
	p.t.Helper()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	cfg := dynamicValue(p.t, p.schema.Provider.ValueType(), map[string]tftypes.Value{
		"url":             str(fake.URL),
		"username":        str(fake.Username()),
		"password":        str(fake.Password()),
		"api_version":     str(version),
		"max_retries":     tftypes.NewValue(tftypes.Number, 0),
		"request_timeout": str(testRequestTimeout),
	})
	resp, err := p.srv.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: cfg})
	if err != nil {
		p.t.Fatal(err)
	}
	requireNoErrorDiags(p.t, "ConfigureProvider", resp.Diagnostics)
}

// invokeAction plans and invokes an action with an empty configuration and
// returns the progress messages and the final diagnostics.
func (p *protoProvider) invokeAction(actionType string) ([]string, []*tfprotov6.Diagnostic) {
	p.t.Helper()
	return p.invokeActionWith(actionType, nil)
}

// invokeActionWith is invokeAction with a configuration.
func (p *protoProvider) invokeActionWith(actionType string, config map[string]tftypes.Value) ([]string, []*tfprotov6.Diagnostic) {
	p.t.Helper()
	ctx := context.Background()
	as, ok := p.schema.ActionSchemas[actionType]
	if !ok {
		p.t.Fatalf("the provider has no action %q", actionType)
	}
	cfg := dynamicValue(p.t, as.Schema.ValueType(), config)
	plan, err := p.srv.PlanAction(ctx, &tfprotov6.PlanActionRequest{ActionType: actionType, Config: cfg, ClientCapabilities: &tfprotov6.PlanActionClientCapabilities{}})
	if err != nil {
		p.t.Fatal(err)
	}
	requireNoErrorDiags(p.t, "PlanAction", plan.Diagnostics)
	stream, err := p.srv.InvokeAction(ctx, &tfprotov6.InvokeActionRequest{ActionType: actionType, Config: cfg, ClientCapabilities: &tfprotov6.InvokeActionClientCapabilities{}})
	if err != nil {
		p.t.Fatal(err)
	}
	var progress []string
	var diags []*tfprotov6.Diagnostic
	completed := 0
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			completed++
			diags = e.Diagnostics
		}
	}
	if completed != 1 {
		p.t.Fatalf("%d completion events, want 1", completed)
	}
	return progress, diags
}

// planResource runs PlanResourceChange as Terraform would for a create (prior
// null) or a destroy (proposed null) and returns the diagnostics.
func (p *protoProvider) planResource(typeName string, prior, proposed map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	p.t.Helper()
	rs, ok := p.schema.ResourceSchemas[typeName]
	if !ok {
		p.t.Fatalf("no resource %s", typeName)
	}
	typ := rs.ValueType()
	val := func(m map[string]tftypes.Value) *tfprotov6.DynamicValue {
		if m == nil {
			dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
			if err != nil {
				p.t.Fatal(err)
			}
			return &dv
		}
		return dynamicValue(p.t, typ, m)
	}
	resp, err := p.srv.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: val(prior), ProposedNewState: val(proposed), Config: val(proposed),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
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

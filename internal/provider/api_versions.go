package provider

// What an API version lacks is refused at plan time, before anything is
// sent: the one mechanism for every resource, data source, action and list
// resource.
//
// A type that not every REST API version has is registered in provider.go
// with the feature of the client's version table it needs:
//
//	needs(vb365.FeatureRestoreOperatorRoles, NewRestoreOperatorRoleResource),
//
// The type's Configure (resourceClient, dataSourceClient, the actions' own)
// then refuses a client of an older version. The framework configures a
// type at the start of every RPC that reaches it once the provider is
// configured (validate, plan, read, apply, import, the action's plan and
// invoke, the list), so a configuration, a state, an import or a query that
// holds the type fails at plan time with the diagnostic below, and its code
// never runs: nothing is sent. Configure is also the first place that sees
// the resolved api_version (the attribute or VB365_API_VERSION): a type's
// ValidateConfig sees its own configuration only, and runs before the
// provider is configured.
//
// TestEveryTypeIsSupportedOrRefused (api_versions_test.go) walks every type
// the provider registers, as the framework reports them, on every version.

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// versionGate is the feature a type needs; embedded in the client holders
// (resourceClient, dataSourceClient, emailSendTestAction). The zero value
// needs nothing: every version has the type.
type versionGate struct{ needs vb365.Feature }

func (g *versionGate) requireFeature(f vb365.Feature) { g.needs = f }

// requirement is the feature the type needs, 0 for none.
func (g *versionGate) requirement() vb365.Feature { return g.needs }

// refuse adds the refusal when the client's version lacks the feature. A
// nil client (the provider is not configured yet) passes.
func (g *versionGate) refuse(c *vb365.Client, diags *diag.Diagnostics) {
	if c == nil || g.needs == 0 || c.APIVersion().Has(g.needs) {
		return
	}
	addVersionRefusal(diags, path.Empty(), g.needs, c.APIVersion())
}

// needs registers a type that needs a feature of the API: the constructor
// it returns makes the type and sets the requirement, which the type's
// Configure checks. A type that does not embed a versionGate cannot be
// registered so; TestEveryTypeIsSupportedOrRefused calls every constructor.
func needs[T any](f vb365.Feature, newT func() T) func() T {
	return func() T {
		t := newT()
		g, ok := any(t).(interface{ requireFeature(vb365.Feature) })
		if !ok {
			panic(fmt.Sprintf("provider: %T is registered with needs but embeds no versionGate", t))
		}
		g.requireFeature(f)
		return t
	}
}

// addVersionRefusal is the one diagnostic of something the configured API
// version lacks: it names the feature, the first version that has it and
// api_version. at is the attribute that asks for it, or path.Empty() for a
// whole resource, data source, action or list resource.
func addVersionRefusal(diags *diag.Diagnostics, at path.Path, f vb365.Feature, v vb365.APIVersion) {
	name := f.String()
	summary := fmt.Sprintf("%s need REST API %s", strings.ToUpper(name[:1])+name[1:], f.Since())
	detail := fmt.Sprintf("VB365 REST API %[1]s has no %[2]s: they need %[3]s or later, and the provider speaks %[1]s "+
		"(api_version = %[1]q in the provider block, or %[4]s=%[1]s). Nothing was sent to the server.\n\n"+
		"Set api_version = %[3]q (or later) if the server serves it, or ", v, name, f.Since(), envAPIVersion)
	if at.Equal(path.Empty()) {
		diags.AddError(summary, detail+"remove what uses "+name+" from the configuration (and, when it is in the state, "+
			"remove it there with terraform state rm: the provider cannot read or delete it with "+string(v)+").")
		return
	}
	diags.AddAttributeError(at, summary, detail+"remove "+at.String()+".")
}

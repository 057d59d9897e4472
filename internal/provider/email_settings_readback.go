package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// knownAuthTypes are the authentication types the e-mail settings schema
// can represent.
var knownAuthTypes = []string{vb365.AuditEmailAuthCustomSMTP, vb365.AuditEmailAuthMicrosoft365, vb365.AuditEmailAuthGoogleGmail}

// keepPlanned checks one field read back after a write against the plan.
// A field the server returns as null (empty) keeps its planned value: a
// server may leave fields out of a read. A field it returns with another
// value is a contradiction, added to bad, so that the caller raises its own
// error instead of handing Terraform a state that differs from the plan
// ("Provider produced inconsistent result", which taints a created
// resource).
func keepPlanned[T attr.Value](name string, plan T, got *T, bad *[]string) {
	if plan.IsNull() || plan.IsUnknown() {
		return
	}
	if (*got).IsNull() {
		*got = plan
		return
	}
	if !(*got).Equal(plan) {
		*bad = append(*bad, fmt.Sprintf("%s = %s (planned %s)", name, (*got).String(), plan.String()))
	}
}

// unknownAuthType says whether the server reported an authentication type
// the schema does not know, and names it.
func unknownAuthType(t string) (string, bool) {
	for _, k := range knownAuthTypes {
		if strings.EqualFold(k, t) {
			return "", false
		}
	}
	return t, true
}

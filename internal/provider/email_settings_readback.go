package provider

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// knownAuthTypes are the authentication types the e-mail settings schema
// can represent.
var knownAuthTypes = []string{vb365.EmailAuthCustomSMTP, vb365.EmailAuthMicrosoft365, vb365.EmailAuthGoogleGmail}

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
// the schema does not know, and names it. None reported (an Explorer's
// account before v8) is not unknown.
func unknownAuthType(t string) (string, bool) {
	if t == "" {
		return "", false
	}
	for _, k := range knownAuthTypes {
		if strings.EqualFold(k, t) {
			return "", false
		}
	}
	return t, true
}

// checkReadBack compares the account read back after a PUT (got, mapped
// into state) with the plan: null fields keep their planned value, and an
// unknown authentication type or a contradicting value is an error. bad
// holds what the singleton's own fields contradict. It reports whether
// state may be recorded.
func checkReadBack(k emailSettingsKind, action string, got *vb365.EmailSettings, plan emailAccountModel, state *emailAccountModel, diags *diag.Diagnostics, bad []string) bool {
	if t, unknown := unknownAuthType(got.AuthenticationType); unknown {
		diags.AddError("Unable to "+action+" "+k.noun,
			fmt.Sprintf("VB365 accepted the settings, but reads back the authentication type %q, which this provider version does not know "+
				"(it knows %s). Nothing was recorded in state; upgrade the provider, or set the type in the VB365 console.", t, strings.Join(knownAuthTypes, ", ")))
		return false
	}
	// Booleans the server did not return read as false: null them so
	// that the planned value is kept.
	for name, field := range map[string]*types.Bool{"enableNotification": &state.Enabled, "useAuthentication": &state.UseAuthentication, "useSSL": &state.UseSSL} {
		if got.NullBooleans[name] {
			*field = types.BoolNull()
		}
	}
	keepPlanned("enabled", plan.Enabled, &state.Enabled, &bad)
	keepPlanned("authentication_type", plan.AuthenticationType, &state.AuthenticationType, &bad)
	keepPlanned("port", plan.Port, &state.Port, &bad)
	keepPlanned("use_ssl", plan.UseSSL, &state.UseSSL, &bad)
	keepPlanned("use_authentication", plan.UseAuthentication, &state.UseAuthentication, &bad)
	keepPlanned("username", plan.Username, &state.Username, &bad)
	keepPlanned("from", plan.From, &state.From, &bad)
	keepPlanned("user_id", plan.UserID, &state.UserID, &bad)
	keepPlanned("mail_api_url", plan.MailAPIURL, &state.MailAPIURL, &bad)
	if len(bad) > 0 {
		sort.Strings(bad)
		diags.AddError("Unable to "+action+" "+k.noun,
			"VB365 accepted the settings, but reads back other values: "+strings.Join(bad, "; ")+". Nothing was recorded in state. "+
				"Something else may have changed them at the same moment, or the server adjusts them; check them in VB365 and apply again.")
		return false
	}
	return true
}

// emailSettingsReadBack checks what the audit and job settings add to the
// account after a PUT: the SMTP server, the recipients and the subject.
func emailSettingsReadBack(plan emailSettingsModel, state *emailSettingsModel, bad *[]string) {
	keepPlanned("smtp_server", plan.SMTPServer, &state.SMTPServer, bad)
	keepPlanned("to", plan.To, &state.To, bad)
	keepPlanned("subject", plan.Subject, &state.Subject, bad)
}

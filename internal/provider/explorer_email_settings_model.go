package provider

// The model of vb365_explorer_email_settings: what a write sends (every
// known field, the password whenever configured, request_id when the
// sign-in is needed), what a destroy sends, and the answer mapped back.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// explorerSignInNeeded says whether a write must send request_id: it is
// configured, and it or the account changed, or the prior state shows the
// sign-in not in effect (not an OAuth account, or not signed in).
func explorerSignInNeeded(cfg, plan explorerEmailSettingsModel, prior *explorerEmailSettingsModel) bool {
	if cfg.RequestID.IsNull() {
		return false
	}
	return prior == nil || !prior.RequestID.Equal(plan.RequestID) || !strings.EqualFold(prior.UserID.ValueString(), plan.UserID.ValueString()) ||
		!prior.IsAuthenticated.ValueBool() || !isOAuthType(prior.AuthenticationType.ValueString())
}

// known returns a known, non-null value's pointer, else nil.
func knownString(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return v.ValueStringPointer()
}

func knownBool(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return v.ValueBoolPointer()
}

// explorerFields is every field of the account the model knows.
func explorerFields(m explorerEmailSettingsModel) vb365.ExplorerEmailSettingsUpdate {
	u := vb365.ExplorerEmailSettingsUpdate{
		EnableNotification: knownBool(m.Enabled),
		Server:             knownString(m.Server),
		UseAuthentication:  knownBool(m.UseAuthentication),
		Username:           knownString(m.Username),
		UseSSL:             knownBool(m.UseSSL),
		From:               knownString(m.From),
		UserID:             knownString(m.UserID),
		MailAPIURL:         knownString(m.MailAPIURL),
	}
	if !m.Port.IsNull() && !m.Port.IsUnknown() {
		p := int(m.Port.ValueInt64())
		u.Port = &p
	}
	return u
}

// explorerToAPI builds the PUT: every field the plan knows (the configured
// ones, and the server's values the state holds for the others), so that a
// server which resets what it is not sent keeps the account as declared;
// the password whenever it is configured, for the same reason; request_id
// when explorerSignInNeeded.
func explorerToAPI(_ context.Context, plan, cfg explorerEmailSettingsModel, prior *explorerEmailSettingsModel) (vb365.ExplorerEmailSettingsUpdate, []string, diag.Diagnostics) {
	u := explorerFields(plan)
	var secrets []string
	switch {
	case !cfg.PasswordWO.IsNull():
		u.UserPassword = cfg.PasswordWO.ValueStringPointer()
		secrets = append(secrets, "password_wo")
	case !cfg.Password.IsNull():
		u.UserPassword = plan.Password.ValueStringPointer()
		secrets = append(secrets, "password")
	}
	if explorerSignInNeeded(cfg, plan, prior) {
		u.RequestID = plan.RequestID.ValueStringPointer()
		secrets = append(secrets, "request_id")
	}
	return u, secrets, nil
}

// explorerSignInAgain sends the write again with request_id when the first
// left it out and VB365 refused it (400) or the read-back shows the sign-in
// lost: a server that takes a request without requestId for an SMTP
// account. request_id is otherwise sent only when needed
// (explorerSignInNeeded), as a server may take each sign-in once.
func explorerSignInAgain(got *vb365.ExplorerEmailSettings, err error, plan explorerEmailSettingsModel, sent vb365.ExplorerEmailSettingsUpdate) (vb365.ExplorerEmailSettingsUpdate, bool) {
	if sent.RequestID != nil || plan.RequestID.IsNull() || plan.RequestID.IsUnknown() {
		return sent, false
	}
	refused := errors.Is(err, vb365.ErrBadRequest)
	lost := err == nil && (!isOAuthType(got.AuthenticationType) || !got.IsAuthenticated)
	if !refused && !lost {
		return sent, false
	}
	sent.RequestID = plan.RequestID.ValueStringPointer()
	return sent, true
}

// explorerDisable is the PUT of destroy: sending off, and every other field
// as the state has it (the password too when the state holds it), so that a
// server which resets what it is not sent changes nothing else.
func explorerDisable(state explorerEmailSettingsModel) vb365.ExplorerEmailSettingsUpdate {
	u := explorerFields(state)
	u.EnableNotification = new(bool)
	u.UserPassword = knownString(state.Password)
	return u
}

// explorerFromAPI maps an answer into state; before v8 the server reports no
// OAuth status, which stays null.
func explorerFromAPI(got *vb365.ExplorerEmailSettings, keep explorerEmailSettingsModel, oauth bool) (explorerEmailSettingsModel, diag.Diagnostics) {
	m := explorerEmailSettingsModel{
		ID:                types.StringValue(string(got.Explorer)),
		Explorer:          types.StringValue(string(got.Explorer)),
		Server:            optional(got.SMTPServer),
		emailAccountModel: emailAccountFromAPI(&got.EmailSettings, keep.emailAccountModel, oauth),
	}
	m.AuthenticationType = optional(got.AuthenticationType)
	return m, nil
}

// explorerReadBack checks what the Explorers add after a PUT: the server,
// the sign-in status, and an OAuth account the server kept although the
// configuration declares SMTP.
func explorerReadBack(_ *vb365.ExplorerEmailSettings, plan explorerEmailSettingsModel, state *explorerEmailSettingsModel, bad *[]string) {
	keepPlanned("server", plan.Server, &state.Server, bad)
	keepPlanned("is_authenticated", plan.IsAuthenticated, &state.IsAuthenticated, bad)
	if t := state.AuthenticationType.ValueString(); plan.AuthenticationType.ValueString() == vb365.EmailAuthCustomSMTP && isOAuthType(t) {
		*bad = append(*bad, fmt.Sprintf("authentication_type = %q as %s (planned \"CustomSmtp\": the configuration names no OAuth account, "+
			"and VB365 kept the one it had; the Explorers' requests have no authentication type to change it: switch the Explorer "+
			"back to SMTP in the VB365 console, or declare the account with user_id)", t, state.UserID.ValueString()))
		state.AuthenticationType = plan.AuthenticationType // reported here
	}
}

// explorerSentFields names the fields of a PUT, for the debug log (never
// values).
func explorerSentFields(u vb365.ExplorerEmailSettingsUpdate) []string {
	var f []string
	for name, set := range map[string]bool{
		"enableNotification": u.EnableNotification != nil, "server": u.Server != nil, "port": u.Port != nil,
		"useAuthentication": u.UseAuthentication != nil, "username": u.Username != nil, "userPassword": u.UserPassword != nil,
		"useSSL": u.UseSSL != nil, "from": u.From != nil, "userId": u.UserID != nil, "mailApiUrl": u.MailAPIURL != nil,
		"requestId": u.RequestID != nil,
	} {
		if set {
			f = append(f, name)
		}
	}
	sort.Strings(f)
	return f
}

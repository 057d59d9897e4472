package provider

// The e-mail settings model and its mapping to and from the wire.

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// emailAccountModel is the sending account every e-mail settings singleton
// has (the audit and job settings, and each Explorer's mail account): on or
// off, how it signs in and as whom. The singletons embed it.
type emailAccountModel struct {
	Enabled            types.Bool   `tfsdk:"enabled"`
	AuthenticationType types.String `tfsdk:"authentication_type"`
	Port               types.Int64  `tfsdk:"port"`
	UseSSL             types.Bool   `tfsdk:"use_ssl"`
	UseAuthentication  types.Bool   `tfsdk:"use_authentication"`
	Username           types.String `tfsdk:"username"`
	Password           types.String `tfsdk:"password"`
	PasswordWO         types.String `tfsdk:"password_wo"`
	PasswordWOVersion  types.Int64  `tfsdk:"password_wo_version"`
	From               types.String `tfsdk:"from"`
	UserID             types.String `tfsdk:"user_id"`
	RequestID          types.String `tfsdk:"request_id"`
	MailAPIURL         types.String `tfsdk:"mail_api_url"`
	IsAuthenticated    types.Bool   `tfsdk:"is_authenticated"`
	ClientID           types.String `tfsdk:"client_id"`
	TenantID           types.String `tfsdk:"tenant_id"`
}

// emailSettingsModel holds the attributes of the audit and job e-mail
// settings (emailSettingsAttributes): the account, its SMTP server, and
// whom the e-mails go to.
type emailSettingsModel struct {
	ID types.String `tfsdk:"id"`
	emailAccountModel
	SMTPServer types.String `tfsdk:"smtp_server"`
	To         types.List   `tfsdk:"to"`
	Subject    types.String `tfsdk:"subject"`
}

// toAPI builds the PUT from the plan: every attribute the configuration
// sets, and the secrets only when they must be (re)sent. prior is nil on
// create.
func (m *emailSettingsModel) toAPI(ctx context.Context, cfg emailSettingsModel, prior *emailSettingsModel) (vb365.EmailSettingsUpdate, []string, diag.Diagnostics) {
	var diags diag.Diagnostics
	u := vb365.EmailSettingsUpdate{
		EnableNotification: m.Enabled.ValueBoolPointer(),
		AuthenticationType: m.AuthenticationType.ValueStringPointer(),
	}
	if !cfg.SMTPServer.IsNull() {
		u.SMTPServer = m.SMTPServer.ValueStringPointer()
	}
	if !cfg.Port.IsNull() {
		p := int(m.Port.ValueInt64())
		u.Port = &p
	}
	if !cfg.UseSSL.IsNull() {
		u.UseSSL = m.UseSSL.ValueBoolPointer()
	}
	if !cfg.UseAuthentication.IsNull() {
		u.UseAuthentication = m.UseAuthentication.ValueBoolPointer()
	}
	if !cfg.Username.IsNull() {
		u.Username = m.Username.ValueStringPointer()
	}
	if !cfg.From.IsNull() {
		u.From = m.From.ValueStringPointer()
	}
	if !cfg.To.IsNull() {
		to := []string{}
		diags.Append(m.To.ElementsAs(ctx, &to, false)...)
		u.To = to
	}
	if !cfg.Subject.IsNull() {
		u.Subject = m.Subject.ValueStringPointer()
	}
	if !cfg.UserID.IsNull() {
		u.UserID = m.UserID.ValueStringPointer()
	}
	if !cfg.MailAPIURL.IsNull() {
		u.MailAPIURL = m.MailAPIURL.ValueStringPointer()
	}

	// Secrets the server never returns: send them when they are new.
	var secrets []string
	switch {
	case !cfg.PasswordWO.IsNull() && (prior == nil || !prior.PasswordWOVersion.Equal(m.PasswordWOVersion)):
		// The write-only value lives only in the configuration.
		u.UserPassword = cfg.PasswordWO.ValueStringPointer()
		secrets = append(secrets, "password_wo")
	case !cfg.Password.IsNull() && (prior == nil || !prior.Password.Equal(m.Password)):
		u.UserPassword = m.Password.ValueStringPointer()
		secrets = append(secrets, "password")
	}
	if !cfg.RequestID.IsNull() && (prior == nil || !prior.RequestID.Equal(m.RequestID) ||
		!prior.UserID.Equal(m.UserID) || !prior.AuthenticationType.Equal(m.AuthenticationType)) {
		u.RequestID = m.RequestID.ValueStringPointer()
		secrets = append(secrets, "request_id")
	}
	return u, secrets, diags
}

// sentEmailFields names the fields of a PUT, for the debug log (never values).
func sentEmailFields(u vb365.EmailSettingsUpdate) []string {
	var f []string
	add := func(ok bool, name string) {
		if ok {
			f = append(f, name)
		}
	}
	add(u.EnableNotification != nil, "enableNotification")
	add(u.AuthenticationType != nil, "authenticationType")
	add(u.SMTPServer != nil, "smtpServer")
	add(u.Port != nil, "port")
	add(u.UseSSL != nil, "useSSL")
	add(u.UseAuthentication != nil, "useAuthentication")
	add(u.Username != nil, "username")
	add(u.UserPassword != nil, "userPassword")
	add(u.From != nil, "from")
	add(u.To != nil, "to")
	add(u.Subject != nil, "subject")
	add(u.UserID != nil, "userId")
	add(u.MailAPIURL != nil, "mailApiUrl")
	add(u.RequestID != nil, "requestId")
	sort.Strings(f)
	return f
}

// emailSettingsFromAPI returns the state for what the server answered: id is
// the singleton's ID, oauth whether the API version reports the OAuth status
// (is_authenticated). The attributes the server never returns (password,
// password_wo_version, request_id) are taken from keep, the plan or the
// prior state.
func emailSettingsFromAPI(s *vb365.EmailSettings, keep emailSettingsModel, id string, oauth bool) (emailSettingsModel, diag.Diagnostics) {
	m := emailSettingsModel{
		ID:                types.StringValue(id),
		emailAccountModel: emailAccountFromAPI(s, keep.emailAccountModel, oauth),
		SMTPServer:        optional(s.SMTPServer),
		To:                types.ListNull(types.StringType),
		Subject:           optional(s.Subject),
	}
	var diags diag.Diagnostics
	if len(s.To) > 0 {
		m.To, diags = types.ListValueFrom(context.Background(), types.StringType, s.To)
	}
	return m, diags
}

// emailAccountFromAPI maps the account part of an answer, keeping what the
// server never returns from keep. oauth says whether the version reports
// the OAuth status (is_authenticated).
func emailAccountFromAPI(s *vb365.EmailSettings, keep emailAccountModel, oauth bool) emailAccountModel {
	m := emailAccountModel{
		Enabled:            types.BoolValue(s.EnableNotification),
		AuthenticationType: types.StringValue(s.AuthenticationType),
		Port:               types.Int64Null(),
		UseSSL:             types.BoolValue(s.UseSSL),
		UseAuthentication:  types.BoolValue(s.UseAuthentication),
		Username:           optional(s.Username),
		Password:           keep.Password,
		PasswordWO:         types.StringNull(),
		PasswordWOVersion:  keep.PasswordWOVersion,
		From:               optional(s.From),
		UserID:             optional(s.UserID),
		RequestID:          keep.RequestID,
		MailAPIURL:         optional(s.MailAPIURL),
		IsAuthenticated:    types.BoolNull(),
		ClientID:           optional(s.ClientID),
		TenantID:           optional(s.TenantID),
	}
	if s.Port != 0 {
		m.Port = types.Int64Value(int64(s.Port))
	}
	if s.UsernameNotReported {
		// v5's documents do not read it back: kept as written, like the
		// password (a change made elsewhere is not seen).
		m.Username = keep.Username
	}
	if oauth {
		m.IsAuthenticated = types.BoolValue(s.IsAuthenticated)
	}
	return m
}

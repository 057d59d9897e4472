package provider

// The e-mail settings singletons (vb365_audit_email_settings, and the job
// notification settings after it) share one schema, model, validation and
// read-back; an emailSettingsKind says what tells them apart.

import (
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// emailSettingsKind is what one e-mail settings singleton adds to the shared
// implementation: its names in the schema and in diagnostics, and since
// when its account may sign in with OAuth.
type emailSettingsKind struct {
	id       string // the constant resource ID, e.g. "audit_email_settings"
	typeName string // the resource type, e.g. "vb365_audit_email_settings"
	noun     string // in diagnostics, e.g. "audit e-mail settings"
	mails    string // what the server sends, e.g. "audit e-mails"
	account  string // an example sender address
	subject  string // the subject attribute's description, variables included

	// oauth says whether an API version has the account's OAuth sign-in;
	// oauthSince names the first one ("v7"), oauthFix what to do when the
	// provider speaks an older one.
	oauth      func(vb365.APIVersion) bool
	oauthSince string
	oauthFix   string
}

// emailOAuthFix is what to do when the provider speaks a version without
// the audit and job settings' OAuth sign-in (v6).
const emailOAuthFix = "Set api_version = \"v8\" (or \"v7\") in the provider block, or use authentication_type = \"CustomSmtp\" " +
	"without user_id, request_id and mail_api_url."

// Mails is mails with a capital letter, to start a sentence.
func (k emailSettingsKind) Mails() string { return strings.ToUpper(k.mails[:1]) + k.mails[1:] }

// emailAddressRegexp accepts one e-mail address: no blanks, no ';' or ','
// (the server separates recipients with ';').
var emailAddressRegexp = regexp.MustCompile(`^[^@\s;,]+@[^@\s;,]+\.[^@\s;,.]+$`)

// emailSettingsAttributes is the schema of the audit and job settings: the
// account (emailAccountAttributes), its SMTP server, the recipients and
// the subject.
func emailSettingsAttributes(k emailSettingsKind) map[string]schema.Attribute {
	keepString := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	email := stringvalidator.RegexMatches(emailAddressRegexp, "must be one e-mail address, such as soc@contoso.onmicrosoft.com")
	attrs := emailAccountAttributes(k)
	for name, a := range map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "Always `" + k.id + "`: the server has one settings object. Import it with this ID.",
			Computed:            true,
			PlanModifiers:       keepString,
		},
		"authentication_type": schema.StringAttribute{
			MarkdownDescription: "How VB365 sends the e-mails: `CustomSmtp` (default; an SMTP server), or `Microsoft365` / " +
				"`GoogleGmail` (the Microsoft Graph or Gmail API on behalf of an account signed in once with OAuth; " +
				"REST API v7 and later, and they need `user_id` and `request_id`).",
			Optional: true,
			Computed: true,
			Default:  stringdefault.StaticString(vb365.EmailAuthCustomSMTP),
			Validators: []validator.String{stringvalidator.OneOf(
				vb365.EmailAuthCustomSMTP, vb365.EmailAuthMicrosoft365, vb365.EmailAuthGoogleGmail)},
		},
		"smtp_server": schema.StringAttribute{
			MarkdownDescription: "DNS name or IP address of the SMTP server, e.g. `smtp.office365.com`. Required when " +
				"`enabled` is true and `authentication_type` is `CustomSmtp`. When omitted, the server's value is kept.",
			Optional:      true,
			Computed:      true,
			PlanModifiers: keepString,
			Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"to": schema.ListAttribute{
			MarkdownDescription: "Recipients of the " + k.mails + ", one address per element (the server stores them as " +
				"one `;`-separated string). When omitted, the server's value is kept.",
			ElementType:   types.StringType,
			Optional:      true,
			Computed:      true,
			PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			Validators: []validator.List{
				listvalidator.SizeAtLeast(1),
				listvalidator.ValueStringsAre(email),
			},
		},
		"subject": schema.StringAttribute{
			MarkdownDescription: k.subject + " When omitted, the server's value is kept.",
			Optional:            true,
			Computed:            true,
			PlanModifiers:       keepString,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
	} {
		attrs[name] = a
	}
	return attrs
}

// emailAccountAttributes is the schema of the sending account every e-mail
// settings singleton has (emailAccountModel).
func emailAccountAttributes(k emailSettingsKind) map[string]schema.Attribute {
	keepString := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	keepBool := []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}
	email := stringvalidator.RegexMatches(emailAddressRegexp, "must be one e-mail address, such as soc@contoso.onmicrosoft.com")
	oauthSince := "REST API " + k.oauthSince + " and later"
	return map[string]schema.Attribute{
		"enabled": schema.BoolAttribute{
			MarkdownDescription: "Whether VB365 sends " + k.mails + " (`enableNotification`).",
			Required:            true,
		},
		"port": schema.Int64Attribute{
			MarkdownDescription: "TCP port of the SMTP server, 1–65535, e.g. `587` for STARTTLS or `25`. When omitted, the server's value is kept.",
			Optional:            true,
			Computed:            true,
			PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			Validators:          []validator.Int64{int64validator.Between(1, 65535)},
		},
		"use_ssl": schema.BoolAttribute{
			MarkdownDescription: "Whether the SMTP connection is encrypted with TLS (`useSSL`). When omitted, the server's value is kept.",
			Optional:            true,
			Computed:            true,
			PlanModifiers:       keepBool,
		},
		"use_authentication": schema.BoolAttribute{
			MarkdownDescription: "Whether VB365 signs in to the SMTP server with `username` and a password. " +
				"Must be `true` when `username`, `password` or `password_wo` is set. When omitted, the server's value is kept.",
			Optional:      true,
			Computed:      true,
			PlanModifiers: keepBool,
		},
		"username": schema.StringAttribute{
			MarkdownDescription: "SMTP account, e.g. `" + k.account + "`. Only with `use_authentication = true`. " +
				"When omitted, the server's value is kept.",
			Optional:      true,
			Computed:      true,
			PlanModifiers: keepString,
			Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"password": schema.StringAttribute{
			MarkdownDescription: "Password of `username`. It is stored in the Terraform state; prefer `password_wo` " +
				"(Terraform 1.11 and later), which is not. The server never returns it, so a change made outside Terraform " +
				"is not detected; it is sent when it changes. Conflicts with `password_wo`; only with `use_authentication = true`.",
			Optional:  true,
			Sensitive: true,
			Validators: []validator.String{
				stringvalidator.ConflictsWith(path.MatchRoot("password_wo")),
				stringvalidator.PreferWriteOnlyAttribute(path.MatchRoot("password_wo")),
			},
		},
		"password_wo": schema.StringAttribute{
			MarkdownDescription: "Password of `username`, write-only: Terraform sends it to VB365 but never stores it in " +
				"the plan or the state (Terraform 1.11 and later). Because Terraform cannot compare it, it is sent on create " +
				"and whenever `password_wo_version` changes: change `password_wo_version` to rotate the password. " +
				"Conflicts with `password`; only with `use_authentication = true`.",
			Optional:  true,
			Sensitive: true,
			WriteOnly: true,
		},
		"password_wo_version": schema.Int64Attribute{
			MarkdownDescription: "Any number; change it (e.g. increment it) to send `password_wo` to the server again. " +
				"Requires `password_wo`.",
			Optional:   true,
			Validators: []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("password_wo"))},
		},
		"from": schema.StringAttribute{
			MarkdownDescription: "Sender address of the " + k.mails + ", e.g. `" + k.account + "`. " +
				"When omitted, the server's value is kept.",
			Optional:      true,
			Computed:      true,
			PlanModifiers: keepString,
			Validators:    []validator.String{email},
		},
		"user_id": schema.StringAttribute{
			MarkdownDescription: "For `Microsoft365` and `GoogleGmail`: the account the e-mails are sent on behalf of, " +
				"the `userId` CompleteOAuthSignIn returned. Required for those authentication types; " + oauthSince + ".",
			Optional:      true,
			Computed:      true,
			PlanModifiers: keepString,
			Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"request_id": schema.StringAttribute{
			MarkdownDescription: "For `Microsoft365` and `GoogleGmail`: the `requestId` CompleteOAuthSignIn returned, which " +
				"lets VB365 use that sign-in. Required for those authentication types; " + oauthSince + ". The server never " +
				"returns it; it is sent on create and when it, `user_id` or `authentication_type` changes. Pass it from a " +
				"variable marked `sensitive`.",
			Optional:   true,
			Sensitive:  true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"mail_api_url": schema.StringAttribute{
			MarkdownDescription: "For `Microsoft365`: the Microsoft Graph endpoint the e-mails are sent through, for " +
				"national clouds (e.g. `https://graph.microsoft.us`). " + oauthSince + ". When omitted, the server's value is kept.",
			Optional:      true,
			Computed:      true,
			PlanModifiers: keepString,
			Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"is_authenticated": schema.BoolAttribute{
			MarkdownDescription: "Whether the OAuth account (`user_id`) is signed in, as the server reports it. " +
				"Null with REST API " + map[string]string{"v7": "v6", "v8": "v6 and v7"}[k.oauthSince] + ".",
			Computed: true,
		},
		"client_id": schema.StringAttribute{
			MarkdownDescription: "Client (application) ID of the Entra or Google application used for the OAuth sign-in, " +
				"as the server reports it. " + oauthSince + ".",
			Computed: true,
		},
		"tenant_id": schema.StringAttribute{
			MarkdownDescription: "Entra tenant ID of the OAuth sign-in, as the server reports it. " + oauthSince + ".",
			Computed:            true,
		},
	}
}

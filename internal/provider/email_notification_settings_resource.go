package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// jobEmailSettings names the job notification settings (/VboEmailSettings)
// in the shared e-mail settings implementation (email_settings_*.go).
var jobEmailSettings = emailSettingsKind{
	id:       "email_notification_settings",
	typeName: "vb365_email_notification_settings",
	noun:     "e-mail notification settings",
	mails:    "job notification e-mails",
	account:  "vb365-jobs@contoso.onmicrosoft.com",
	subject: "Subject of the job notification e-mails. The server replaces these variables: `%JobName%` (the backup job), " +
		"`%JobResult%` (its result), `%OrgName%` (the organization), `%MailboxCount%` (the number of processed objects), " +
		"`%Issues%` (the number of warnings and errors) and `%Time%` (when the job ran). The console's default subject, " +
		"`[%JobResult%] %JobName% (%ObjectCount% objects) %Issues% issues`, also uses `%ObjectCount%`.",
	oauth:      vb365.APIVersion.SupportsEmailOAuth,
	oauthSince: "v7",
	oauthFix:   emailOAuthFix,
}

// jobEmailSettingsModel is the shared model plus the job flags.
type jobEmailSettingsModel struct {
	emailSettingsModel
	NotifyOnSuccess        types.Bool `tfsdk:"notify_on_success"`
	NotifyOnWarning        types.Bool `tfsdk:"notify_on_warning"`
	NotifyOnFailure        types.Bool `tfsdk:"notify_on_failure"`
	SuppressUntilLastRetry types.Bool `tfsdk:"suppress_until_last_retry"`
	AttachDetailedReport   types.Bool `tfsdk:"attach_detailed_report"`
}

// jobFlag is one job flag: its attribute, its wire name and where it lives
// in the model, the answer and the update.
type jobFlag struct {
	attr, wire string
	model      func(*jobEmailSettingsModel) *types.Bool
	answer     func(*vb365.JobEmailSettings) bool
	update     func(*vb365.JobEmailSettingsUpdate) **bool
	def        bool
	desc       string
}

var jobFlags = []jobFlag{
	{"notify_on_success", "notifyOnSuccess", func(m *jobEmailSettingsModel) *types.Bool { return &m.NotifyOnSuccess },
		func(s *vb365.JobEmailSettings) bool { return s.NotifyOnSuccess }, func(u *vb365.JobEmailSettingsUpdate) **bool { return &u.NotifyOnSuccess },
		true, "Whether a job that succeeds sends an e-mail (`notifyOnSuccess`). Default `true`."},
	{"notify_on_warning", "notifyOnWarning", func(m *jobEmailSettingsModel) *types.Bool { return &m.NotifyOnWarning },
		func(s *vb365.JobEmailSettings) bool { return s.NotifyOnWarning }, func(u *vb365.JobEmailSettingsUpdate) **bool { return &u.NotifyOnWarning },
		true, "Whether a job that ends with warnings sends an e-mail (`notifyOnWarning`). Default `true`."},
	{"notify_on_failure", "notifyOnFailure", func(m *jobEmailSettingsModel) *types.Bool { return &m.NotifyOnFailure },
		func(s *vb365.JobEmailSettings) bool { return s.NotifyOnFailure }, func(u *vb365.JobEmailSettingsUpdate) **bool { return &u.NotifyOnFailure },
		true, "Whether a job that fails sends an e-mail (`notifyOnFailure`). Default `true`."},
	{"suppress_until_last_retry", "supressUntilLastRetry", func(m *jobEmailSettingsModel) *types.Bool { return &m.SuppressUntilLastRetry },
		func(s *vb365.JobEmailSettings) bool { return s.SuppressUntilLastRetry }, func(u *vb365.JobEmailSettingsUpdate) **bool { return &u.SuppressUntilLastRetry },
		false, "Whether a job that will be retried sends its e-mail only after the last retry (`supressUntilLastRetry`, spelled so by the API). Default `false`."},
	{"attach_detailed_report", "attachDetailedReport", func(m *jobEmailSettingsModel) *types.Bool { return &m.AttachDetailedReport },
		func(s *vb365.JobEmailSettings) bool { return s.AttachDetailedReport }, func(u *vb365.JobEmailSettingsUpdate) **bool { return &u.AttachDetailedReport },
		false, "Whether the e-mail carries the detailed job report as an attachment (`attachDetailedReport`). Default `false`."},
}

// NewEmailNotificationSettingsResource manages the job notification e-mail
// settings: the shared e-mail settings implementation plus the job flags.
func NewEmailNotificationSettingsResource() resource.Resource {
	return &emailSettingsResource[jobEmailSettingsModel, vb365.JobEmailSettings, vb365.JobEmailSettingsUpdate]{
		kind:   jobEmailSettings,
		schema: emailNotificationSettingsSchema,
		ops: emailSettingsOps[jobEmailSettingsModel, vb365.JobEmailSettings, vb365.JobEmailSettingsUpdate]{
			account: func(m *jobEmailSettingsModel) *emailAccountModel { return &m.emailAccountModel },
			answer:  func(s *vb365.JobEmailSettings) *vb365.EmailSettings { return &s.EmailSettings },
			validate: func(k emailSettingsKind, cfg jobEmailSettingsModel, diags *diag.Diagnostics) {
				validateEmailSettings(k, cfg.emailSettingsModel, diags)
			},
			toAPI:    jobToAPI,
			fromAPI:  jobFromAPI,
			readBack: jobReadBack,
			fields: func(u vb365.JobEmailSettingsUpdate) []string {
				f := sentEmailFields(u.EmailSettingsUpdate)
				for _, fl := range jobFlags {
					if *fl.update(&u) != nil {
						f = append(f, fl.wire)
					}
				}
				return f
			},
			get: only[jobEmailSettingsModel]((*vb365.Client).GetJobEmailSettings),
			put: onlyPut[jobEmailSettingsModel]((*vb365.Client).UpdateJobEmailSettings),
			disable: func(jobEmailSettingsModel) vb365.JobEmailSettingsUpdate {
				return vb365.JobEmailSettingsUpdate{EmailSettingsUpdate: vb365.EmailSettingsUpdate{EnableNotification: new(bool)}}
			},
		},
	}
}

// emailNotificationSettingsSchema is the schema of
// vb365_email_notification_settings.
func emailNotificationSettingsSchema() schema.Schema {
	attrs := emailSettingsAttributes(jobEmailSettings)
	for _, fl := range jobFlags {
		attrs[fl.attr] = schema.BoolAttribute{
			MarkdownDescription: fl.desc,
			Optional:            true,
			Computed:            true,
			Default:             booldefault.StaticBool(fl.def),
		}
	}
	return schema.Schema{
		MarkdownDescription: "Manages the job notification e-mails of VB365 (console: General Options, Notifications): the e-mail " +
			"VB365 sends about the results of backup jobs. Its attributes are those of `vb365_audit_email_settings`, with the " +
			"same names and rules, plus when to send (`notify_on_*`, `suppress_until_last_retry`) and whether to attach the report.\n\n" +
			"The server has exactly one such settings object, separate from the audit e-mail settings: declare this resource at " +
			"most once per VB365 server. Creating it overwrites the server's current settings with the configured attributes; " +
			"attributes left out keep the value the server has, except the job flags, which have defaults and are always sent. " +
			"Destroying it turns the notifications off (`enableNotification = false`) and leaves the other settings on the server.\n\n" +
			"The server never returns the SMTP password or the OAuth `request_id`, so changes to them made outside Terraform " +
			"cannot be detected; every other field is compared, so changes made elsewhere show in the next plan.",
		Attributes: attrs,
	}
}

func jobToAPI(ctx context.Context, plan, cfg jobEmailSettingsModel, prior *jobEmailSettingsModel) (vb365.JobEmailSettingsUpdate, []string, diag.Diagnostics) {
	var sharedPrior *emailSettingsModel
	if prior != nil {
		sharedPrior = &prior.emailSettingsModel
	}
	shared, secrets, diags := plan.toAPI(ctx, cfg.emailSettingsModel, sharedPrior)
	u := vb365.JobEmailSettingsUpdate{EmailSettingsUpdate: shared}
	for _, fl := range jobFlags {
		*fl.update(&u) = fl.model(&plan).ValueBoolPointer()
	}
	return u, secrets, diags
}

func jobFromAPI(got *vb365.JobEmailSettings, keep jobEmailSettingsModel, oauth bool) (jobEmailSettingsModel, diag.Diagnostics) {
	shared, diags := emailSettingsFromAPI(&got.EmailSettings, keep.emailSettingsModel, jobEmailSettings.id, oauth)
	m := jobEmailSettingsModel{emailSettingsModel: shared}
	for _, fl := range jobFlags {
		*fl.model(&m) = types.BoolValue(fl.answer(got))
	}
	return m, diags
}

// jobReadBack checks the job flags read back after a PUT: a flag the server
// did not return keeps its planned value, another value is a contradiction.
func jobReadBack(got *vb365.JobEmailSettings, plan jobEmailSettingsModel, state *jobEmailSettingsModel, bad *[]string) {
	emailSettingsReadBack(plan.emailSettingsModel, &state.emailSettingsModel, bad)
	for _, fl := range jobFlags {
		if got.NullBooleans[fl.wire] {
			*fl.model(state) = types.BoolNull()
		}
		keepPlanned(fl.attr, *fl.model(&plan), fl.model(state), bad)
	}
}

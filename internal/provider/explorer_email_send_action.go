package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// explorerSendTestModel is the configuration of vb365_explorer_email_send_test.
type explorerSendTestModel struct {
	Explorer types.String `tfsdk:"explorer"`
	Email    types.String `tfsdk:"email"`
}

// NewExplorerEmailSendTestAction sends a test e-mail to one address through
// an Explorer's mail account as the server has it.
func NewExplorerEmailSendTestAction() action.Action {
	return &emailSendTestAction{t: emailSendTest{
		kind: explorerEmailSettings, typeName: "vb365_explorer_email_send_test", mail: "Explorer e-mail",
		disabled: "The Explorer's mail account is disabled",
		description: "Asks VB365 to send a test e-mail to `email` through the mail account of one Explorer as it is now (see " +
			"`vb365_explorer_email_settings`), to check the relay, the credentials or the OAuth sign-in. It calls " +
			"`POST /v8/Ve{x,od,sp,t}EmailSettings/SendTestEmail` (REST API v8), and in v6 and v7 `POST /vN/VexEmailSettings/SendTest`, " +
			"`POST /vN/VetEmailSettings/sendTest` (lower-case s, as Veeam spells it) or `POST /vN/Ve{od,sp}EmailSettings/SendTestEmail`.\n\n" +
			"**Requires Terraform 1.14 or later** (actions). Run it on demand with " +
			"`terraform apply -invoke=action.vb365_explorer_email_send_test.<name>`, or after the account changes from an " +
			"`action_trigger` in the `lifecycle` block of `vb365_explorer_email_settings`. It changes nothing in the state. " +
			"When the account is disabled the test mail may still go out, with a warning: whether a disabled account also " +
			"refuses the Explorer's own sends is not documented.",
		attributes: map[string]schema.Attribute{
			"explorer": schema.StringAttribute{
				MarkdownDescription: "Whose account: `exchange`, `onedrive`, `sharepoint` or `teams`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.OneOf(explorerNames()...)},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "The recipient of the test e-mail, one address.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(emailAddressRegexp, "must be one e-mail address, such as soc@contoso.onmicrosoft.com")},
			},
		},
		target: func(ctx context.Context, cfg tfsdk.Config) (sendTarget, diag.Diagnostics) {
			var m explorerSendTestModel
			diags := cfg.Get(ctx, &m)
			return sendTarget{explorer: vb365.Explorer(m.Explorer.ValueString()), email: m.Email.ValueString()}, diags
		},
		get: func(c *vb365.Client, ctx context.Context, t sendTarget) (*vb365.EmailSettings, error) {
			s, err := c.GetExplorerEmailSettings(ctx, t.explorer)
			if err != nil {
				return nil, err
			}
			return &s.EmailSettings, nil
		},
		send: func(c *vb365.Client, ctx context.Context, t sendTarget) error {
			return c.SendExplorerTestEmail(ctx, t.explorer, t.email)
		},
		path:       func(c *vb365.Client, t sendTarget) string { return c.ExplorerTestEmailPath(t.explorer) },
		recipients: func(_ *vb365.EmailSettings, t sendTarget) []string { return []string{t.email} },
		check:      "check server, port, use_ssl, the credentials (or the OAuth sign-in) in vb365_explorer_email_settings, and email.",
		disabledDetail: func(t sendTarget) string {
			return "The test e-mail was sent through the " + string(t.explorer) + " Explorer's account although it is disabled " +
				"(enabled = false). Veeam does not document whether a disabled account also refuses the Explorer's own sends " +
				"(the .../send* restores): treat the channel as closed only with the restore roles and audit items beside it."
		},
	}}
}

package provider

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

const auditEmailAddr = "vb365_audit_email_settings.this"

// auditEmailSMTP renders a CustomSmtp configuration through the Microsoft
// 365 SMTP relay; secret is the password line(s).
func auditEmailSMTP(to []string, subject, secret string, extra ...string) string {
	return emailSMTPConfig("vb365_audit_email_settings", "vb365-audit@contoso.onmicrosoft.com", to, subject, secret, extra...)
}

// emailSMTPConfig renders an e-mail settings resource of either singleton
// through the Microsoft 365 SMTP relay, sending as account.
func emailSMTPConfig(typeName, account string, to []string, subject, secret string, extra ...string) string {
	quoted := make([]string, len(to))
	for i, a := range to {
		quoted[i] = fmt.Sprintf("%q", a)
	}
	return fmt.Sprintf(`
resource %q "this" {
  enabled            = true
  smtp_server        = "smtp.office365.com"
  port               = 587
  use_ssl            = true
  use_authentication = true
  username           = %q
  from               = %q
  to                 = [%s]
  subject            = %q
  %s
  %s
}
`, typeName, account, account, strings.Join(quoted, ", "), subject, secret, strings.Join(extra, "\n  "))
}

// fakeAuditEmail asserts the settings stored in the fake.
func fakeAuditEmail(fake *vb365test.Server, check func(s vb365test.AuditEmailSettings) error) resource.TestCheckFunc {
	return func(*terraform.State) error { return check(fake.AuditEmailSettings()) }
}

func expectPassword(fake *vb365test.Server, want string) resource.TestCheckFunc {
	return fakeAuditEmail(fake, func(s vb365test.AuditEmailSettings) error {
		if s.Password != want {
			return fmt.Errorf("the server has SMTP password %q, want %q", s.Password, want)
		}
		return nil
	})
}

func stringList(items ...string) knownvalue.Check {
	c := make([]knownvalue.Check, len(items))
	for i, s := range items {
		c[i] = knownvalue.StringExact(s)
	}
	return knownvalue.ListExact(c)
}

// TestAccAuditEmailSettings walks the settings through their life on one
// server per version: the versions run in parallel, each on its own fake (a
// server has one settings object, so the steps within a version run in turn).
func TestAccAuditEmailSettings(t *testing.T) {
	for _, version := range apiVersions {
		t.Run(version, func(t *testing.T) { testAccAuditEmailSettingsLifecycle(t, version) })
	}
}

func testAccAuditEmailSettingsLifecycle(t *testing.T, version string) {
	fake := startFake(t, vb365test.Options{})
	provider := providerBlock(fake, `api_version = "`+version+`"`)
	subject1 := vb365test.DefaultAuditSubject
	subject2 := "[VB365 audit] %Action% on %DisplayName% (%OrganizationName%) by %InitiatedByUserName%"
	to1 := []string{"SecurityOfficer@contoso.onmicrosoft.com", "soc@contoso.onmicrosoft.com"}
	to2 := []string{"soc@contoso.onmicrosoft.com", "ciso@contoso.onmicrosoft.com", "AdeleV@contoso.onmicrosoft.com"}

	withPassword := provider + auditEmailSMTP(to1, subject1, `password = "Initial-Pa55"`)
	updated := provider + auditEmailSMTP(to2, subject2, `password = "Initial-Pa55"`)
	wo := func(value string, v int) string {
		return provider + auditEmailSMTP(to2, subject2, fmt.Sprintf("password_wo = %q\n  password_wo_version = %d", value, v))
	}
	final := wo("Wo-Pa55-2", 2)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: fakeAuditEmail(fake, func(s vb365test.AuditEmailSettings) error {
			// Destroy turns notifications off and leaves the rest.
			if s.EnableNotification {
				return fmt.Errorf("notifications still enabled after destroy")
			}
			if s.SMTPServer != "smtp.office365.com" || s.Port != 587 || s.To != strings.Join(to2, ";") || s.Subject != subject2 || s.Password != "Wo-Pa55-2" {
				return fmt.Errorf("destroy changed more than the enabled flag: %+v", s)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			// 1. Create with a (stored) password.
			{
				Config: withPassword,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("id"), knownvalue.StringExact("audit_email_settings")),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("authentication_type"), knownvalue.StringExact("CustomSmtp")),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("smtp_server"), knownvalue.StringExact("smtp.office365.com")),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("port"), knownvalue.Int64Exact(587)),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("to"), stringList(to1...)),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("subject"), knownvalue.StringExact(subject1)),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("password"), knownvalue.StringExact("Initial-Pa55")),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("password_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("user_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("is_authenticated"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					expectPassword(fake, "Initial-Pa55"),
					fakeAuditEmail(fake, func(s vb365test.AuditEmailSettings) error {
						if !s.EnableNotification || s.SMTPServer != "smtp.office365.com" || s.Port != 587 || !s.UseSSL || !s.UseAuthentication ||
							s.To != "SecurityOfficer@contoso.onmicrosoft.com;soc@contoso.onmicrosoft.com" || s.AuthenticationType != "CustomSmtp" {
							return fmt.Errorf("the server has %+v", s)
						}
						return nil
					}),
				),
			},
			// 2. Nothing changed: the second plan is empty.
			{
				Config:   withPassword,
				PlanOnly: true,
			},
			// 3. Update recipients and subject.
			{
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(auditEmailAddr, plancheck.ResourceActionUpdate),
					// The sign-in does not change: its status is not "known after apply".
					plancheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("is_authenticated"), knownvalue.Bool(false)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("to"), stringList(to2...)),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("subject"), knownvalue.StringExact(subject2)),
				},
				Check: fakeAuditEmail(fake, func(s vb365test.AuditEmailSettings) error {
					if s.To != strings.Join(to2, ";") || s.Subject != subject2 {
						return fmt.Errorf("update not sent: %+v", s)
					}
					return nil
				}),
			},
			// 4. Recipients changed outside Terraform: drift, put back.
			{
				PreConfig: func() {
					fake.UpdateAuditEmailSettings(func(s *vb365test.AuditEmailSettings) { s.To = "mallory@fabrikam.com" })
				},
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectNonEmptyPlan(),
					plancheck.ExpectResourceAction(auditEmailAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("to"), stringList(to2...)),
				}},
				Check: fakeAuditEmail(fake, func(s vb365test.AuditEmailSettings) error {
					if s.To != strings.Join(to2, ";") {
						return fmt.Errorf("recipients not restored: %q", s.To)
					}
					return nil
				}),
			},
			// 5. Notifications turned off outside Terraform: drift, turned on again.
			{
				PreConfig: func() {
					fake.UpdateAuditEmailSettings(func(s *vb365test.AuditEmailSettings) { s.EnableNotification = false })
				},
				Config: updated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectNonEmptyPlan(),
					plancheck.ExpectResourceAction(auditEmailAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				}},
				Check: fakeAuditEmail(fake, func(s vb365test.AuditEmailSettings) error {
					if !s.EnableNotification {
						return fmt.Errorf("notifications not turned on again")
					}
					return nil
				}),
			},
			// 6. Move to the write-only password.
			{
				Config: wo("Wo-Pa55-1", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("password"), knownvalue.Null()),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("password_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("password_wo_version"), knownvalue.Int64Exact(1)),
				},
				Check: expectPassword(fake, "Wo-Pa55-1"),
			},
			// 7. A new write-only value alone is not sent: Terraform cannot see it.
			{
				Config: wo("Wo-Pa55-not-sent", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: expectPassword(fake, "Wo-Pa55-1"),
			},
			// 8. Rotation: a new password_wo_version sends it.
			{
				Config: final,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(auditEmailAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("password_wo_version"), knownvalue.Int64Exact(2)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("password_wo"), knownvalue.Null()),
				},
				Check: expectPassword(fake, "Wo-Pa55-2"),
			},
			// 9. Import by the constant ID.
			{
				Config:                  final,
				ResourceName:            auditEmailAddr,
				ImportState:             true,
				ImportStateId:           "audit_email_settings",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password", "password_wo", "password_wo_version", "request_id"},
			},
			{
				Config:        final,
				ResourceName:  auditEmailAddr,
				ImportState:   true,
				ImportStateId: "settings",
				ExpectError:   regexp.MustCompile(`(?s)Unable to import audit e-mail settings.*import ID must be "audit_email_settings"`),
			},
			// The last successful configuration, for the destroy.
			{
				Config: final,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// TestAccAuditEmailSettings_v6 covers the SMTP-only version: no OAuth
// attributes come back.
func TestAccAuditEmailSettings_v6(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(fake, `api_version = "v6"`) + auditEmailSMTP([]string{"soc@contoso.onmicrosoft.com"}, "Audit: %Action%",
				`password_wo = "V6-Pa55"`, "password_wo_version = 1"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("authentication_type"), knownvalue.StringExact("CustomSmtp")),
				statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("is_authenticated"), knownvalue.Null()),
				statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("client_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("to"), stringList("soc@contoso.onmicrosoft.com")),
			},
			Check: expectPassword(fake, "V6-Pa55"),
		}},
	})
}

// TestAccAuditEmailSettings_oauth uses a Microsoft 365 sign-in completed out
// of band (the fake registers it as the browser step would).
func TestAccAuditEmailSettings_oauth(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	const user = "audit-mailer@contoso.onmicrosoft.com"
	requestID := fake.CompleteOAuthSignInFor(user)
	cfg := func(subject string) string {
		return providerBlock(fake) + fmt.Sprintf(`
variable "audit_mail_request_id" {
  type      = string
  sensitive = true
}

resource "vb365_audit_email_settings" "this" {
  enabled             = true
  authentication_type = "Microsoft365"
  user_id             = %q
  request_id          = var.audit_mail_request_id
  from                = %q
  to                  = ["soc@contoso.onmicrosoft.com"]
  subject             = %q
}
`, user, user, subject)
	}
	vars := config.Variables{"audit_mail_request_id": config.StringVariable(requestID)}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          cfg("Audit: %Action%"),
				ConfigVariables: vars,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("authentication_type"), knownvalue.StringExact("Microsoft365")),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("user_id"), knownvalue.StringExact(user)),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("request_id"), knownvalue.StringExact(requestID)),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("is_authenticated"), knownvalue.Bool(true)),
				},
				Check: fakeAuditEmail(fake, func(s vb365test.AuditEmailSettings) error {
					if s.AuthenticationType != "Microsoft365" || s.UserID != user || s.RequestID != requestID || !s.IsAuthenticated || !s.EnableNotification {
						return fmt.Errorf("the server has %+v", s)
					}
					return nil
				}),
			},
			{
				Config:          cfg("Audit: %Action%"),
				ConfigVariables: vars,
				PlanOnly:        true,
			},
			{
				Config:          cfg("Audit: %Action% by %InitiatedByUserName%"),
				ConfigVariables: vars,
				Check: fakeAuditEmail(fake, func(s vb365test.AuditEmailSettings) error {
					if s.Subject != "Audit: %Action% by %InitiatedByUserName%" {
						return fmt.Errorf("subject = %q", s.Subject)
					}
					return nil
				}),
			},
		},
	})
}

// TestAccAuditEmailSettings_serverRefuses shows the server's reason when it
// refuses the settings (an OAuth request ID it never issued).
func TestAccAuditEmailSettings_serverRefuses(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(fake) + `
resource "vb365_audit_email_settings" "this" {
  enabled             = true
  authentication_type = "GoogleGmail"
  user_id             = "audit@contoso.com"
  request_id          = "never-issued"
  to                  = ["soc@contoso.onmicrosoft.com"]
}
`,
			ExpectError: regexp.MustCompile(`(?s)Unable to create audit e-mail settings.*HTTP 400 ParameterValidationFailure.*not found or has expired`),
		}},
	})
	if s := fake.AuditEmailSettings(); s.AuthenticationType != "CustomSmtp" || s.EnableNotification {
		t.Fatalf("a refused PUT changed the server: %+v", s)
	}
}

// TestAccAuditEmailSettings_deleteFails keeps the resource when turning the
// notifications off fails.
func TestAccAuditEmailSettings_deleteFails(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	config := providerBlock(fake) + auditEmailSMTP([]string{"soc@contoso.onmicrosoft.com"}, "Audit", `password_wo = "x"`, "password_wo_version = 1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: fakeAuditEmail(fake, func(s vb365test.AuditEmailSettings) error {
			if s.EnableNotification {
				return fmt.Errorf("notifications still enabled after destroy")
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					fake.InjectFault(vb365test.Fault{Route: "PUT /AuditEmailSettings", Times: 1, Status: 403})
				},
				Config:      config,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Unable to delete audit e-mail settings.*HTTP 403.*administrator\s+role.*resource\s+stays\s+in\s+the\s+state`),
			},
			{
				// Still in the state: nothing to create.
				PreConfig: func() {
					fake.ClearFaults()
					if !fake.AuditEmailSettings().EnableNotification {
						t.Error("the failed destroy changed the server")
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// TestAccAuditEmailSettings_validation: every rule fails at plan time, and
// nothing reaches the server.
func TestAccAuditEmailSettings_validation(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	provider := providerBlock(fake)
	res := func(body string) string {
		return provider + "resource \"vb365_audit_email_settings\" \"this\" {\n" + body + "\n}\n"
	}
	smtp := `
  enabled     = true
  smtp_server = "smtp.office365.com"
  to          = ["soc@contoso.onmicrosoft.com"]
`
	cases := []struct {
		name, config, want string
	}{
		{"port zero", res(smtp + `port = 0`), `(?s)port.*must be between 1 and 65535, got: 0`},
		{"port too big", res(smtp + `port = 70000`), `(?s)port.*must be between 1 and 65535, got: 70000`},
		{"to not an address", res(`
  enabled     = true
  smtp_server = "smtp.office365.com"
  to          = ["soc@contoso.onmicrosoft.com", "security team"]
`), `(?s)to\[1\].*must be one e-mail address`},
		{"to with two addresses in one", res(`
  enabled     = true
  smtp_server = "smtp.office365.com"
  to          = ["a@contoso.com;b@contoso.com"]
`), `(?s)to\[0\].*must be one e-mail address`},
		{"to empty", res(`
  enabled     = true
  smtp_server = "smtp.office365.com"
  to          = []
`), `(?s)to.*must contain at least 1 elements`},
		{"from not an address", res(smtp + `from = "VB365 audit"`), `(?s)Attribute from.*must be one e-mail address`},
		{"smtp_server missing", res(`
  enabled = true
  to      = ["soc@contoso.onmicrosoft.com"]
`), `(?s)Missing SMTP server.*smtp_server`},
		{"oauth without user_id and request_id", res(`
  enabled             = true
  authentication_type = "Microsoft365"
`), `(?s)Missing (user_id|request_id) for Microsoft365.*Missing (user_id|request_id) for Microsoft365`},
		{"gmail without request_id", res(`
  enabled             = true
  authentication_type = "GoogleGmail"
  user_id             = "audit@contoso.com"
`), `(?s)Missing request_id for GoogleGmail`},
		{"unknown authentication type", res(smtp + `authentication_type = "Smtp"`), `(?s)authentication_type.*value must be one of`},
		{"username without use_authentication", res(smtp + `username = "vb365-audit@contoso.onmicrosoft.com"`), `(?s)SMTP credentials without use_authentication.*username is only used`},
		{"password with use_authentication false", res(smtp + "use_authentication = false\n  password = \"x\""), `(?s)SMTP credentials without use_authentication.*password is only used`},
		{"password_wo without use_authentication", res(smtp + `password_wo = "x"`), `(?s)SMTP credentials without use_authentication.*password_wo is only used`},
		{"username missing", res(smtp + "use_authentication = true\n  password_wo = \"x\""), `(?s)Missing SMTP username`},
		{"password and password_wo", res(smtp + "use_authentication = true\n  username = \"u@contoso.com\"\n  password = \"x\"\n  password_wo = \"y\""), `(?s)Invalid Attribute Combination.*password_wo`},
		{"password_wo_version without password_wo", res(smtp + "use_authentication = true\n  username = \"u@contoso.com\"\n  password = \"x\"\n  password_wo_version = 1"), `(?s)Invalid Attribute Combination.*password_wo`},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: c.config, PlanOnly: true, ExpectError: regexp.MustCompile(c.want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
	if n := fake.Count("PUT /AuditEmailSettings"); n != 0 {
		t.Fatalf("%d PUTs reached the server", n)
	}
}

// TestAccAuditEmailSettings_v6OAuth: the OAuth attributes with api_version
// v6 fail at plan time (the version is known once the provider is configured).
func TestAccAuditEmailSettings_v6OAuth(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	provider := providerBlock(fake, `api_version = "v6"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider + `
resource "vb365_audit_email_settings" "this" {
  enabled             = true
  authentication_type = "Microsoft365"
  user_id             = "audit-mailer@contoso.onmicrosoft.com"
  request_id          = "r"
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)OAuth audit e-mails need REST API v7.*authentication_type = "Microsoft365".*provider speaks v6.*api_version = "v8"`),
			},
			{
				Config: provider + `
resource "vb365_audit_email_settings" "this" {
  enabled      = true
  smtp_server  = "smtp.office365.com"
  mail_api_url = "https://graph.microsoft.us"
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)OAuth audit e-mails need REST API v7.*mail_api_url belongs to the OAuth sign-in`),
			},
		},
	})
	if n := fake.Count("PUT /AuditEmailSettings"); n != 0 {
		t.Fatalf("%d PUTs reached the server", n)
	}
}

// TestAuditEmailSettingsValidationPaths checks, through the protocol, that
// every validation error names its attribute and that `password` gets the
// write-only hint.
func TestAuditEmailSettingsValidationPaths(t *testing.T) {
	p := newProtoProvider(t)
	typ := p.schema.ResourceSchemas["vb365_audit_email_settings"].ValueType()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	boolean := func(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }
	num := func(n int) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
	list := func(items ...string) tftypes.Value {
		vs := make([]tftypes.Value, len(items))
		for i, s := range items {
			vs[i] = str(s)
		}
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vs)
	}
	base := func(extra map[string]tftypes.Value) map[string]tftypes.Value {
		m := map[string]tftypes.Value{"enabled": boolean(true), "smtp_server": str("smtp.office365.com"), "to": list("soc@contoso.onmicrosoft.com")}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	attr := func(name string) *tftypes.AttributePath { return tftypes.NewAttributePath().WithAttributeName(name) }
	cases := []struct {
		name     string
		vals     map[string]tftypes.Value
		severity tfprotov6.DiagnosticSeverity
		paths    []*tftypes.AttributePath
	}{
		{"port", base(map[string]tftypes.Value{"port": num(0)}), tfprotov6.DiagnosticSeverityError, []*tftypes.AttributePath{attr("port")}},
		{"to", base(map[string]tftypes.Value{"to": list("soc@contoso.onmicrosoft.com", "nope")}), tfprotov6.DiagnosticSeverityError,
			[]*tftypes.AttributePath{attr("to").WithElementKeyInt(1)}},
		{"from", base(map[string]tftypes.Value{"from": str("nope")}), tfprotov6.DiagnosticSeverityError, []*tftypes.AttributePath{attr("from")}},
		{"smtp_server", map[string]tftypes.Value{"enabled": boolean(true)}, tfprotov6.DiagnosticSeverityError, []*tftypes.AttributePath{attr("smtp_server")}},
		{"oauth", map[string]tftypes.Value{"enabled": boolean(true), "authentication_type": str("Microsoft365")}, tfprotov6.DiagnosticSeverityError,
			[]*tftypes.AttributePath{attr("user_id"), attr("request_id")}},
		{"credentials", base(map[string]tftypes.Value{"username": str("u@contoso.com"), "password_wo": str("x")}), tfprotov6.DiagnosticSeverityError,
			[]*tftypes.AttributePath{attr("username"), attr("password_wo")}},
		{"password hint", base(map[string]tftypes.Value{"use_authentication": boolean(true), "username": str("u@contoso.com"), "password": str("x")}),
			tfprotov6.DiagnosticSeverityWarning, []*tftypes.AttributePath{attr("password")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := p.srv.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
				TypeName:           "vb365_audit_email_settings",
				Config:             dynamicValue(t, typ, c.vals),
				ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Diagnostics) != len(c.paths) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(resp.Diagnostics), len(c.paths), diagsText(resp.Diagnostics))
			}
			for _, want := range c.paths {
				found := false
				for _, d := range resp.Diagnostics {
					if d.Severity == c.severity && d.Attribute != nil && d.Attribute.Equal(want) {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s diagnostic on %s:\n%s", c.severity, want, diagsText(resp.Diagnostics))
				}
			}
		})
	}
}

// TestAccAuditEmailSettings_secretsStayOut: the write-only password reaches
// the server but neither the state nor a TRACE log.
func TestAccAuditEmailSettings_secretsStayOut(t *testing.T) {
	const secret = "Wr1te-0nly-S3cret-7f3a"
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", logPath)
	t.Setenv("TF_LOG_PROVIDER", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath) // the CLI's own log, into the same file
	// Keep the working directories (and their state files) to read them.
	workDir := t.TempDir()
	t.Setenv("TF_ACC_TEMP_DIR", workDir)
	t.Setenv("TF_ACC_PERSIST_WORKING_DIR", "1")

	fake := startFake(t, vb365test.Options{})
	// As in real use, the password comes from an ephemeral variable (here
	// a tfvars file): the configuration text, which the test harness logs,
	// does not hold it.
	cfg := providerBlock(fake) + `
variable "smtp_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
` + auditEmailSMTP([]string{"soc@contoso.onmicrosoft.com"}, "Audit", "password_wo = var.smtp_password", "password_wo_version = 1")
	vars := config.Variables{"smtp_password": config.StringVariable(secret)}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ConfigVariables: vars,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("password_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(auditEmailAddr, tfjsonpath.New("password"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					expectPassword(fake, secret),
					func(s *terraform.State) error {
						// Every attribute of the state as Terraform stored it.
						rs := s.RootModule().Resources[auditEmailAddr]
						if rs == nil {
							return fmt.Errorf("%s not in the state", auditEmailAddr)
						}
						for k, v := range rs.Primary.Attributes {
							if strings.Contains(v, secret) {
								return fmt.Errorf("state attribute %s holds the write-only password", k)
							}
						}
						if _, ok := rs.Primary.Attributes["password_wo_version"]; !ok {
							return fmt.Errorf("state has no password_wo_version: %v", rs.Primary.Attributes)
						}
						return nil
					},
				),
			},
			{
				// Refresh and plan once more (more reads, more logs).
				Config:          cfg,
				ConfigVariables: vars,
				PlanOnly:        true,
			},
		},
	})

	// The raw state files, as Terraform wrote them in every step.
	if n := stateFilesWithout(t, workDir, `"password_wo_version": 1`, secret); n == 0 {
		t.Fatalf("no state file with the resource under %s: the test could not see a leak", workDir)
	}
	traceLogWithout(t, logPath, []string{
		`VB365 API request`,          // the provider's client logged requests
		`PUT`,                        // including the PUT that carried the password
		`\"userPassword\":\"***\"`,   // with the body, masked
		`vb365_audit_email_settings`, // and the CLI logged the resource
	}, secret)
}

// A read-back the schema cannot represent: settings read back empty
// keep the planned values; an unknown authentication type is the
// provider's own error, and the settings are not tainted.
func TestAccAuditEmailSettings_readBackValidated(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	config := providerBlock(fake) + auditEmailSMTP([]string{"soc@contoso.com"}, "[Audit] %Action%", `password = "pw-1"`)
	empty, unknown := `{}`, `{"enableNotification":true,"authenticationType":"Exchange2030","smtpServer":"smtp.office365.com"}`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					fake.InjectFault(vb365test.Fault{Route: "GET /AuditEmailSettings", Times: 1, Body: &unknown, ContentType: "application/json"})
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)reads\s+back\s+the\s+authentication\s+type\s+"Exchange2030".*does\s+not\s+know`),
			},
			{
				PreConfig: func() {
					fake.InjectFault(vb365test.Fault{Route: "GET /AuditEmailSettings", Times: 1, Body: &empty, ContentType: "application/json"})
				},
				Config: config,
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

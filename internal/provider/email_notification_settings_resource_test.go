package provider

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

const jobEmailAddr = "vb365_email_notification_settings.this"

// jobEmailSMTP renders the job notification settings through the Microsoft
// 365 SMTP relay; flags and secret are extra attribute lines.
func jobEmailSMTP(to []string, subject, secret string, flags ...string) string {
	return emailSMTPConfig("vb365_email_notification_settings", "vb365-jobs@contoso.onmicrosoft.com", to, subject, secret, flags...)
}

// fakeJobEmail asserts the job settings stored in the fake.
func fakeJobEmail(fake *vb365test.Server, check func(s vb365test.JobEmailSettings) error) resource.TestCheckFunc {
	return func(*terraform.State) error { return check(fake.JobEmailSettings()) }
}

// auditUntouched asserts that the audit e-mail settings are what they were.
func auditUntouched(fake *vb365test.Server, want vb365test.AuditEmailSettings) resource.TestCheckFunc {
	return fakeAuditEmail(fake, func(s vb365test.AuditEmailSettings) error {
		if !reflect.DeepEqual(s, want) {
			return fmt.Errorf("the audit e-mail settings changed:\n%+v\nwere\n%+v", s, want)
		}
		return nil
	})
}

// TestAccEmailNotificationSettings walks the job notification settings
// through their life, v8 and v7, with the audit settings object unchanged
// throughout.
func TestAccEmailNotificationSettings(t *testing.T) {
	for _, version := range apiVersions {
		t.Run(version, func(t *testing.T) { testAccEmailNotificationLifecycle(t, version) })
	}
}

func testAccEmailNotificationLifecycle(t *testing.T, version string) {
	fake := startFake(t, vb365test.Options{})
	configureSMTP(fake, true) // audit settings of their own, which must not move
	audit := fake.AuditEmailSettings()
	provider := providerBlock(fake, `api_version = "`+version+`"`)
	subject := "[%JobResult%] %JobName% - %OrgName% (%MailboxCount% objects, %Issues% issues) at %Time%"
	to1 := []string{"backup-admins@contoso.onmicrosoft.com"}
	to2 := []string{"backup-admins@contoso.onmicrosoft.com", "noc@contoso.onmicrosoft.com"}
	failuresOnly := []string{"notify_on_success = false", "notify_on_warning = false", "suppress_until_last_retry = true"}

	wo := func(to []string, value string, v int, flags ...string) string {
		return provider + jobEmailSMTP(to, subject, fmt.Sprintf("password_wo = %q\n  password_wo_version = %d", value, v), flags...)
	}
	created := wo(to1, "Job-Pa55-1", 1)
	updated := wo(to2, "Job-Pa55-1", 1, failuresOnly...)
	rotated := wo(to2, "Job-Pa55-2", 2, failuresOnly...)
	flag := func(name string, want bool) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(jobEmailAddr, tfjsonpath.New(name), knownvalue.Bool(want))
	}
	// drift changes one thing on the server and expects the plan to put it back.
	drift := func(change func(*vb365test.JobEmailSettings), attr string, want knownvalue.Check) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() { fake.UpdateJobEmailSettings(change) },
			Config:    updated,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectNonEmptyPlan(),
				plancheck.ExpectResourceAction(jobEmailAddr, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(jobEmailAddr, tfjsonpath.New(attr), want),
			}},
			Check: auditUntouched(fake, audit),
		}
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			fakeJobEmail(fake, func(s vb365test.JobEmailSettings) error {
				if s.EnableNotification {
					return fmt.Errorf("job notifications still enabled after destroy")
				}
				if s.SMTPServer != "smtp.office365.com" || s.To != strings.Join(to2, ";") || s.Password != "Job-Pa55-2" || s.NotifyOnSuccess {
					return fmt.Errorf("destroy changed more than the enabled flag: %+v", s)
				}
				return nil
			}),
			auditUntouched(fake, audit),
		),
		Steps: []resource.TestStep{
			// 1. Create: the flags take their defaults.
			{
				Config: created,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(jobEmailAddr, tfjsonpath.New("id"), knownvalue.StringExact("email_notification_settings")),
					statecheck.ExpectKnownValue(jobEmailAddr, tfjsonpath.New("to"), stringList(to1...)),
					statecheck.ExpectKnownValue(jobEmailAddr, tfjsonpath.New("password_wo"), knownvalue.Null()),
					flag("notify_on_success", true), flag("notify_on_warning", true), flag("notify_on_failure", true),
					flag("suppress_until_last_retry", false), flag("attach_detailed_report", false),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					fakeJobEmail(fake, func(s vb365test.JobEmailSettings) error {
						if !s.EnableNotification || s.SMTPServer != "smtp.office365.com" || s.Port != 587 || s.Password != "Job-Pa55-1" ||
							s.Subject != subject || s.SupressUntilLastRetry || !s.NotifyOnSuccess {
							return fmt.Errorf("the server has %+v", s)
						}
						return nil
					}),
					auditUntouched(fake, audit),
				),
			},
			// 2. Nothing changed: the second plan is empty.
			{Config: created, PlanOnly: true},
			// 3. Update the recipients and the flags: failures only, after the last retry.
			{
				Config: updated,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(jobEmailAddr, tfjsonpath.New("to"), stringList(to2...)),
					flag("notify_on_success", false), flag("notify_on_warning", false), flag("suppress_until_last_retry", true),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					fakeJobEmail(fake, func(s vb365test.JobEmailSettings) error {
						if s.NotifyOnSuccess || s.NotifyOnWarning || !s.NotifyOnFailure || !s.SupressUntilLastRetry || s.To != strings.Join(to2, ";") {
							return fmt.Errorf("update not sent: %+v", s)
						}
						return nil
					}),
					auditUntouched(fake, audit),
				),
			},
			// 4. Drift on the recipients, the enabled flag and each job flag.
			drift(func(s *vb365test.JobEmailSettings) { s.To = "mallory@fabrikam.com" }, "to", stringList(to2...)),
			drift(func(s *vb365test.JobEmailSettings) { s.EnableNotification = false }, "enabled", knownvalue.Bool(true)),
			drift(func(s *vb365test.JobEmailSettings) { s.NotifyOnSuccess = true }, "notify_on_success", knownvalue.Bool(false)),
			drift(func(s *vb365test.JobEmailSettings) { s.NotifyOnWarning = true }, "notify_on_warning", knownvalue.Bool(false)),
			drift(func(s *vb365test.JobEmailSettings) { s.NotifyOnFailure = false }, "notify_on_failure", knownvalue.Bool(true)),
			drift(func(s *vb365test.JobEmailSettings) { s.SupressUntilLastRetry = false }, "suppress_until_last_retry", knownvalue.Bool(true)),
			drift(func(s *vb365test.JobEmailSettings) { s.AttachDetailedReport = true }, "attach_detailed_report", knownvalue.Bool(false)),
			// 5. Rotation: a new password_wo_version sends the new password.
			{
				Config: rotated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(jobEmailAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					fakeJobEmail(fake, func(s vb365test.JobEmailSettings) error {
						if s.Password != "Job-Pa55-2" {
							return fmt.Errorf("password not rotated: %q", s.Password)
						}
						return nil
					}),
					auditUntouched(fake, audit),
				),
			},
			// 6. Import by the constant ID.
			{
				Config:                  rotated,
				ResourceName:            jobEmailAddr,
				ImportState:             true,
				ImportStateId:           "email_notification_settings",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"password", "password_wo", "password_wo_version", "request_id"},
			},
			{
				Config:        rotated,
				ResourceName:  jobEmailAddr,
				ImportState:   true,
				ImportStateId: "audit_email_settings",
				ExpectError:   regexp.MustCompile(`(?s)Unable to import e-mail notification settings.*import ID must be\s+"email_notification_settings"`),
			},
			{
				Config:           rotated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// TestAccEmailNotificationSettings_validation: the shared plan-time rules
// name the job resource's attributes, and OAuth is refused on v6.
func TestAccEmailNotificationSettings_validation(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(fake) + `resource "vb365_email_notification_settings" "this" { enabled = true }`,
				ExpectError: regexp.MustCompile(`(?s)Missing SMTP server.*Job\s+notification\s+e-mails\s+sent\s+through\s+SMTP`),
			},
			{
				Config: providerBlock(fake, `api_version = "v6"`) + `resource "vb365_email_notification_settings" "this" {
  enabled             = true
  authentication_type = "Microsoft365"
  user_id             = "a@b.c"
  request_id          = "r"
}`,
				ExpectError: regexp.MustCompile(`(?s)OAuth\s+job\s+notification\s+e-mails\s+need\s+REST\s+API\s+v7`),
			},
		},
	})
}

package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

const sessionsAddr = "data.vb365_restore_sessions.this"

func sessionsConfig(fake *vb365test.Server, version, body string) string {
	return providerBlock(fake, `api_version = "`+version+`"`) + fmt.Sprintf("data \"vb365_restore_sessions\" \"this\" {\n%s\n}\n", body)
}

// sessionTypes checks the workloads of the listed sessions, in order.
func sessionTypes(types ...string) statecheck.StateCheck {
	items := make([]knownvalue.Check, len(types))
	for i, t := range types {
		items[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"type": knownvalue.StringExact(t)})
	}
	return statecheck.ExpectKnownValue(sessionsAddr, tfjsonpath.New("sessions"), knownvalue.ListExact(items))
}

// expectEventRequests counts the Events requests per read of the data
// source: events are fetched only for the sessions kept.
func expectEventRequests(fake *vb365test.Server, counter *rpcCounter, perRead int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, reads := counter.counts()
		n := reads["vb365_restore_sessions"]
		if got := fake.Count("GET /RestoreSessions/{restoreSessionId}/Events"); n == 0 || got != perRead*n {
			return fmt.Errorf("%d event requests for %d reads, want %d per read", got, n, perRead)
		}
		if got := fake.Count("GET /RestoreSessions"); got != n {
			return fmt.Errorf("%d session list requests for %d reads, want 1 per read", got, n)
		}
		return nil
	}
}

// TestAccRestoreSessionsDataSource: the window, each filter, events on and
// off, the event type filter and the cap, on v8 and v7.
func TestAccRestoreSessionsDataSource(t *testing.T) {
	for _, version := range apiVersions {
		t.Run(version, func(t *testing.T) {
			now := time.Now().UTC()
			at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
			step := func(body string, eventsPerRead int, checks ...statecheck.StateCheck) resource.TestStep {
				fake := startFake(t, vb365test.Options{})
				counter := &rpcCounter{}
				return resource.TestStep{
					ProtoV6ProviderFactories: counter.factories(),
					Config:                   sessionsConfig(fake, version, body),
					ConfigStateChecks:        checks,
					Check:                    expectEventRequests(fake, counter, eventsPerRead),
				}
			}
			var userID knownvalue.Check = knownvalue.NotNull()
			if version != "v8" {
				userID = knownvalue.Null()
			}
			resource.ParallelTest(t, resource.TestCase{
				Steps: []resource.TestStep{
					// The last day by default, newest first; no events unless asked.
					step(``, 0,
						sessionTypes("Teams", "Exchange", "OneDrive"),
						statecheck.ExpectKnownValue(sessionsAddr, tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("ended"), knownvalue.Null()),
						statecheck.ExpectKnownValue(sessionsAddr, tfjsonpath.New("sessions").AtSliceIndex(1).AtMapKey("initiated_by"), knownvalue.StringExact(vb365test.DemoHelpdeskOperator)),
						statecheck.ExpectKnownValue(sessionsAddr, tfjsonpath.New("sessions").AtSliceIndex(1).AtMapKey("events"), knownvalue.Null()),
					),
					// An explicit window: two days back, up to 90 minutes ago.
					step(fmt.Sprintf("started_after = %q\nstarted_before = %q", at(-48*time.Hour), at(-90*time.Minute)), 0,
						sessionTypes("Exchange", "OneDrive", "SharePoint")),
					// Filters, ignoring case.
					step(`initiated_by = "contoso\\HELPDESK-anna"`, 0, sessionTypes("Exchange", "OneDrive")),
					step(`organization = "CONTOSO.onmicrosoft.com"`, 0, sessionTypes("Teams", "Exchange", "OneDrive")),
					step(`type = "OneDrive"`, 0, sessionTypes("OneDrive")),
					// Events for the sessions kept only: two requests.
					step("initiated_by = \"CONTOSO\\\\helpdesk-anna\"\ninclude_events = true", 2,
						sessionTypes("Exchange", "OneDrive"),
						statecheck.ExpectKnownValue(sessionsAddr, tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("events"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectPartial(map[string]knownvalue.Check{"type": knownvalue.StringExact("View"), "item_name": knownvalue.StringExact("Inbox")}),
							knownvalue.ObjectPartial(map[string]knownvalue.Check{"type": knownvalue.StringExact("Restore"), "item_size_bytes": knownvalue.Int64Exact(1048576), "user_id": userID}),
						})),
					),
					// Event types: only those events, only sessions that have one.
					step(`event_types = ["Restore", "Export"]`, 3,
						sessionTypes("Exchange", "OneDrive"),
						statecheck.ExpectKnownValue(sessionsAddr, tfjsonpath.New("sessions").AtSliceIndex(0).AtMapKey("events"), knownvalue.ListSizeExact(1)),
					),
				},
			})
		})
	}
}

// TestAccRestoreSessionsDataSource_errors: the cap fails loudly, and bad
// windows fail at plan time.
func TestAccRestoreSessionsDataSource_errors(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      sessionsConfig(fake, "v8", `max_sessions = 2`),
				ExpectError: regexp.MustCompile(`(?s)Unable to read restore sessions.*More\s+than\s+2\s+restore\s+sessions\s+started\s+since`),
			},
			{
				Config:      sessionsConfig(fake, "v8", `started_after = "yesterday"`),
				ExpectError: regexp.MustCompile(`(?s)Invalid time.*not\s+an\s+RFC\s+3339\s+time`),
			},
			{
				Config:      sessionsConfig(fake, "v8", "started_after = \"2026-12-02T00:00:00Z\"\nstarted_before = \"2026-12-01T00:00:00Z\""),
				ExpectError: regexp.MustCompile(`(?s)Empty restore session window`),
			},
		},
	})
}

// TestAccRestoreSessionsDataSource_windowIgnoredByServer: a server (or a
// proxy) that ignores startTimeFrom/startTimeTo answers every session it
// has; the data source still lists only its window, so the guide's check
// does not alarm on last year's restore by an unapproved account, nor on the
// demo's SharePoint session of 30 hours ago.
func TestAccRestoreSessionsDataSource_windowIgnoredByServer(t *testing.T) {
	fake := startFake(t, vb365test.Options{Quirks: vb365test.Quirks{RestoreSessionWindowIgnored: true}})
	now := time.Now().UTC()
	for _, at := range []time.Time{time.Date(2001, 9, 11, 8, 46, 0, 0, time.UTC), now.AddDate(0, -1, 0)} {
		fake.AddRestoreSession(vb365test.RestoreSession{Type: "Vex", InitiatedBy: `CONTOSO\simon.service`, ScopeName: "Chief Executive", CreationTime: at,
			Events: []vb365test.RestoreSessionEvent{{Type: "Restore", ItemName: "Inbox"}}})
	}
	unapproved := `
output "unapproved" {
  value = [for s in data.vb365_restore_sessions.this.sessions : s.initiated_by if lower(s.initiated_by) == "contoso\\simon.service"]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The last 24 hours: the three demo sessions of the last day.
				Config: sessionsConfig(fake, "v8", ``) + unapproved,
				ConfigStateChecks: []statecheck.StateCheck{
					sessionTypes("Teams", "Exchange", "OneDrive"),
					statecheck.ExpectKnownOutputValue("unapproved", knownvalue.ListSizeExact(0)),
				},
			},
			{
				// An explicit window around the month-old session: that one only.
				Config: sessionsConfig(fake, "v7", fmt.Sprintf("started_after = %q\nstarted_before = %q",
					now.AddDate(0, -1, -1).Format(time.RFC3339), now.AddDate(0, -1, 1).Format(time.RFC3339))) + unapproved,
				ConfigStateChecks: []statecheck.StateCheck{
					sessionTypes("Exchange"),
					statecheck.ExpectKnownOutputValue("unapproved", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(`CONTOSO\simon.service`)})),
				},
			},
		},
	})
	if n := len(fake.RestoreSessions()); n != 6 {
		t.Fatalf("the fake holds %d sessions, want the demo's 4 and 2 more", n)
	}
}

// TestAccRestoreSessionsGuideCheck runs the guide's rule: a session that
// touched audited data started by someone outside the approved operators.
// The check block's warning is not visible to the test framework, so the
// same expression is asserted through an output and, as the guide's
// pipeline variant, a postcondition that fails the run.
func TestAccRestoreSessionsGuideCheck(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	config := providerBlock(fake) + `
locals {
  approved_operators = ["CONTOSO\\helpdesk-anna", "CONTOSO\\helpdesk-ben"]
  unapproved = [
    for s in data.vb365_restore_sessions.last_day.sessions : s
    if !contains([for o in local.approved_operators : lower(o)], lower(s.initiated_by))
  ]
}

data "vb365_restore_sessions" "last_day" {
  event_types = ["Restore", "Export", "Send", "Save"]
}

check "only_approved_operators_restore" {
  assert {
    condition     = length(local.unapproved) == 0
    error_message = "Restores by unapproved accounts: ${join(", ", [for s in local.unapproved : "${s.initiated_by} (${s.scope_name})"])}"
  }
}

output "unapproved" {
  value = [for s in local.unapproved : s.initiated_by]
}
`
	hard := config + `
resource "terraform_data" "gate" {
  lifecycle {
    precondition {
      condition     = length(local.unapproved) == 0
      error_message = "Restores by unapproved accounts: ${join(", ", [for s in local.unapproved : s.initiated_by])}"
    }
  }
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("unapproved", knownvalue.ListSizeExact(0))},
			},
			{
				PreConfig: func() {
					fake.AddRestoreSession(vb365test.RestoreSession{Type: "Vex", InitiatedBy: `CONTOSO\simon.service`, ScopeName: "Chief Executive",
						Events: []vb365test.RestoreSessionEvent{{Type: "Restore", ItemName: "Inbox"}}})
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("unapproved", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(`CONTOSO\simon.service`)})),
				},
			},
			{
				Config:      hard,
				ExpectError: regexp.MustCompile(`(?s)Restores\s+by\s+unapproved\s+accounts:\s+CONTOSO\\simon\.service`),
			},
		},
	})
}

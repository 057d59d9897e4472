package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

const stormOtherOrg = "0d7e2f6a-91c3-4b8e-a5d4-3c2b1a0f9e87" // fabrikam, seeded empty

// TestAccFaultStorm applies, re-plans and destroys 100 vb365_audit_item, one
// vb365_audit_items and the audit e-mail settings while the fake injects a
// seeded mix of faults on every request: 503s (15 %), writes whose answer is
// lost after the server carried them out (5 %), latency spikes (5 %) and
// expired tokens (2 %). The server refuses a duplicate add (400), so a write
// repeated blindly would fail the apply. Each phase must succeed, the server
// must hold every declared item exactly once, state must match it, and the
// plan after the apply must be empty.
func TestAccFaultStorm(t *testing.T) {
	const n = 100
	fake := startFake(t, vb365test.Options{Quirks: vb365test.Quirks{AuditDuplicateIsError: true, AuditRemoveUnknownIsError: true}})
	fake.AddUsers(auditTestOrg, n)
	fake.AddUsers(stormOtherOrg, 5)
	users := fake.Organization(auditTestOrg).Users
	users = users[len(users)-n:]
	ids := make([]string, n)
	for i, u := range users {
		ids[i] = fmt.Sprintf("%q", u.ID)
	}
	var otherIDs []string
	for _, u := range fake.Organization(stormOtherOrg).Users {
		otherIDs = append(otherIDs, fmt.Sprintf("%q", u.ID))
	}

	fake.SetFaultSeed(20261202)
	for _, route := range []string{routeAuditAdd, routeAuditRemove, "PUT /AuditEmailSettings"} {
		fake.InjectFault(vb365test.Fault{Route: route, Rate: 0.05, DropAfterServing: true})
	}
	fake.InjectFault(vb365test.Fault{Route: "*", Rate: 0.15, Status: http.StatusServiceUnavailable})
	fake.InjectFault(vb365test.Fault{Route: "*", Rate: 0.05, Latency: 150 * time.Millisecond})
	fake.InjectFault(vb365test.Fault{Route: "*", Rate: 0.02, ExpireTokens: true})

	// max_retries 8: with 15 % 503s, nine in a row on one request
	// (0.15^9, about 4e-8 per request) is what could fail a phase.
	config := fmt.Sprintf(`
provider "vb365" {
  url         = %q
  username    = %q
  password    = %q
  max_retries = 8
}

locals {
  user_ids = [%s]
}

resource "vb365_audit_item" "u" {
  count           = length(local.user_ids)
  organization_id = %q
  user_id         = local.user_ids[count.index]
}

resource "vb365_audit_items" "other" {
  organization_id = %q
  user_ids        = [%s]
}
`, fake.URL, fake.Username(), fake.Password(), strings.Join(ids, ", "), auditTestOrg, stormOtherOrg, strings.Join(otherIDs, ", ")) +
		auditEmailSMTP([]string{"soc@contoso.com", "ciso@contoso.com"}, "[Audit] %Action% by %InitiatedByUserName%", `password = "storm-smtp-pw"`)

	serverMatches := func(s *terraform.State) error {
		// Every declared principal exactly once, nothing else.
		got := map[string]int{}
		for _, it := range fake.AuditItems(auditTestOrg) {
			got[it.PrincipalID]++
		}
		for _, u := range users {
			if got[u.ID] != 1 {
				return fmt.Errorf("user %s is audited %d times, want once", u.ID, got[u.ID])
			}
		}
		if len(got) != n {
			return fmt.Errorf("contoso audits %d principals, want %d", len(got), n)
		}
		other := fake.AuditItems(stormOtherOrg)
		if len(other) != len(otherIDs) {
			return fmt.Errorf("fabrikam holds %v, want %d users", other, len(otherIDs))
		}
		// State matches the server: each item_id is the server's item.
		for i, u := range users {
			rs, ok := s.RootModule().Resources[fmt.Sprintf("vb365_audit_item.u.%d", i)]
			if !ok {
				return fmt.Errorf("vb365_audit_item.u.%d is not in state", i)
			}
			it := auditItemOf(fake, u.ID)
			if it == nil || rs.Primary.Attributes["item_id"] != it.ID {
				return fmt.Errorf("vb365_audit_item.u.%d has item_id %q, the server %v", i, rs.Primary.Attributes["item_id"], it)
			}
		}
		settings := fake.AuditEmailSettings()
		if !settings.EnableNotification || settings.To != "soc@contoso.com;ciso@contoso.com" || settings.Password != "storm-smtp-pw" {
			return fmt.Errorf("audit e-mail settings on the server: enabled %v, to %q", settings.EnableNotification, settings.To)
		}
		return nil
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if items := fake.AuditItems(auditTestOrg); len(items) != 0 {
				return fmt.Errorf("destroy left %d contoso items", len(items))
			}
			if items := fake.AuditItems(stormOtherOrg); len(items) != 0 {
				return fmt.Errorf("destroy left fabrikam items: %v", items)
			}
			if fake.AuditEmailSettings().EnableNotification {
				return fmt.Errorf("destroy left the audit e-mails enabled")
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: config, Check: serverMatches},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            serverMatches,
			},
		},
	})
	counts := fake.CountByRoute()
	t.Logf("requests served (faults included): %d token, %d list, %d add, %d remove, %d settings PUT",
		counts["POST /token"], counts[routeAuditList], counts[routeAuditAdd], counts[routeAuditRemove], counts["PUT /AuditEmailSettings"])
}

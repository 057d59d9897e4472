package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
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

// TestAccFaultStorm_restoreOperatorRoles applies, updates, re-plans and
// destroys six restore operator roles beside two roles of other teams while
// the fake's member lists answer principal IDs in the composite form
// ("<orgId>:1:user:<id>", with member IDs of their own) and a seeded storm
// hits every request: 503s (5 %), role lists that leave a role out (10 % a
// role), role creates and member adds whose answer is lost after the server
// carried them out (10 %, 5 %), 503s on member adds (25 %), latency spikes
// and expired tokens. First a role named like another team's is refused
// with nothing touched. Then each phase must succeed, no role of another
// team is touched, no role is ever left without operators or selected
// items (RoleLows, after every write), no role is made twice, state matches
// the server and the next plan is empty; destroy removes the six only
// (issue 20).
func TestAccFaultStorm_restoreOperatorRoles(t *testing.T) {
	const n = 6
	org := vb365test.DemoOrganizationID
	fake := startFake(t, vb365test.Options{Quirks: vb365test.Quirks{RoleMemberCompositePrincipalIDs: true, RoleMemberIDsDistinct: true}})
	fake.AddUsers(org, 3*n+4)
	users := fake.Organization(org).Users
	users = users[len(users)-(3*n+4):]
	alex, megan := auditPrincipalID(t, fake, "AlexW@contoso.onmicrosoft.com"), auditPrincipalID(t, fake, "MeganB@contoso.onmicrosoft.com")
	helpdesk, legal := createRole(t, fake, "Helpdesk", alex), createRole(t, fake, "Legal", megan)
	others := map[string]string{}
	for _, ro := range fake.Roles() {
		others[ro.ID] = roleSnapshot(ro)
	}
	name := func(k int) string { return fmt.Sprintf("Storm %d", k) }

	// Role k: operators users[3k], selected users[3k+1] and users[3k+2],
	// excluded users[3k+3]. The update renames nothing, changes the
	// description, adds an operator and swaps a selected item.
	type roleWant struct{ ops, sel, exc []string }
	wantFor := func(updated bool) []roleWant {
		out := make([]roleWant, n)
		for k := range out {
			u := func(i int) string { return users[3*k+i].ID }
			out[k] = roleWant{[]string{u(0)}, []string{u(1), u(2)}, []string{u(3)}}
			if updated {
				out[k] = roleWant{[]string{u(0), u(4)}, []string{u(1), u(5)}, []string{u(3)}}
			}
		}
		return out
	}
	quoted := func(ids []string) string {
		q := make([]string, len(ids))
		for i, id := range ids {
			q[i] = fmt.Sprintf("%q", id)
		}
		return strings.Join(q, ", ")
	}
	provider := fmt.Sprintf("provider \"vb365\" {\n  url = %q\n  username = %q\n  password = %q\n  max_retries = 10\n}\n", fake.URL, fake.Username(), fake.Password())
	config := func(updated bool) string {
		var b strings.Builder
		b.WriteString(provider)
		desc := "first"
		if updated {
			desc = "second"
		}
		for k, w := range wantFor(updated) {
			fmt.Fprintf(&b, `
resource "vb365_restore_operator_role" "r%d" {
  organization_id = %q
  name            = %q
  description     = %q
  operators       = { user_ids = [%s] }
  selected_items  = { user_ids = [%s] }
  excluded_items  = { user_ids = [%s] }
}
`, k, org, name(k), desc, quoted(w.ops), quoted(w.sel), quoted(w.exc))
		}
		return b.String()
	}
	clash := provider + fmt.Sprintf(`
resource "vb365_restore_operator_role" "clash" {
  organization_id = %q
  name            = "HELPDESK"
  role_type       = "EntireOrganization"
  operators       = { user_ids = [%q] }
}
`, org, users[0].ID)

	othersUntouched := func() error {
		if lows := fake.RoleLows(); lows[helpdesk.ID].Writes != 1 || lows[legal.ID].Writes != 1 {
			return fmt.Errorf("another team's role was written to: %+v, %+v", lows[helpdesk.ID], lows[legal.ID])
		}
		for id, before := range others {
			ro := fakeRoleByID(fake, id)
			if ro == nil {
				return fmt.Errorf("another team's role %s is gone", id)
			}
			if after := roleSnapshot(*ro); after != before {
				return fmt.Errorf("another team's role %s was %s, is %s", id, before, after)
			}
		}
		return nil
	}
	members := func(ms []*vb365test.RoleMember) string {
		var ids []string
		for _, m := range ms {
			ids = append(ids, m.PrincipalID)
		}
		sort.Strings(ids)
		return strings.Join(ids, ",")
	}
	sorted := func(ids []string) string {
		ids = append([]string(nil), ids...)
		sort.Strings(ids)
		return strings.Join(ids, ",")
	}
	serverMatches := func(updated bool) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			if err := othersUntouched(); err != nil {
				return err
			}
			if err := rolesNeverEmpty(fake)(s); err != nil {
				return err
			}
			if got := len(fake.Roles()); got != n+len(others) {
				return fmt.Errorf("%d roles on the server, want %d", got, n+len(others))
			}
			for k, w := range wantFor(updated) {
				var found []vb365test.Role
				for _, ro := range fake.Roles() {
					if strings.EqualFold(ro.Name, name(k)) {
						found = append(found, ro)
					}
				}
				if len(found) != 1 {
					return fmt.Errorf("%d roles named %q, want 1", len(found), name(k))
				}
				ro := found[0]
				if members(ro.Operators) != sorted(w.ops) || members(ro.Selected) != sorted(w.sel) || members(ro.Excluded) != sorted(w.exc) {
					return fmt.Errorf("%s on the server: %s", name(k), roleSnapshot(ro))
				}
				rs, ok := s.RootModule().Resources[fmt.Sprintf("vb365_restore_operator_role.r%d", k)]
				if !ok {
					return fmt.Errorf("r%d is not in state", k)
				}
				a := rs.Primary.Attributes
				if a["id"] != ro.ID || a["description"] != ro.Description || a["operators.user_ids.#"] != fmt.Sprint(len(w.ops)) ||
					a["selected_items.user_ids.#"] != fmt.Sprint(len(w.sel)) || a["excluded_items.user_ids.#"] != fmt.Sprint(len(w.exc)) {
					return fmt.Errorf("r%d in state (%v) differs from the server (%s, %s)", k, a, ro.ID, roleSnapshot(ro))
				}
			}
			return nil
		}
	}

	fake.SetFaultSeed(20261215)
	for k := range n {
		fake.InjectFault(vb365test.Fault{Route: "GET /Organizations/{organizationId}/RbacRoles", Rate: 0.1, OmitRole: name(k)})
	}
	fake.InjectFault(vb365test.Fault{Route: "POST /Organizations/{organizationId}/RbacRoles", Rate: 0.1, DropAfterServing: true})
	for _, l := range []string{"operators", "selectedItems", "excludedItems"} {
		fake.InjectFault(vb365test.Fault{Route: "POST /RbacRoles/{roleId}/" + l, Rate: 0.25, Status: http.StatusServiceUnavailable})
		fake.InjectFault(vb365test.Fault{Route: "POST /RbacRoles/{roleId}/" + l, Rate: 0.05, DropAfterServing: true})
	}
	fake.InjectFault(vb365test.Fault{Route: "*", Rate: 0.05, Status: http.StatusServiceUnavailable})
	fake.InjectFault(vb365test.Fault{Route: "*", Rate: 0.03, Latency: 100 * time.Millisecond})
	fake.InjectFault(vb365test.Fault{Route: "*", Rate: 0.02, ExpireTokens: true})

	emptyPlan := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := othersUntouched(); err != nil {
				return err
			}
			if got := len(fake.Roles()); got != len(others) {
				return fmt.Errorf("destroy left %d roles, want the %d of other teams", got, len(others))
			}
			return rolesNeverEmpty(fake)(s)
		},
		Steps: []resource.TestStep{
			{
				Config: clash,
				ExpectError: regexp.MustCompile(`(?s)Unable to create restore operator role.*already\s+has\s+a\s+restore\s+operator\s+role\s+named\s+"Helpdesk".*` +
					regexp.QuoteMeta(helpdesk.ID)),
			},
			{Config: config(false), Check: serverMatches(false)},
			{Config: config(false), ConfigPlanChecks: emptyPlan, Check: serverMatches(false)},
			{Config: config(true), Check: serverMatches(true)},
			{Config: config(true), ConfigPlanChecks: emptyPlan, Check: serverMatches(true)},
		},
	})
	counts := fake.CountByRoute()
	t.Logf("requests served (faults included): %d role lists, %d role GETs, %d creates, %d member adds, %d member removes, %d member lists",
		counts["GET /Organizations/{organizationId}/RbacRoles"], counts["GET /RbacRoles/{roleId}"], counts["POST /Organizations/{organizationId}/RbacRoles"],
		counts["POST /RbacRoles/{roleId}/operators"]+counts["POST /RbacRoles/{roleId}/selectedItems"]+counts["POST /RbacRoles/{roleId}/excludedItems"],
		counts["DELETE /RbacRoles/{roleId}/operators"]+counts["DELETE /RbacRoles/{roleId}/selectedItems"]+counts["DELETE /RbacRoles/{roleId}/excludedItems"],
		counts["GET /RbacRoles/{roleId}/operators"]+counts["GET /RbacRoles/{roleId}/selectedItems"]+counts["GET /RbacRoles/{roleId}/excludedItems"])
}

// TestAccFaultStorm_backupJobs applies, updates, re-plans and destroys 20
// backup jobs of 10 selected items each (issue 23) while a seeded storm hits
// every request: 503s (15 %), job creates, item adds and removes and job
// PUTs whose answer is lost after the server carried them out (10 %), job
// lists that leave a job out (5 % a job) and expired tokens (2 %). Each
// phase must succeed; the server must hold each job once with each
// declared item exactly once; state must match it; no write may leave a
// job without a selected item; the next plan must be empty; destroy
// removes every job.
func TestAccFaultStorm_backupJobs(t *testing.T) {
	const jobs, perJob = 20, 10
	org := vb365test.DemoOrganizationID
	fake := startJobFake(t, vb365test.Quirks{})
	fake.AddUsers(org, jobs*perJob+jobs)
	users := fake.Organization(org).Users
	users = users[len(users)-(jobs*perJob+jobs):]
	name := func(k int) string { return fmt.Sprintf("Storm %d", k) }
	// Job k selects users[k*perJob .. k*perJob+perJob-1]; the update swaps
	// the last for one of the spare users and adds OneDrive to the first.
	want := func(k int, updated bool) []string {
		var ids []string
		for i := range perJob {
			ids = append(ids, users[k*perJob+i].ID)
		}
		if updated {
			ids[perJob-1] = users[jobs*perJob+k].ID
		}
		return ids
	}
	config := func(updated bool) string {
		var b strings.Builder
		fmt.Fprintf(&b, "provider \"vb365\" {\n  url = %q\n  username = %q\n  password = %q\n  max_retries = 10\n}\n", fake.URL, fake.Username(), fake.Password())
		for k := range jobs {
			var items []string
			for i, id := range want(k, updated) {
				onedrive := ""
				if updated && i == 0 {
					onedrive = ", onedrive = true"
				}
				items = append(items, fmt.Sprintf("{ type = \"User\", user_id = %q, mailbox = true%s }", id, onedrive))
			}
			fmt.Fprintf(&b, `
resource "vb365_backup_job" "j%d" {
  organization_id = %q
  repository_id   = %q
  name            = %q
  backup_type     = "SelectedItems"
  selected_items  = [
    %s
  ]
}
`, k, org, vb365test.DefaultRepositoryID, name(k), strings.Join(items, ",\n    "))
		}
		return b.String()
	}
	serverMatches := func(updated bool) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			if err := jobsNeverEmpty(fake)(s); err != nil {
				return err
			}
			if got := len(fake.Jobs()); got != jobs {
				return fmt.Errorf("%d jobs on the server, want %d", got, jobs)
			}
			for k := range jobs {
				var found []vb365test.Job
				for _, j := range fake.Jobs() {
					if strings.EqualFold(j.Name, name(k)) {
						found = append(found, j)
					}
				}
				if len(found) != 1 {
					return fmt.Errorf("%d jobs named %q, want 1", len(found), name(k))
				}
				j := found[0]
				count := map[string]int{}
				for _, it := range j.Selected {
					count[it.PrincipalID]++
					if onedrive := updated && it.PrincipalID == users[k*perJob].ID; it.Flags["oneDrive"] != onedrive || !it.Flags["mailbox"] {
						return fmt.Errorf("%s: item %s has flags %v", name(k), it.PrincipalID, it.Flags)
					}
				}
				for _, id := range want(k, updated) {
					if count[id] != 1 {
						return fmt.Errorf("%s selects %s %d times, want once", name(k), id, count[id])
					}
				}
				if len(j.Selected) != perJob || len(j.Excluded) != 0 {
					return fmt.Errorf("%s holds %d selected and %d excluded items, want %d and 0", name(k), len(j.Selected), len(j.Excluded), perJob)
				}
				rs, ok := s.RootModule().Resources[fmt.Sprintf("vb365_backup_job.j%d", k)]
				if !ok {
					return fmt.Errorf("j%d is not in state", k)
				}
				if a := rs.Primary.Attributes; a["id"] != j.ID || a["selected_items.#"] != fmt.Sprint(perJob) {
					return fmt.Errorf("j%d in state (id %s, %s items) differs from the server (%s)", k, a["id"], a["selected_items.#"], j.ID)
				}
			}
			return nil
		}
	}

	fake.SetFaultSeed(20261207)
	for k := range jobs {
		fake.InjectFault(vb365test.Fault{Route: "GET /Jobs", Rate: 0.05, OmitJob: name(k)})
	}
	for _, route := range []string{"POST /Jobs", "PUT /Jobs/{jobId}", "POST /Jobs/{jobId}/SelectedItems", "DELETE /Jobs/{jobId}/SelectedItems", "DELETE /Jobs/{jobId}", "PUT /Jobs/{jobId}/SelectedItems/{itemId}"} {
		fake.InjectFault(vb365test.Fault{Route: route, Rate: 0.1, DropAfterServing: true})
	}
	fake.InjectFault(vb365test.Fault{Route: "*", Rate: 0.15, Status: http.StatusServiceUnavailable})
	fake.InjectFault(vb365test.Fault{Route: "*", Rate: 0.02, ExpireTokens: true})

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := len(fake.Jobs()); n != 0 {
				return fmt.Errorf("destroy left %d jobs", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: config(false), Check: serverMatches(false)},
			{Config: config(false), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}, Check: serverMatches(false)},
			{Config: config(true), Check: serverMatches(true)},
			{Config: config(true), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}, Check: serverMatches(true)},
		},
	})
	counts := fake.CountByRoute()
	t.Logf("requests served (faults included): %d token, %d job lists, %d creates, %d item adds, %d item removes, %d job deletes",
		counts["POST /token"], counts["GET /Jobs"], counts["POST /Jobs"], counts["POST /Jobs/{jobId}/SelectedItems"], counts["DELETE /Jobs/{jobId}/SelectedItems"], counts["DELETE /Jobs/{jobId}"])
}

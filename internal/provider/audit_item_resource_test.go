package provider

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

const auditTestOrg = vb365test.DemoOrganizationID

// auditMode is one server behaviour every audit test runs against.
type auditMode struct {
	name    string
	version string
	quirks  vb365test.Quirks
}

var auditModes = []auditMode{
	{name: "v8", version: "v8"},
	{name: "v7", version: "v7"},
	// GET AuditItems embeds user.id / group.id as "<org>:<kind>:<n>:<id>".
	{name: "v8-composite", version: "v8", quirks: vb365test.Quirks{CompositeAuditPrincipalIDs: true}},
	{name: "v7-composite", version: "v7", quirks: vb365test.Quirks{CompositeAuditPrincipalIDs: true}},
}

// auditPrincipalID is the /Users or /Groups ID of a demo principal by name.
func auditPrincipalID(t *testing.T, fake *vb365test.Server, name string) string {
	t.Helper()
	org := fake.Organization(auditTestOrg)
	for _, u := range org.Users {
		if strings.EqualFold(u.Name, name) {
			return u.ID
		}
	}
	for _, g := range org.Groups {
		if strings.EqualFold(g.Name, name) {
			return g.ID
		}
	}
	t.Fatalf("no demo principal %s", name)
	return ""
}

// auditItemOf is the fake's item for a principal, or nil.
func auditItemOf(fake *vb365test.Server, principalID string) *vb365test.AuditItem {
	for _, it := range fake.AuditItems(auditTestOrg) {
		if it.PrincipalID == principalID {
			return &it
		}
	}
	return nil
}

// auditedPrincipals are the principal IDs the fake audits, sorted.
func auditedPrincipals(fake *vb365test.Server) []string {
	var out []string
	for _, it := range fake.AuditItems(auditTestOrg) {
		out = append(out, it.PrincipalID)
	}
	sort.Strings(out)
	return out
}

func auditSorted(s ...string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// expectAudited checks that the fake audits exactly these principals.
func expectAudited(fake *vb365test.Server, principalIDs ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, want := auditedPrincipals(fake), auditSorted(principalIDs...)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			return fmt.Errorf("the server audits %v, want %v", got, want)
		}
		return nil
	}
}

// itemIDOf checks a state value against the fake's current item ID of a principal.
func itemIDOf(fake *vb365test.Server, principalID string) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		it := auditItemOf(fake, principalID)
		if it == nil {
			return fmt.Errorf("the server has no audit item for %s", principalID)
		}
		if it.ID != v {
			return fmt.Errorf("item_id %q, the server's item is %q", v, it.ID)
		}
		return nil
	})
}

func checkNoAuditItems(fake *vb365test.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if items := fake.AuditItems(auditTestOrg); len(items) != 0 {
			return fmt.Errorf("audit items left after destroy: %v", items)
		}
		return nil
	}
}

func auditItemConfig(fake *vb365test.Server, version, body string) string {
	return providerBlock(fake, `api_version = "`+version+`"`) + body
}

func TestAccAuditItemResource(t *testing.T) {
	for _, mode := range auditModes {
		t.Run(mode.name, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{Quirks: mode.quirks})
			adele := auditPrincipalID(t, fake, "AdeleV@contoso.onmicrosoft.com")
			hr := auditPrincipalID(t, fake, "HR@contoso.onmicrosoft.com")
			config := auditItemConfig(fake, mode.version, fmt.Sprintf(`
resource "vb365_audit_item" "adele" {
  organization_id = %[1]q
  user_id         = %[2]q
}

resource "vb365_audit_item" "hr" {
  organization_id = %[1]q
  group_id        = %[3]q
}
`, auditTestOrg, adele, hr))
			const (
				rAdele = "vb365_audit_item.adele"
				rHR    = "vb365_audit_item.hr"
			)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             checkNoAuditItems(fake),
				Steps: []resource.TestStep{
					// Create.
					{
						Config: config,
						Check:  expectAudited(fake, adele, hr),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(rAdele, tfjsonpath.New("id"), knownvalue.StringExact(auditTestOrg+"/user/"+adele)),
							statecheck.ExpectKnownValue(rAdele, tfjsonpath.New("item_id"), itemIDOf(fake, adele)),
							statecheck.ExpectKnownValue(rAdele, tfjsonpath.New("type"), knownvalue.StringExact("User")),
							statecheck.ExpectKnownValue(rAdele, tfjsonpath.New("name"), knownvalue.StringExact("AdeleV@contoso.onmicrosoft.com")),
							statecheck.ExpectKnownValue(rAdele, tfjsonpath.New("display_name"), knownvalue.StringExact("Adele Vance")),
							statecheck.ExpectKnownValue(rAdele, tfjsonpath.New("group_id"), knownvalue.Null()),
							statecheck.ExpectKnownValue(rHR, tfjsonpath.New("id"), knownvalue.StringExact(auditTestOrg+"/group/"+hr)),
							statecheck.ExpectKnownValue(rHR, tfjsonpath.New("item_id"), itemIDOf(fake, hr)),
							statecheck.ExpectKnownValue(rHR, tfjsonpath.New("type"), knownvalue.StringExact("Group")),
							statecheck.ExpectKnownValue(rHR, tfjsonpath.New("name"), knownvalue.StringExact("HR@contoso.onmicrosoft.com")),
							statecheck.ExpectKnownValue(rHR, tfjsonpath.New("display_name"), knownvalue.StringExact("HR")),
							statecheck.ExpectKnownValue(rHR, tfjsonpath.New("user_id"), knownvalue.Null()),
						},
					},
					// A second plan is empty.
					{
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
					},
					// Drift: removed behind Terraform's back, planned as a create, restored.
					{
						PreConfig: func() {
							if !fake.RemoveAuditItemFor(auditTestOrg, adele) {
								t.Fatal("no item to remove out of band")
							}
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectNonEmptyPlan(),
								plancheck.ExpectResourceAction(rAdele, plancheck.ResourceActionCreate),
								plancheck.ExpectResourceAction(rHR, plancheck.ResourceActionNoop),
							},
						},
						Check: expectAudited(fake, adele, hr),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(rAdele, tfjsonpath.New("item_id"), itemIDOf(fake, adele)),
						},
					},
					// Import with the documented ID forms.
					{
						ResourceName:      rAdele,
						ImportState:       true,
						ImportStateId:     auditTestOrg + "/user/" + adele,
						ImportStateVerify: true,
					},
					{
						ResourceName:      rHR,
						ImportState:       true,
						ImportStateId:     auditTestOrg + "/group/" + hr,
						ImportStateVerify: true,
					},
					// A wrong import ID names the expected forms.
					{
						ResourceName:  rAdele,
						ImportState:   true,
						ImportStateId: auditTestOrg + "/team/" + hr,
						ExpectError:   regexp.MustCompile(`(?s)Unexpected import identifier.*<organization_id>/user/<user_id>.*<organization_id>/group/<group_id>`),
					},
					{
						ResourceName:  rAdele,
						ImportState:   true,
						ImportStateId: adele,
						ExpectError:   regexp.MustCompile(`(?s)Unexpected import identifier.*<organization_id>/user/<user_id>`),
					},
					// An import block (terraform plan) is a no-op import.
					{
						ResourceName:    rAdele,
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithID,
					},
					// terraform plan -generate-config-out writes a usable block.
					{
						ResourceName:    rHR,
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithID,
						GenerateConfig:  true,
					},
					// The last applied configuration, still empty.
					{
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
					},
				},
			})
		})
	}
}

func TestAccAuditItemResource_errors(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	adele := auditPrincipalID(t, fake, "AdeleV@contoso.onmicrosoft.com")
	hr := auditPrincipalID(t, fake, "HR@contoso.onmicrosoft.com")
	cfg := func(body string) string { return auditItemConfig(fake, "v8", body) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkNoAuditItems(fake),
		Steps: []resource.TestStep{
			{
				Config: cfg(fmt.Sprintf(`
resource "vb365_audit_item" "x" {
  organization_id = %q
  group_id        = "19:sales-team@thread.tacv2"
}`, auditTestOrg)),
				ExpectError: regexp.MustCompile(`(?s)Unable to create audit item.*no group with ID.*19:sales-team@thread\.tacv2.*Teams\s+teams\s+cannot\s+be\s+audited.*team's\s+Microsoft\s+365\s+group`),
			},
			{
				Config: cfg(fmt.Sprintf(`
resource "vb365_audit_item" "x" {
  organization_id = %q
  user_id         = "nobody"
}`, auditTestOrg)),
				ExpectError: regexp.MustCompile(`(?s)Unable to create audit item.*no user with ID\s+"nobody".*vb365_user`),
			},
			{
				Config: cfg(fmt.Sprintf(`
resource "vb365_audit_item" "x" {
  organization_id = "11111111-2222-3333-4444-555555555555"
  user_id         = %q
}`, adele)),
				ExpectError: regexp.MustCompile(`(?s)Unable to create audit item.*no organization with ID\s+"11111111-2222-3333-4444-555555555555"`),
			},
			{
				Config: cfg(fmt.Sprintf(`
resource "vb365_audit_item" "x" {
  organization_id = %q
  user_id         = %q
  group_id        = %q
}`, auditTestOrg, adele, hr)),
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination`),
			},
			{
				Config: cfg(fmt.Sprintf(`
resource "vb365_audit_item" "x" {
  organization_id = %q
}`, auditTestOrg)),
				ExpectError: regexp.MustCompile(`(?s)Missing Attribute Configuration.*Exactly one of these attributes must be configured: \[user_id,group_id\]`),
			},
			{
				Config: cfg(fmt.Sprintf(`
resource "vb365_audit_item" "x" {
  organization_id = %q
  user_id         = ""
}`, auditTestOrg)),
				ExpectError: regexp.MustCompile(`(?s)user_id.*length`),
			},
		},
	})
	if n := len(fake.AuditItems(auditTestOrg)); n != 0 {
		t.Fatalf("failed creates left %d items", n)
	}
}

// TestAccAuditItemResource_adoptsDuplicate: on a server that refuses a
// principal already audited, Create finds and keeps the existing item.
func TestAccAuditItemResource_adoptsDuplicate(t *testing.T) {
	fake := startFake(t, vb365test.Options{Quirks: vb365test.Quirks{AuditDuplicateIsError: true}})
	adele := auditPrincipalID(t, fake, "AdeleV@contoso.onmicrosoft.com")
	existing := fake.AddAuditItem(auditTestOrg, "User", adele)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkNoAuditItems(fake),
		Steps: []resource.TestStep{{
			Config: auditItemConfig(fake, "v8", fmt.Sprintf(`
resource "vb365_audit_item" "adele" {
  organization_id = %q
  user_id         = %q
}`, auditTestOrg, adele)),
			Check: expectAudited(fake, adele),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("vb365_audit_item.adele", tfjsonpath.New("item_id"), knownvalue.StringExact(existing.ID)),
			},
		}},
	})
	if n := fake.Count("POST /Organizations/{organizationId}/AuditItems"); n != 1 {
		t.Fatalf("%d POSTs, want 1 (refused as a duplicate)", n)
	}
}

// TestAccAuditItemResource_goneBeforeDelete: Delete treats an item that is
// already gone as deleted, also where the server answers 404 for it, and
// a vanished organization as gone with its items.
func TestAccAuditItemResource_goneBeforeDelete(t *testing.T) {
	fake := startFake(t, vb365test.Options{Quirks: vb365test.Quirks{AuditRemoveUnknownIsError: true}})
	adele := auditPrincipalID(t, fake, "AdeleV@contoso.onmicrosoft.com")
	megan := auditPrincipalID(t, fake, "MeganB@contoso.onmicrosoft.com")
	item := func(name, id string) string {
		return fmt.Sprintf(`
resource "vb365_audit_item" %q {
  organization_id = %q
  user_id         = %q
}
`, name, auditTestOrg, id)
	}
	both := auditItemConfig(fake, "v8", item("adele", adele)+item("megan", megan))
	onlyMegan := auditItemConfig(fake, "v8", item("megan", megan))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		// Plans without refresh, so Delete gets the stale item ID.
		AdditionalCLIOptions: &resource.AdditionalCLIOptions{Plan: resource.PlanOptions{NoRefresh: true}},
		CheckDestroy:         checkNoAuditItems(fake),
		Steps: []resource.TestStep{
			{Config: both, Check: expectAudited(fake, adele, megan)},
			{
				PreConfig: func() {
					fake.ResetRequests()
					fake.RemoveAuditItemFor(auditTestOrg, adele)
				},
				Config: onlyMegan,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("vb365_audit_item.adele", plancheck.ResourceActionDestroy)},
				},
				Check: func(s *terraform.State) error {
					if err := expectAudited(fake, megan)(s); err != nil {
						return err
					}
					for _, r := range fake.Requests() {
						if r.Route == "POST /Organizations/{organizationId}/AuditItems/remove" && r.Status == 404 {
							return nil
						}
					}
					return fmt.Errorf("the remove was not answered 404; routes %v", fake.CountByRoute())
				},
			},
		},
	})
}

// TestAccAuditItemResource_organizationGone: an organization removed from
// VB365 takes its audit items with it; refresh plans them anew.
func TestAccAuditItemResource_organizationGone(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	adele := auditPrincipalID(t, fake, "AdeleV@contoso.onmicrosoft.com")
	config := auditItemConfig(fake, "v8", fmt.Sprintf(`
resource "vb365_audit_item" "adele" {
  organization_id = %q
  user_id         = %q
}`, auditTestOrg, adele))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: expectAudited(fake, adele)},
			{
				PreConfig:          func() { fake.RemoveOrganization(auditTestOrg) },
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// terraformCommands splits the fake's request log into the Terraform
// commands that called the API: the provider signs in on a command's first
// API call (POST /token), and the client shares that token for the rest of
// the command; a command that calls no API leaves no trace.
func terraformCommands(reqs []vb365test.LoggedRequest) []map[string]int {
	var out []map[string]int
	for _, r := range reqs {
		if r.Route == "admin" {
			continue
		}
		if r.Route == "POST /token" || len(out) == 0 {
			out = append(out, map[string]int{})
		}
		out[len(out)-1][r.Route]++
	}
	return out
}

// TestAccAuditItemResource_requestCounts measures what N vb365_audit_item
// resources in one organization cost per Terraform command, and bounds it:
// the audit list is shared within a command, not fetched per resource.
func TestAccAuditItemResource_requestCounts(t *testing.T) {
	for _, n := range []int{1, 10, 100} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			fake.AddUsers(auditTestOrg, n)
			users := fake.Organization(auditTestOrg).Users
			users = users[len(users)-n:]
			ids := make([]string, n)
			for i, u := range users {
				ids[i] = fmt.Sprintf("%q", u.ID)
			}
			config := auditItemConfig(fake, "v8", fmt.Sprintf(`
locals {
  user_ids = [%s]
}

resource "vb365_audit_item" "u" {
  count           = length(local.user_ids)
  organization_id = %q
  user_id         = local.user_ids[count.index]
}
`, strings.Join(ids, ", "), auditTestOrg))

			var apply, refresh, destroy map[string]int
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy: func(s *terraform.State) error {
					cmds := terraformCommands(fake.Requests())
					t.Logf("N=%d destroy commands: %v", n, cmds)
					destroy = cmds[len(cmds)-1]
					return checkNoAuditItems(fake)(s)
				},
				Steps: []resource.TestStep{
					{
						PreConfig: fake.ResetRequests,
						Config:    config,
					},
					{
						PreConfig: func() {
							// Step 1 ran: plan (empty state, no API call),
							// apply, plan -refresh=false (no API call), plan
							// (refresh of N items).
							cmds := terraformCommands(fake.Requests())
							t.Logf("N=%d step 1 commands: %v", n, cmds)
							if len(cmds) != 2 {
								t.Fatalf("want 2 Terraform commands that call the API in step 1, got %d: %v", len(cmds), cmds)
							}
							apply, refresh = cmds[0], cmds[1]
							fake.ResetRequests()
						},
						Config:           config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					},
				},
			})
			if len(fake.AuditItems(auditTestOrg)) != 0 {
				t.Fatal("items left")
			}
			t.Logf("N=%d requests: refresh (plan) %v", n, refresh)
			t.Logf("N=%d requests: apply (create) %v", n, apply)
			t.Logf("N=%d requests: destroy %v", n, destroy)

			// Refresh: one shared list per organization, whatever N and
			// however long the walk (the list is kept until this client
			// writes).
			if got := refresh[routeAuditList]; got != 1 {
				t.Errorf("refresh of %d items cost %d GET AuditItems, want 1", n, got)
			}
			if refresh[routeAuditAdd]+refresh[routeAuditRemove] != 0 {
				t.Errorf("refresh wrote: %v", refresh)
			}
			// Create: one POST per item (the resource's contract); the
			// principals are looked up one GET each up to ListThreshold,
			// the rest from one page of the organization's users, whatever
			// the order the creates run in.
			wantGets, wantPages := min(n, vb365.ListThreshold), 0
			if n > vb365.ListThreshold {
				wantPages = 1
			}
			if apply[routeAuditAdd] != n || apply["GET /Organizations/{organizationId}/Users/{userId}"] != wantGets ||
				apply["GET /Organizations/{organizationId}/Users"] != wantPages {
				t.Errorf("apply: %v, want %d POSTs, %d user GETs and %d users pages", apply, n, wantGets, wantPages)
			}
			// Each create needs a list sent after its own POST returned, and
			// starts or joins exactly one: 1 to N lists, whatever the load.
			// How many parallel creates share one depends on scheduling
			// (measured: 1, 1-2 and 18-49 for N = 1, 10, 100), so only
			// the bound that does not is asserted.
			if got := apply[routeAuditList]; got < 1 || got > n {
				t.Errorf("creating %d items cost %d GET AuditItems, want 1 to %d", n, got, n)
			}
			t.Logf("N=%d: %d lists for %d creates", n, apply[routeAuditList], n)
			// Destroy's apply walk: one remove per item, no list (the item
			// IDs come from the refresh).
			if destroy[routeAuditRemove] != n || destroy[routeAuditList] != 0 {
				t.Errorf("destroy: %v", destroy)
			}
		})
	}
}

// TestAccAuditItemResource_example applies the registry example: the CEO,
// looked up by mail address, and the HR group are audited.
func TestAccAuditItemResource_example(t *testing.T) {
	example, err := os.ReadFile("../../examples/resources/vb365_audit_item/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	fake := startFake(t, vb365test.Options{})
	ceo := auditPrincipalID(t, fake, "ceo@contoso.onmicrosoft.com")
	hr := auditPrincipalID(t, fake, "HR@contoso.onmicrosoft.com")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkNoAuditItems(fake),
		Steps: []resource.TestStep{{
			Config: providerBlock(fake) + string(example),
			Check:  expectAudited(fake, ceo, hr),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("vb365_audit_item.ceo", tfjsonpath.New("id"), knownvalue.StringExact(auditTestOrg+"/user/"+ceo)),
				statecheck.ExpectKnownValue("vb365_audit_item.ceo", tfjsonpath.New("display_name"), knownvalue.StringExact("Chief Executive")),
			},
		}},
	})
}

// A create whose answer is lost and whose read-back fails leaves the
// item audited on the server: the resource stays in state (tainted), so a
// configuration without it removes it. Before: untracked for ever.
func TestAccAuditItemResource_lostAnswerTracked(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	adele := auditPrincipalID(t, fake, "AdeleV@contoso.onmicrosoft.com")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					fake.InjectFault(vb365test.Fault{Route: routeAuditAdd, DropAfterServing: true})
					fake.InjectFault(vb365test.Fault{Route: routeAuditList, Status: http.StatusServiceUnavailable})
				},
				Config: auditItemConfig(fake, "v8", fmt.Sprintf(`
resource "vb365_audit_item" "adele" {
  organization_id = %q
  user_id         = %q
}`, auditTestOrg, adele)),

				ExpectError: regexp.MustCompile(`Unable to create audit item`),
			},
			{
				PreConfig: fake.ClearFaults,
				Config:    providerBlock(fake),
				Check: func(*terraform.State) error {
					if items := fake.AuditItems(auditTestOrg); len(items) != 0 {
						return fmt.Errorf("the item the lost create added is still there, untracked: %v", items)
					}
					return nil
				},
			},
		},
	})
}

// Import of a principal that is not audited, of an unknown user and of
// an unknown organization says which part was not found.
func TestAccAuditItemResource_importSaysWhatIsMissing(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	adele := auditPrincipalID(t, fake, "AdeleV@contoso.onmicrosoft.com")
	config := auditItemConfig(fake, "v8", fmt.Sprintf(`
resource "vb365_audit_item" "adele" {
  organization_id = %q
  user_id         = %q
}`, auditTestOrg, adele))

	step := func(id, re string) resource.TestStep {
		return resource.TestStep{Config: config, ResourceName: "vb365_audit_item.adele", ImportState: true, ImportStateId: id, ExpectError: regexp.MustCompile(re)}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(auditTestOrg+"/user/"+adele, `(?s)is\s+not\s+audited.*no\s+audit\s+item\s+to\s+import`),
			step(auditTestOrg+"/user/no-such-user", `(?s)has\s+no\s+user\s+with\s+ID\s+"no-such-user"`),
			step("no-such-org/user/"+adele, `(?s)no\s+organization\s+with\s+ID\s+"no-such-org"`),
			step(auditTestOrg+"/user/..", `Unexpected import identifier`),
		},
	})
}

// FuzzParseAuditItemID: whatever the import ID, parsing never panics, and
// what it accepts renders back to an ID that parses to the same parts.
func FuzzParseAuditItemID(f *testing.F) {
	for _, s := range []string{
		"6f144e6f-7f59-475f-8e1d-1bfa0b6bb020/user/a54b55d8", "org/GROUP/g", "org/user/AQUAAAAAAAUVAAAA/b64+sid/==",
		"org/team/x", "/user/x", "org/user/", "org/user/..", "../user/x", "", "org",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		org, kind, principal, ok := parseAuditItemID(id)
		if !ok {
			return
		}
		if org == "" || principal == "" || (kind != "user" && kind != "group") || strings.Contains(org, "/") {
			t.Fatalf("parseAuditItemID(%q) = %q, %q, %q", id, org, kind, principal)
		}
		if badID(org) != "" || badID(principal) != "" {
			t.Fatalf("parseAuditItemID(%q) accepted an unusable ID", id)
		}
		o2, k2, p2, ok2 := parseAuditItemID(auditItemID(org, kind, principal))
		if !ok2 || o2 != org || k2 != kind || p2 != principal {
			t.Fatalf("round trip of %q: %q %q %q %v", id, o2, k2, p2, ok2)
		}
	})
}

package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

const (
	routeAuditList   = "GET /Organizations/{organizationId}/AuditItems"
	routeAuditAdd    = "POST /Organizations/{organizationId}/AuditItems"
	routeAuditRemove = "POST /Organizations/{organizationId}/AuditItems/remove"
)

func auditItemsConfig(fake *vb365test.Server, version string, users, groups []string) string {
	q := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = fmt.Sprintf("%q", id)
		}
		return "[" + strings.Join(out, ", ") + "]"
	}
	return providerBlock(fake, `api_version = "`+version+`"`) + fmt.Sprintf(`
resource "vb365_audit_items" "contoso" {
  organization_id = %q
  user_ids        = %s
  group_ids       = %s
}
`, auditTestOrg, q(users), q(groups))
}

func stringSetExact(ids ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.StringExact(id)
	}
	return knownvalue.SetExact(checks)
}

func TestAccAuditItemsResource(t *testing.T) {
	for _, mode := range auditModes {
		t.Run(mode.name, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{Quirks: mode.quirks})
			id := func(name string) string { return auditPrincipalID(t, fake, name+"@contoso.onmicrosoft.com") }
			adele, megan, alex, nestor := id("AdeleV"), id("MeganB"), id("AlexW"), id("NestorW")
			hr, finance := id("HR"), id("Finance")
			first := auditItemsConfig(fake, mode.version, []string{adele, megan}, []string{hr})
			second := auditItemsConfig(fake, mode.version, []string{megan, alex}, []string{hr, finance})
			const r = "vb365_audit_items.contoso"

			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy:             checkNoAuditItems(fake),
				Steps: []resource.TestStep{
					// Create: an item that was there before and is not configured goes.
					{
						PreConfig: func() { fake.AddAuditItem(auditTestOrg, "User", nestor) },
						Config:    first,
						Check:     expectAudited(fake, adele, megan, hr),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(r, tfjsonpath.New("id"), knownvalue.StringExact(auditTestOrg)),
							statecheck.ExpectKnownValue(r, tfjsonpath.New("user_ids"), stringSetExact(adele, megan)),
							statecheck.ExpectKnownValue(r, tfjsonpath.New("group_ids"), stringSetExact(hr)),
						},
					},
					{
						Config:           first,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					},
					// Drift: a member removed behind Terraform's back comes back.
					{
						PreConfig: func() {
							if !fake.RemoveAuditItemFor(auditTestOrg, adele) {
								t.Fatal("no item to remove out of band")
							}
						},
						Config: first,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectNonEmptyPlan(),
							plancheck.ExpectResourceAction(r, plancheck.ResourceActionUpdate),
							plancheck.ExpectKnownValue(r, tfjsonpath.New("user_ids"), stringSetExact(adele, megan)),
						}},
						Check: expectAudited(fake, adele, megan, hr),
					},
					// Drift: an item added behind Terraform's back goes.
					{
						PreConfig: func() { fake.AddAuditItem(auditTestOrg, "Group", finance) },
						Config:    first,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectNonEmptyPlan(),
							plancheck.ExpectResourceAction(r, plancheck.ResourceActionUpdate),
							plancheck.ExpectKnownValue(r, tfjsonpath.New("group_ids"), stringSetExact(hr)),
						}},
						Check: expectAudited(fake, adele, megan, hr),
					},
					// Update: two added, one removed, in one POST and one remove.
					{
						PreConfig: func() { fake.ResetRequests() },
						Config:    second,
						Check: resource.ComposeAggregateTestCheckFunc(
							expectAudited(fake, megan, alex, hr, finance),
							expectRequests(fake, map[string]int{routeAuditAdd: 1, routeAuditRemove: 1}),
						),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(r, tfjsonpath.New("user_ids"), stringSetExact(megan, alex)),
							statecheck.ExpectKnownValue(r, tfjsonpath.New("group_ids"), stringSetExact(hr, finance)),
						},
					},
					// Import by organization ID.
					{
						ResourceName:      r,
						ImportState:       true,
						ImportStateId:     auditTestOrg,
						ImportStateVerify: true,
					},
					{
						ResourceName:    r,
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithID,
					},
					{
						ResourceName:    r,
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithID,
						GenerateConfig:  true,
					},
					{
						ResourceName:  r,
						ImportState:   true,
						ImportStateId: auditTestOrg + "/user/" + megan,
						ExpectError:   regexp.MustCompile(`(?s)Unexpected import identifier.*<organization_id>`),
					},
					{
						Config:           second,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					},
				},
			})
		})
	}
}

// TestAccAuditItemsResource_emptyAndErrors: omitted sets mean none, and an
// unknown group names the teams rule.
func TestAccAuditItemsResource_emptyAndErrors(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	megan := auditPrincipalID(t, fake, "MeganB@contoso.onmicrosoft.com")
	fake.AddAuditItem(auditTestOrg, "User", megan)
	base := providerBlock(fake)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkNoAuditItems(fake),
		Steps: []resource.TestStep{
			{
				Config: base + fmt.Sprintf(`
resource "vb365_audit_items" "contoso" {
  organization_id = %q
  user_ids        = [%q]
  group_ids       = ["19:sales-team@thread.tacv2"]
}`, auditTestOrg, megan),
				ExpectError: regexp.MustCompile(`(?s)Unable to create audit items.*no group with ID.*Teams\s+teams\s+cannot\s+be\s+audited`),
			},
			{
				Config: base + `
resource "vb365_audit_items" "contoso" {
  organization_id = "11111111-2222-3333-4444-555555555555"
}`,
				ExpectError: regexp.MustCompile(`(?s)Unable to create audit items.*no organization with ID`),
			},
			{
				Config: base + fmt.Sprintf(`
resource "vb365_audit_items" "contoso" {
  organization_id = %q
}`, auditTestOrg),
				Check: expectAudited(fake),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("vb365_audit_items.contoso", tfjsonpath.New("user_ids"), knownvalue.SetSizeExact(0)),
					statecheck.ExpectKnownValue("vb365_audit_items.contoso", tfjsonpath.New("group_ids"), knownvalue.SetSizeExact(0)),
				},
			},
		},
	})
	// The failed creates changed nothing: megan stayed until the empty list was applied.
	if n := fake.Count(routeAuditAdd); n != 0 {
		t.Fatalf("%d POSTs", n)
	}
}

// TestAccAuditItemsResource_example applies the registry example.
func TestAccAuditItemsResource_example(t *testing.T) {
	example, err := os.ReadFile("../../examples/resources/vb365_audit_items/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	fake := startFake(t, vb365test.Options{})
	id := func(name string) string { return auditPrincipalID(t, fake, name+"@contoso.onmicrosoft.com") }
	fake.AddAuditItem(auditTestOrg, "User", id("NestorW")) // not in the example: removed
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkNoAuditItems(fake),
		Steps: []resource.TestStep{{
			Config: providerBlock(fake) + string(example),
			Check:  expectAudited(fake, id("ceo"), id("AdeleV"), id("Executives")),
		}},
	})
}

// A GET AuditItems that reports a type newer than the documents
// ("UserV2") for items that embed a user: the declared items are kept, and
// the next plan is empty. Before: the plan said "+2 users", apply added them
// and removed the two declared items, leaving none.
func TestAccAuditItemsResource_unknownItemType(t *testing.T) {
	fake := startFake(t, vb365test.Options{Quirks: vb365test.Quirks{AuditItemType: "UserV2"}})
	adele := auditPrincipalID(t, fake, "AdeleV@contoso.onmicrosoft.com")
	megan := auditPrincipalID(t, fake, "MeganB@contoso.onmicrosoft.com")
	config := auditItemsConfig(fake, "v8", []string{adele, megan}, nil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkNoAuditItems(fake),
		Steps: []resource.TestStep{
			{Config: config, Check: expectAudited(fake, adele, megan)},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            expectAudited(fake, adele, megan),
			},
		},
	})
}

// Creating the authoritative resource over an organization that has
// items says, in the plan, which ones it will remove; destroy says it
// empties the list. Before: the plan said only "1 to add".
func TestAuditPlanWarnsOfUndeclaredRemovals(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	adele := auditPrincipalID(t, fake, "AdeleV@contoso.onmicrosoft.com")
	megan := auditPrincipalID(t, fake, "MeganB@contoso.onmicrosoft.com")
	hr := auditPrincipalID(t, fake, "HR@contoso.onmicrosoft.com")
	fake.AddAuditItem(auditTestOrg, "User", adele)
	fake.AddAuditItem(auditTestOrg, "User", megan)
	fake.AddAuditItem(auditTestOrg, "Group", hr)
	p := newProtoProvider(t)
	p.configure(fake, "v8")

	diags := p.planResource("vb365_audit_items", nil, map[string]tftypes.Value{
		"organization_id": str(auditTestOrg), "user_ids": strSet(adele), "group_ids": strSet(),
	})
	text := strings.ToLower(diagsText(diags))
	if !strings.Contains(text, "warning: vb365_audit_items will remove audit items it did not create") ||
		!strings.Contains(text, "2 audit items not in this configuration") ||
		!strings.Contains(text, "user meganb@contoso.onmicrosoft.com") || !strings.Contains(text, "group hr@contoso.onmicrosoft.com") ||
		strings.Contains(text, "adelev") {
		t.Fatalf("create plan diagnostics:\n%s", text)
	}

	diags = p.planResource("vb365_audit_items", map[string]tftypes.Value{
		"id": str(auditTestOrg), "organization_id": str(auditTestOrg), "user_ids": strSet(adele, megan), "group_ids": strSet(hr),
	}, nil)
	if text := diagsText(diags); !strings.Contains(text, "removes every audit item of the organization") {
		t.Fatalf("destroy plan diagnostics:\n%s", text)
	}
}

// Import of vb365_audit_items for an unknown organization says so.
func TestAccAuditItemsResource_importUnknownOrganization(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        auditItemsConfig(fake, "v8", nil, nil),
			ResourceName:  "vb365_audit_items.contoso",
			ImportState:   true,
			ImportStateId: "11111111-2222-3333-4444-555555555555",
			ExpectError:   regexp.MustCompile(`(?s)no\s+organization\s+with\s+ID\s+"11111111-2222-3333-4444-555555555555"`),
		}},
	})
}

package provider

// Provider-side tests of the hardening review: each pins one numbered item.

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// (1) A GET AuditItems that reports a type newer than the documents
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

// (2) Creating the authoritative resource over an organization that has
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

// (3) A create whose answer is lost and whose read-back fails leaves the
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

// (14) IDs that differ only in case are one ID: a set holding both is
// refused at plan time (it never converged), and an import in upper case
// stores the server's spelling (it planned a replacement).
func TestAccAuditIDsIgnoreCase(t *testing.T) {
	t.Run("case duplicates refused", func(t *testing.T) {
		fake := startFake(t, vb365test.Options{})
		adele := auditPrincipalID(t, fake, "AdeleV@contoso.onmicrosoft.com")
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      auditItemsConfig(fake, "v8", []string{adele, strings.ToUpper(adele)}, nil),
				ExpectError: regexp.MustCompile(`(?s)Duplicate VB365 ID.*same\s+ID`),
			}},
		})

	})
	t.Run("upper-case import keeps the server's spelling", func(t *testing.T) {
		fake2 := startFake(t, vb365test.Options{})
		adele := auditPrincipalID(t, fake2, "AdeleV@contoso.onmicrosoft.com")
		config := auditItemConfig(fake2, "v8", fmt.Sprintf(`
resource "vb365_audit_item" "adele" {
  organization_id = %q
  user_id         = %q
}`, auditTestOrg, adele))

		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			CheckDestroy:             checkNoAuditItems(fake2),
			Steps: []resource.TestStep{
				{Config: config},
				{
					Config:            config,
					ResourceName:      "vb365_audit_item.adele",
					ImportState:       true,
					ImportStateId:     auditTestOrg + "/user/" + strings.ToUpper(adele),
					ImportStateVerify: true,
				},
			},
		})
	})
}

// (15) Import of a principal that is not audited, of an unknown user and of
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

// (6, 15) url with a password is refused at plan time and never printed;
// validators and Configure read " 60s " and "V8" the same way; an ID of
// ".." is refused before it is sent as a path segment.
func TestAccProvider_planTimeChecks(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `provider "vb365" {
  url      = "http://admin:pw-in-url-31337@vb365.example:4443"
  username = "u"
  password = "p"
}

data "vb365_organizations" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid VB365 URL.*user\s+name\s+or\s+password`),
			},
			{
				Config: providerBlock(fake) + `
resource "vb365_audit_item" "dots" {
  organization_id = ".."
  user_id         = "x"
}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid VB365 ID.*path\s+segment`),
			},
			{
				Config: fmt.Sprintf(`provider "vb365" {
  url             = %q
  username        = %q
  password        = %q
  api_version     = "V8"
  request_timeout = " 60s "
}
data "vb365_organizations" "all" {}`, fake.URL, fake.Username(), fake.Password()),
			},
		},
	})
}

// The password in url never reaches a diagnostic, from the attribute or
// from VB365_URL (which only Configure sees).
func TestAccProvider_urlPasswordNeverShown(t *testing.T) {
	clearProviderEnv(t)
	t.Setenv(envUsername, "u")
	t.Setenv(envPassword, "p")
	// (The attribute form is checked at plan time by
	// TestAccProvider_planTimeChecks; Terraform itself quotes the source
	// line there, so only the environment form can be checked whole.)
	for _, tc := range []struct{ name, env, block string }{
		{"environment", "https://admin:pw-in-url-31337@vb365.example:4443", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(envURL, tc.env)
			checked := false
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				ErrorCheck: func(err error) error {
					checked = true
					if strings.Contains(err.Error(), "pw-in-url-31337") {
						return fmt.Errorf("the diagnostic shows the password of url: %w", err)
					}
					if !regexp.MustCompile(`user\s+name\s+or\s+password`).MatchString(err.Error()) {
						return fmt.Errorf("not the userinfo error: %w", err)
					}
					return nil
				},
				Steps: []resource.TestStep{{Config: tc.block + `data "vb365_organizations" "all" {}`}},
			})
			if !checked {
				t.Fatal("the configuration did not fail")
			}
		})
	}
}

// (13) A read-back the schema cannot represent: settings read back empty
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

// (15) Import of vb365_audit_items for an unknown organization says so.
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

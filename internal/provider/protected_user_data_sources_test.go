package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// TestAccProtectedUsersDataSource: the protected users with each filter on
// v8 (what of each user is protected), the licensed users on v7 and v6
// (is_backed_up, last_backup_time), and a user taken out of the backup
// behind Terraform's back in the next plan.
func TestAccProtectedUsersDataSource(t *testing.T) {
	for _, version := range []string{"v8", "v7", "v6"} {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			org := vb365test.DemoOrganizationID
			v8 := version == "v8"
			cfg := providerBlock(fake, `api_version = "`+version+`"`) + fmt.Sprintf(`
data "vb365_protected_users" "all" {}
data "vb365_protected_users" "contoso" {
  organization_id = %q
}
locals {
  ceo = one([for u in data.vb365_protected_users.contoso.users : u if lower(u.email) == "ceo@contoso.onmicrosoft.com"])
}
output "ceo" {
  value = local.ceo
}
output "backed_up" {
  value = sort([for u in data.vb365_protected_users.contoso.users : u.email if u.is_backed_up])
}
`, org)
			if v8 {
				cfg += fmt.Sprintf(`
data "vb365_protected_users" "users_repository" {
  organization_id = %q
  repository_id   = %q
}
data "vb365_protected_users" "sites_repository" {
  repository_id = %q
}
`, org, vb365test.DemoRepositoryID, vb365test.DemoSitesRepositoryID)
			}
			everyone := []string{"AdeleV@contoso.onmicrosoft.com", "AlexW@contoso.onmicrosoft.com", "MeganB@contoso.onmicrosoft.com",
				"NestorW@contoso.onmicrosoft.com", "PattiF@contoso.onmicrosoft.com", "ceo@contoso.onmicrosoft.com"}
			ceo := map[string]knownvalue.Check{
				"email": knownvalue.StringExact("ceo@contoso.onmicrosoft.com"), "organization_id": knownvalue.StringExact(org),
				"is_backed_up": knownvalue.Bool(true), "id": knownvalue.NotNull(),
			}
			if v8 {
				ceo["display_name"], ceo["account_type"], ceo["msid"] = knownvalue.StringExact("Chief Executive"), knownvalue.StringExact("User"), knownvalue.NotNull()
				ceo["mailbox"], ceo["archive"], ceo["onedrive"] = knownvalue.Bool(true), knownvalue.Bool(true), knownvalue.Bool(true)
				ceo["onedrive_urls"] = knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("https://contoso-my.sharepoint.com/personal/ceo_contoso_onmicrosoft_com")})
				ceo["last_backup_time"], ceo["license_state"], ceo["site_urls"] = knownvalue.Null(), knownvalue.Null(), knownvalue.Null()
			} else {
				ceo["display_name"], ceo["msid"], ceo["mailbox"], ceo["archive"], ceo["onedrive"] = knownvalue.Null(), knownvalue.Null(), knownvalue.Null(), knownvalue.Null(), knownvalue.Null()
				ceo["last_backup_time"], ceo["license_state"] = knownvalue.NotNull(), knownvalue.StringExact("Licensed")
				ceo["account_type"], ceo["onedrive_urls"], ceo["site_urls"] = knownvalue.Null(), knownvalue.Null(), knownvalue.Null()
			}
			checks := []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.vb365_protected_users.all", tfjsonpath.New("users"), knownvalue.ListSizeExact(6)),
				statecheck.ExpectKnownOutputValue("ceo", knownvalue.ObjectExact(ceo)),
				statecheck.ExpectKnownOutputValue("backed_up", stringList(everyone...)),
			}
			if v8 {
				checks = append(checks,
					statecheck.ExpectKnownValue("data.vb365_protected_users.users_repository", tfjsonpath.New("users"), knownvalue.ListSizeExact(6)),
					statecheck.ExpectKnownValue("data.vb365_protected_users.sites_repository", tfjsonpath.New("users"), knownvalue.ListSizeExact(0)))
			}
			// Megan Bowen taken out of the backup: v8 no longer lists her,
			// v6 and v7 list her licence, not backed up.
			without := []string{everyone[0], everyone[1], everyone[3], everyone[4], everyone[5]}
			steps := []resource.TestStep{
				{Config: cfg, ConfigStateChecks: checks},
				{
					PreConfig: func() { fake.UnprotectUser(org, fake.Organization(org).Users[2].ID) },
					Config:    cfg,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownOutputValue("backed_up", stringList(without...)),
						statecheck.ExpectKnownValue("data.vb365_protected_users.contoso", tfjsonpath.New("users"), knownvalue.ListSizeExact(map[bool]int{true: 5, false: 6}[v8])),
					},
				},
			}
			if !v8 {
				steps = append(steps, resource.TestStep{
					Config:      providerBlock(fake, `api_version = "`+version+`"`) + "data \"vb365_protected_users\" \"x\" {\n  repository_id = \"" + vb365test.DemoRepositoryID + "\"\n}\n",
					ExpectError: regexp.MustCompile(`(?s)A filter by repository_id comes from.*REST API v8.*speaks\s+` + version + `\s+\(api_version\)`),
				})
			}
			resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
		})
	}
}

// TestAccProtectedUserDataSource looks one user up by user_id, email and
// msid on each version: a protected user, a shared mailbox that is not
// (an answer, not an error), an msid lookup on v6 and v7 (refused naming
// api_version), an unknown user_id, and two keys at once.
func TestAccProtectedUserDataSource(t *testing.T) {
	for _, version := range []string{"v8", "v7", "v6"} {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			org := vb365test.DemoOrganizationID
			users := fake.Organization(org).Users
			ceo, shared := users[4], users[5]
			v8 := version == "v8"
			provider := providerBlock(fake, `api_version = "`+version+`"`)
			cfg := provider + fmt.Sprintf(`
data "vb365_protected_user" "ceo" {
  organization_id = %[1]q
  user_id         = %[2]q
}
data "vb365_protected_user" "by_email" {
  organization_id = %[1]q
  email           = "CEO@contoso.onmicrosoft.com"
}
data "vb365_protected_user" "shared" {
  organization_id = %[1]q
  user_id         = %[3]q
}
`, org, ceo.ID, shared.ID)
			checks := []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.vb365_protected_user.ceo", tfjsonpath.New("is_backed_up"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.vb365_protected_user.ceo", tfjsonpath.New("email"), knownvalue.StringExact("ceo@contoso.onmicrosoft.com")),
				statecheck.ExpectKnownValue("data.vb365_protected_user.by_email", tfjsonpath.New("is_backed_up"), knownvalue.Bool(true)),
				// The argument keeps the configuration's spelling.
				statecheck.ExpectKnownValue("data.vb365_protected_user.by_email", tfjsonpath.New("email"), knownvalue.StringExact("CEO@contoso.onmicrosoft.com")),
				statecheck.ExpectKnownValue("data.vb365_protected_user.shared", tfjsonpath.Path{}, knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"is_backed_up": knownvalue.Bool(false), "id": knownvalue.Null(), "email": knownvalue.StringExact(shared.Name), "mailbox": knownvalue.Null(),
				})),
			}
			if v8 {
				cfg += fmt.Sprintf("data \"vb365_protected_user\" \"by_msid\" {\n  organization_id = %q\n  msid = %q\n}\n", org, ceo.MSID)
				checks = append(checks,
					statecheck.ExpectKnownValue("data.vb365_protected_user.ceo", tfjsonpath.New("msid"), knownvalue.StringExact(ceo.MSID)),
					statecheck.ExpectKnownValue("data.vb365_protected_user.ceo", tfjsonpath.New("archive"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.vb365_protected_user.by_msid", tfjsonpath.New("display_name"), knownvalue.StringExact("Chief Executive")))
			} else {
				checks = append(checks,
					statecheck.ExpectKnownValue("data.vb365_protected_user.ceo", tfjsonpath.New("msid"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.vb365_protected_user.ceo", tfjsonpath.New("license_state"), knownvalue.StringExact("Licensed")))
			}
			steps := []resource.TestStep{
				{Config: cfg, ConfigStateChecks: checks},
				{
					Config:      provider + fmt.Sprintf("data \"vb365_protected_user\" \"x\" {\n  organization_id = %q\n  user_id = \"nobody\"\n}\n", org),
					ExpectError: regexp.MustCompile(`(?s)Unable to find user.*has no user with ID\s+"nobody"`),
				},
				{
					Config:      provider + fmt.Sprintf("data \"vb365_protected_user\" \"x\" {\n  organization_id = %q\n  user_id = %q\n  email = \"x@y\"\n}\n", org, ceo.ID),
					ExpectError: regexp.MustCompile(`Invalid Attribute Combination`),
				},
			}
			if !v8 {
				steps = append(steps, resource.TestStep{
					Config:      provider + fmt.Sprintf("data \"vb365_protected_user\" \"x\" {\n  organization_id = %q\n  msid = %q\n}\n", org, ceo.MSID),
					ExpectError: regexp.MustCompile(`(?s)A lookup by msid comes from.*REST API v8.*speaks\s+` + version + `\s+\(api_version\)`),
				})
			}
			// End on a valid configuration: the post-test destroy plans the
			// last one, and the steps above end on refused ones.
			steps = append(steps, resource.TestStep{Config: provider})
			resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
		})
	}
}

package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// names is a check of the names of the listed repositories, in order.
func repositoryNames(names ...string) knownvalue.Check {
	var elems []knownvalue.Check
	for _, n := range names {
		elems = append(elems, knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact(n)}))
	}
	return knownvalue.ListExact(elems)
}

func TestAccBackupRepositoriesDataSource(t *testing.T) {
	for _, version := range []string{"v8", "v7", "v6"} {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			provider := providerBlock(fake, `api_version = "`+version+`"`)
			repos := tfjsonpath.New("repositories")
			steps := []resource.TestStep{
				{
					Config: provider + `
data "vb365_backup_repositories" "all" {}
data "vb365_backup_repositories" "long_term" { long_term = true }
data "vb365_backup_repositories" "short_term" { long_term = false }
data "vb365_backup_repositories" "of_proxy" { proxy_id = "` + vb365test.DemoProxyID + `" }
`,
					ConfigStateChecks: []statecheck.StateCheck{
						// Every attribute of an object storage and a JET repository.
						statecheck.ExpectKnownValue("data.vb365_backup_repositories.all", repos, knownvalue.ListExact([]knownvalue.Check{
							knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact(vb365test.DefaultRepository)}),
							knownvalue.ObjectExact(immutableRepositoryChecks(version)),
							knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("Contoso Archive"), "is_long_term": knownvalue.Bool(true)}),
							knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("Fabrikam Azure")}),
							knownvalue.ObjectExact(branchRepositoryChecks(version)),
						})),
						statecheck.ExpectKnownValue("data.vb365_backup_repositories.long_term", repos, repositoryNames("Contoso Archive")),
						statecheck.ExpectKnownValue("data.vb365_backup_repositories.short_term", repos,
							repositoryNames(vb365test.DefaultRepository, "Contoso Immutable", "Fabrikam Azure", "Branch Office")),
						statecheck.ExpectKnownValue("data.vb365_backup_repositories.of_proxy", repos, repositoryNames("Contoso Immutable", "Branch Office")),
					},
				},
			}
			orgFilter := provider + `data "vb365_backup_repositories" "x" { organization_id = "` + vb365test.DemoOrganizationID + `" }`
			if version == "v8" {
				steps = append(steps, resource.TestStep{
					Config: orgFilter,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.vb365_backup_repositories.x", repos, repositoryNames("Contoso Immutable")),
					},
				})
			} else {
				steps = append(steps, resource.TestStep{
					Config:      orgFilter,
					ExpectError: regexp.MustCompile(`(?s)Unable to read backup repositories.*organization_id = .*Filtering backup\s+repositories\s+by\s+organization\s+needs\s+REST\s+API\s+v8.*Remove\s+organization_id`),
				})
			}
			resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
		})
	}
}

// An empty list is an empty list, not null.
func TestAccBackupRepositoriesDataSource_none(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(fake) + `data "vb365_backup_repositories" "x" { proxy_id = "00000000-0000-4000-8000-000000000000" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.vb365_backup_repositories.x", tfjsonpath.New("repositories"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

// Every quirk of the repository routes, and nulls where the documents
// promise values: the data sources show the same repositories.
func TestAccBackupRepositoriesDataSource_quirks(t *testing.T) {
	for _, tc := range []struct {
		name, version string
		quirks        vb365test.Quirks
	}{
		{"filters ignored", "v8", vb365test.Quirks{RepositoryFiltersIgnored: true}},
		{"filters ignored v7", "v7", vb365test.Quirks{RepositoryFiltersIgnored: true}},
		{"organization filter includes unassigned", "v8", vb365test.Quirks{RepositoryOrganizationFilterIncludesUnassigned: true}},
		{"object storage list omits long-term", "v7", vb365test.Quirks{ObjectStorageListOmitsLongTerm: true}},
		{"nulls", "v8", vb365test.Quirks{NullsInNonNullable: true}},
		{"nulls v6", "v6", vb365test.Quirks{NullsInNonNullable: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{Quirks: tc.quirks})
			repos := tfjsonpath.New("repositories")
			cfg := providerBlock(fake, `api_version = "`+tc.version+`"`) + `
data "vb365_backup_repositories" "all" {}
data "vb365_backup_repositories" "long_term" { long_term = true }
data "vb365_backup_repositories" "of_proxy" { proxy_id = "` + vb365test.DemoProxyID + `" }
data "vb365_backup_proxies" "all" {}
`
			checks := []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.vb365_backup_repositories.all", repos.AtSliceIndex(3).AtMapKey("description"), knownvalue.StringExact("")),
				statecheck.ExpectKnownValue("data.vb365_backup_repositories.long_term", repos, knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"name": knownvalue.StringExact("Contoso Archive"), "object_storage_type": knownvalue.StringExact("AzureBlobArchive"),
						"object_storage_bucket": knownvalue.StringExact("contoso-archive"), "retention_keep_forever": knownvalue.Bool(true),
					}),
				})),
				statecheck.ExpectKnownValue("data.vb365_backup_repositories.of_proxy", repos, repositoryNames("Contoso Immutable", "Branch Office")),
				statecheck.ExpectKnownValue("data.vb365_backup_proxies.all", tfjsonpath.New("proxies").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("Online")),
			}
			if tc.version == "v8" {
				cfg += `data "vb365_backup_repositories" "of_org" { organization_id = "` + vb365test.DemoOrganizationID + `" }` + "\n"
				checks = append(checks, statecheck.ExpectKnownValue("data.vb365_backup_repositories.of_org", repos, repositoryNames("Contoso Immutable")))
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: cfg, ConfigStateChecks: checks}},
			})
		})
	}
}

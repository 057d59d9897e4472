package provider

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// v8Only is want on v8 and other before it: a field the earlier versions
// lack.
func v8Only(version string, want, other knownvalue.Check) knownvalue.Check {
	if version == "v8" {
		return want
	}
	return other
}

// immutableRepositoryChecks is every attribute of the demo's object
// storage repository (Object Lock, encrypted) as version shows it.
func immutableRepositoryChecks(version string) map[string]knownvalue.Check {
	var immutable knownvalue.Check = knownvalue.Bool(true)
	if version == "v6" {
		immutable = knownvalue.Null() // v6 does not say
	}
	var storageName knownvalue.Check = knownvalue.StringExact("Contoso S3 (Object Lock)")
	if version == "v8" {
		storageName = knownvalue.StringExact("") // embedded, without a name
	}
	return map[string]knownvalue.Check{
		"id":                           knownvalue.StringExact(vb365test.DemoImmutableRepositoryID),
		"name":                         knownvalue.StringExact("Contoso Immutable"),
		"description":                  knownvalue.StringExact("Object Lock, encrypted"),
		"path":                         knownvalue.StringExact("/var/cache/vb365/contoso"),
		"proxy_id":                     knownvalue.StringExact(vb365test.DemoProxyID),
		"proxy_pool_id":                v8Only(version, knownvalue.StringExact(vb365test.DemoProxyPoolID), knownvalue.StringExact("")),
		"organization_id":              v8Only(version, knownvalue.StringExact(vb365test.DemoOrganizationID), knownvalue.StringExact("")),
		"retention_type":               knownvalue.StringExact("SnapshotBased"),
		"retention_period_type":        knownvalue.StringExact("Yearly"),
		"retention_days":               knownvalue.Null(),
		"retention_months":             knownvalue.Null(),
		"retention_years":              knownvalue.Int64Exact(7),
		"retention_keep_forever":       knownvalue.Bool(false),
		"encryption_enabled":           knownvalue.Bool(true),
		"encryption_key_id":            knownvalue.StringExact(vb365test.DemoEncryptionKeyID),
		"immutability_enabled":         immutable,
		"immutability_period_days":     v8Only(version, knownvalue.Int64Exact(30), knownvalue.Null()),
		"immutability_governance_mode": v8Only(version, knownvalue.Bool(false), knownvalue.Null()),
		"object_storage_id":            knownvalue.StringExact(vb365test.DemoImmutableObjectStorage),
		"object_storage_name":          storageName,
		"object_storage_type":          knownvalue.StringExact("AmazonS3Compatible"),
		"object_storage_bucket":        knownvalue.StringExact("contoso-vb365"),
		"object_storage_folder":        knownvalue.StringExact("tenant-contoso"),
		"is_long_term":                 knownvalue.Bool(false),
		"is_out_of_sync":               knownvalue.Bool(false),
		"capacity_bytes":               knownvalue.Null(), // no size limit
		"free_space_bytes":             knownvalue.Null(),
		"used_space_bytes":             knownvalue.Int64Exact(120 << 30),
	}
}

// branchRepositoryChecks is every attribute of the demo's JET repository.
func branchRepositoryChecks(version string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"id":                           knownvalue.StringExact(vb365test.DemoBranchRepositoryID),
		"name":                         knownvalue.StringExact("Branch Office"),
		"description":                  knownvalue.StringExact(""),
		"path":                         knownvalue.StringExact("/srv/vb365/branch"),
		"proxy_id":                     knownvalue.StringExact(vb365test.DemoProxyID),
		"proxy_pool_id":                v8Only(version, knownvalue.StringExact(vb365test.DemoProxyPoolID), knownvalue.StringExact("")),
		"organization_id":              knownvalue.StringExact(""),
		"retention_type":               knownvalue.StringExact("SnapshotBased"),
		"retention_period_type":        knownvalue.StringExact("Daily"),
		"retention_days":               knownvalue.Int64Exact(90),
		"retention_months":             knownvalue.Null(),
		"retention_years":              knownvalue.Null(),
		"retention_keep_forever":       knownvalue.Bool(false),
		"encryption_enabled":           knownvalue.Bool(false),
		"encryption_key_id":            knownvalue.StringExact(""),
		"immutability_enabled":         knownvalue.Bool(false),
		"immutability_period_days":     knownvalue.Null(),
		"immutability_governance_mode": knownvalue.Null(),
		"object_storage_id":            knownvalue.StringExact(""),
		"object_storage_name":          knownvalue.StringExact(""),
		"object_storage_type":          knownvalue.StringExact(""),
		"object_storage_bucket":        knownvalue.StringExact(""),
		"object_storage_folder":        knownvalue.StringExact(""),
		"is_long_term":                 knownvalue.Bool(false),
		"is_out_of_sync":               knownvalue.Bool(false),
		"capacity_bytes":               knownvalue.Int64Exact(2 << 40),
		"free_space_bytes":             knownvalue.Int64Exact(1 << 40),
		"used_space_bytes":             knownvalue.Int64Exact(1 << 40),
	}
}

// expectAll checks every attribute of a data source's state.
func expectAll(address string, checks map[string]knownvalue.Check) []statecheck.StateCheck {
	var out []statecheck.StateCheck
	for name, c := range checks {
		out = append(out, statecheck.ExpectKnownValue(address, tfjsonpath.New(name), c))
	}
	return out
}

func TestAccBackupRepositoryDataSource(t *testing.T) {
	for _, version := range []string{"v8", "v7", "v6"} {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			provider := providerBlock(fake, `api_version = "`+version+`"`)
			archive := map[string]knownvalue.Check{
				"retention_years":        knownvalue.Null(),
				"retention_keep_forever": knownvalue.Bool(true),
				"is_long_term":           knownvalue.Bool(true),
				"object_storage_type":    knownvalue.StringExact("AzureBlobArchive"),
				"capacity_bytes":         knownvalue.Int64Exact(2048 << 30),
				"free_space_bytes":       knownvalue.Int64Exact((2048 - 700) << 30),
				"used_space_bytes":       knownvalue.Int64Exact(700 << 30),
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						// By name, ignoring case, and by ID: the same repository.
						Config: provider + `
data "vb365_backup_repository" "by_name" { name = "contoso IMMUTABLE" }
data "vb365_backup_repository" "by_id"   { id = "` + vb365test.DemoImmutableRepositoryID + `" }
data "vb365_backup_repository" "jet"     { name = "Branch Office" }
data "vb365_backup_repository" "archive" { id = "` + vb365test.DemoArchiveRepositoryID + `" }
data "vb365_backup_repository" "monthly" { name = "Fabrikam Azure" }
`,
						ConfigStateChecks: append(append(append(append(
							expectAll("data.vb365_backup_repository.by_name", immutableRepositoryChecks(version)),
							expectAll("data.vb365_backup_repository.by_id", immutableRepositoryChecks(version))...),
							expectAll("data.vb365_backup_repository.jet", branchRepositoryChecks(version))...),
							expectAll("data.vb365_backup_repository.archive", archive)...),
							statecheck.ExpectKnownValue("data.vb365_backup_repository.monthly", tfjsonpath.New("retention_months"), knownvalue.Int64Exact(18)),
							statecheck.ExpectKnownValue("data.vb365_backup_repository.monthly", tfjsonpath.New("retention_type"), knownvalue.StringExact("ItemLevel")),
							statecheck.ExpectKnownValue("data.vb365_backup_repository.monthly", tfjsonpath.New("encryption_enabled"), knownvalue.Bool(false)),
						),
					},
					{
						// Changed out of band: the next read shows it.
						PreConfig: func() {
							fake.UpdateObjectStorage(vb365test.DemoImmutableObjectStorage, func(o *vb365test.ObjectStorage) {
								o.ImmutabilityDays, o.GovernanceMode = 14, true
							})
							fake.UpdateRepository(vb365test.DemoImmutableRepositoryID, func(r *vb365test.Repository) {
								r.Encrypted, r.EncryptionKeyID = false, ""
							})
						},
						Config: provider + `data "vb365_backup_repository" "x" { name = "Contoso Immutable" }`,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.vb365_backup_repository.x", tfjsonpath.New("encryption_enabled"), knownvalue.Bool(false)),
							statecheck.ExpectKnownValue("data.vb365_backup_repository.x", tfjsonpath.New("encryption_key_id"), knownvalue.StringExact("")),
							statecheck.ExpectKnownValue("data.vb365_backup_repository.x", tfjsonpath.New("immutability_period_days"), v8Only(version, knownvalue.Int64Exact(14), knownvalue.Null())),
							statecheck.ExpectKnownValue("data.vb365_backup_repository.x", tfjsonpath.New("immutability_governance_mode"), v8Only(version, knownvalue.Bool(true), knownvalue.Null())),
						},
					},
				},
			})
		})
	}
}

func TestAccBackupRepositoryDataSource_errors(t *testing.T) {
	for _, version := range []string{"v8", "v7", "v6"} {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			twin := fake.AddRepository(vb365test.Repository{Name: "CONTOSO IMMUTABLE", Path: `D:\twin`})
			provider := providerBlock(fake, `api_version = "`+version+`"`)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:      provider + `data "vb365_backup_repository" "x" { name = "Nope" }`,
						ExpectError: regexp.MustCompile(`(?s)Unable to find backup repository.*with data.vb365_backup_repository.x,.*name = "Nope" matches no\s+backup\s+repository:\s+VB365\s+has\s+none\s+named\s+"Nope"`),
					},
					{
						Config:      provider + `data "vb365_backup_repository" "x" { id = "11111111-2222-3333-4444-555555555555" }`,
						ExpectError: regexp.MustCompile(`(?s)Unable to find backup repository.*id = "11111111-2222-3333-4444-555555555555" matches no\s+backup\s+repository:\s+VB365\s+has\s+none\s+with\s+ID\s+"11111111-2222-3333-4444-555555555555"`),
					},
					{
						Config: provider + `data "vb365_backup_repository" "x" { name = "Contoso Immutable" }`,
						ExpectError: regexp.MustCompile(`(?s)Unable to identify backup repository.*2 backup repositories are named\s+"Contoso Immutable";\s+name\s+must\s+identify\s+exactly\s+one.*` +
							vb365test.DemoImmutableRepositoryID + `.*` + regexp.QuoteMeta(twin.ID) + `.*Set id instead`),
					},
					{
						Config:      provider + `data "vb365_backup_repository" "x" { id = ".." }`,
						ExpectError: regexp.MustCompile(`(?s)Invalid VB365 ID.*id = "\.\."`),
					},
					{
						Config:      provider + `data "vb365_backup_repository" "x" { name = "" }`,
						ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Value Length.*name = "".*Attribute name string length must be at least 1`),
					},
					{
						Config:      provider + `data "vb365_backup_repository" "x" {}`,
						ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination|Exactly one of these attributes must be configured`),
					},
				},
			})
		})
	}
}

// A repository that names an object storage the server lacks (v6, v7) is an
// error about the object storage, never "no backup repository".
func TestAccBackupRepositoryDataSource_missingObjectStorage(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	fake.InjectFault(vb365test.Fault{Route: "GET /objectstoragerepositories/{repositoryId}", Status: http.StatusNotFound, Times: 1})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      providerBlock(fake, `api_version = "v7"`) + `data "vb365_backup_repository" "x" { id = "` + vb365test.DemoImmutableRepositoryID + `" }`,
			ExpectError: regexp.MustCompile(`(?s)Unable to read backup repository.*no object storage with id`),
		}},
	})
}

// TestAccBackupInfrastructureExamples applies the registry examples of the
// repository and proxy data sources; the demo's repository passes the
// example's check block (encrypted and immutable).
func TestAccBackupInfrastructureExamples(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	example := func(name string) string {
		return providerBlock(fake) + readExample(t, "data-sources/"+name+"/data-source.tf")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: example("vb365_backup_repository"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("contoso_repository", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":               knownvalue.StringExact(vb365test.DemoImmutableRepositoryID),
						"retention_years":  knownvalue.Int64Exact(7),
						"storage":          knownvalue.StringExact("AmazonS3Compatible"),
						"immutable_days":   knownvalue.Int64Exact(30),
						"encryption_key":   knownvalue.StringExact(vb365test.DemoEncryptionKeyID),
						"used_space_bytes": knownvalue.Int64Exact(120 << 30),
					})),
					// What the check block asserts.
					statecheck.ExpectKnownValue("data.vb365_backup_repository.contoso", tfjsonpath.New("encryption_enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.vb365_backup_repository.contoso", tfjsonpath.New("immutability_enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.vb365_backup_repository.by_id", tfjsonpath.New("name"), knownvalue.StringExact("Contoso Immutable")),
				},
			},
			{
				Config: example("vb365_backup_repositories"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("unprotected_repositories", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(vb365test.DefaultRepository), knownvalue.StringExact("Fabrikam Azure"), knownvalue.StringExact("Branch Office"),
					})),
					statecheck.ExpectKnownOutputValue("archive_repository_ids", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(vb365test.DemoArchiveRepositoryID),
					})),
				},
			},
			{
				Config: example("vb365_backup_proxies"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("offline_proxies", knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}

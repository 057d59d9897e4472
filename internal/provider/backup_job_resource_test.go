package provider

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

const jobAddr = "vb365_backup_job.staff"

// startJobFake is a demo fake with the demo repository.
func startJobFake(t *testing.T, q vb365test.Quirks) *vb365test.Server {
	t.Helper()
	fake := startFake(t, vb365test.Options{Quirks: q})
	return fake
}

// jobConfig renders the provider and vb365_backup_job.staff with body.
func jobConfig(fake *vb365test.Server, version, body string) string {
	return providerBlock(fake, `api_version = "`+version+`"`) + fmt.Sprintf(`
resource "vb365_backup_job" "staff" {
  organization_id = %q
  repository_id   = %q
%s
}
`, vb365test.DemoOrganizationID, vb365test.DefaultRepositoryID, body)
}

// fakeJob renders the only job on the fake: its settings and items, each
// list sorted, as "Type:principal[flags]".
func fakeJob(fake *vb365test.Server) (vb365test.Job, string) {
	jobs := fake.Jobs()
	if len(jobs) != 1 {
		return vb365test.Job{}, fmt.Sprintf("%d jobs", len(jobs))
	}
	j := jobs[0]
	items := func(l []*vb365test.JobItem) string {
		var s []string
		for _, it := range l {
			var flags []string
			for f, on := range it.Flags {
				if on {
					flags = append(flags, f)
				}
			}
			sort.Strings(flags)
			s = append(s, fmt.Sprintf("%s:%s%v", it.Type, it.PrincipalID, flags))
		}
		sort.Strings(s)
		return strings.Join(s, ",")
	}
	return j, fmt.Sprintf("%s|%s|%s|enabled=%v|sel=%s|exc=%s", j.Name, j.BackupType, j.RepositoryID, j.Enabled, items(j.Selected), items(j.Excluded))
}

// expectJob checks the fake's job against want (fakeJob's rendering, its
// item lists in any order).
func expectJob(fake *vb365test.Server, want string) resource.TestCheckFunc {
	want = sortJobItems(want)
	return func(*terraform.State) error {
		if _, got := fakeJob(fake); got != want {
			return fmt.Errorf("the job on the server:\n  %s\nwant\n  %s", got, want)
		}
		return nil
	}
}

// jobsNeverEmpty: no write left a SelectedItems job without a selected
// item.
func jobsNeverEmpty(fake *vb365test.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for id, low := range fake.JobLows() {
			if low.Selected == 0 {
				return fmt.Errorf("job %s (%q) was a SelectedItems job without a selected item after a write", id, low.Name)
			}
		}
		return nil
	}
}

// sortJobItems sorts the sel= and exc= lists of fakeJob's rendering.
func sortJobItems(s string) string {
	parts := strings.Split(s, "|")
	for i, p := range parts {
		for _, prefix := range []string{"sel=", "exc="} {
			if rest, ok := strings.CutPrefix(p, prefix); ok && rest != "" {
				l := strings.Split(rest, ",")
				sort.Strings(l)
				parts[i] = prefix + strings.Join(l, ",")
			}
		}
	}
	return strings.Join(parts, "|")
}

func item(typ, idAttr, id string, flags ...string) string {
	s := fmt.Sprintf("{ type = %q", typ)
	if idAttr != "" {
		s += fmt.Sprintf(", %s = %q", idAttr, id)
	}
	for _, f := range flags {
		s += ", " + f + " = true"
	}
	return s + " }"
}

func items(attr string, elems ...string) string {
	return fmt.Sprintf("  %s = [\n    %s\n  ]", attr, strings.Join(elems, ",\n    "))
}

// TestAccBackupJob walks a job through its life on v8, v7 and v6: create,
// an empty second plan, updates of each attribute (settings, schedule
// kinds, window, flags, items), the switch to EntireOrganization and back,
// import by ID, destroy. No write ever leaves the job without a selected
// item while it is a SelectedItems job.
func TestAccBackupJob(t *testing.T) {
	for _, version := range []string{"v8", "v7", "v6"} {
		t.Run(version, func(t *testing.T) {
			fake := startJobFake(t, vb365test.Quirks{})
			id := func(name string) string { return auditPrincipalID(t, fake, name) }
			hr, ceo, adele, megan := id("HR@contoso.onmicrosoft.com"), id("ceo@contoso.onmicrosoft.com"), id("AdeleV@contoso.onmicrosoft.com"), id("MeganB@contoso.onmicrosoft.com")
			repo := vb365test.DefaultRepositoryID
			created := jobConfig(fake, version, `
  name        = "Staff"
  backup_type = "SelectedItems"
  schedule = {
    type         = "Daily"
    daily_type   = "Workdays"
    daily_time   = "22:00"
    retry_number = 4
    backup_window = {
      monday    = ["00:00-07:00", "19:00-24:00"]
      tuesday   = ["00:00-07:00", "19:00-24:00"]
      saturday  = ["00:00-24:00"]
      sunday    = ["00:00-24:00"]
    }
  }
`+items("selected_items",
				item("Group", "group_id", hr, "mailbox", "members", "member_mailbox"),
				item("User", "user_id", ceo, "mailbox", "archive_mailbox"),
				item("Site", "site_id", vb365test.DemoSiteID),
			)+"\n"+items("excluded_items", item("User", "user_id", adele, "onedrive")))
			updated := jobConfig(fake, version, `
  name        = "Staff (all)"
  description = "Every member of staff"
  enabled     = false
  backup_type = "SelectedItems"
  schedule = {
    type                        = "Periodically"
    periodically_every          = "Hours4"
    periodically_offset_minutes = 15
    retry_enabled               = false
  }
`+items("selected_items",
				item("User", "user_id", ceo, "mailbox"),
				item("User", "user_id", megan, "mailbox", "onedrive"),
				item("Site", "site_id", vb365test.DemoSiteID),
			)+"\n"+items("excluded_items", item("User", "user_id", adele, "onedrive", "mailbox"), item("PersonalSites", "", "")))
			entire := jobConfig(fake, version, `
  name        = "Staff (all)"
  backup_type = "EntireOrganization"
  schedule    = { type = "ManualOnly" }
`+items("excluded_items", item("User", "user_id", ceo, "mailbox", "onedrive")))
			back := jobConfig(fake, version, `
  name        = "Staff (all)"
  backup_type = "SelectedItems"
  schedule    = { type = "Daily", daily_time = "06:30" }
`+items("selected_items", item("User", "user_id", ceo, "mailbox"), item("Group", "group_id", hr, "members", "member_onedrive")))

			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy: func(s *terraform.State) error {
					if n := len(fake.Jobs()); n != 0 {
						return fmt.Errorf("%d jobs left after destroy", n)
					}
					return jobsNeverEmpty(fake)(s)
				},
				Steps: []resource.TestStep{
					{
						Config: created,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("description"), knownvalue.StringExact("")),
							statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
							statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("schedule").AtMapKey("retry_wait_minutes"), knownvalue.Int64Exact(10)),
							statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("schedule").AtMapKey("backup_window").AtMapKey("minute_offset"), knownvalue.Int64Exact(0)),
							statecheck.ExpectKnownValue(jobAddr, tfjsonpath.New("schedule").AtMapKey("backup_window").AtMapKey("friday"), knownvalue.Null()),
						},
						Check: resource.ComposeAggregateTestCheckFunc(
							expectJob(fake, fmt.Sprintf("Staff|SelectedItems|%s|enabled=true|sel=Group:%s[mailbox memberMailbox members],Site:%s[],User:%s[archiveMailbox mailbox]|exc=User:%s[oneDrive]",
								repo, hr, vb365test.DemoSiteID, ceo, adele)),
							func(*terraform.State) error {
								j, _ := fakeJob(fake)
								s := j.Schedule
								if s.Type != "Daily" || s.DailyType != "Workdays" || s.DailyTime != "22:00:00" || s.RetryNumber != 4 || !s.BackupWindowEnabled ||
									s.BackupWindow[24+6] != true || s.BackupWindow[24+7] || s.BackupWindow[5*24+12] || !s.BackupWindow[6*24+12] {
									return fmt.Errorf("schedule on the server: %+v", s)
								}
								return nil
							},
						),
					},
					{Config: created, PlanOnly: true},
					{
						Config: updated,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(jobAddr, plancheck.ResourceActionUpdate),
						}},
						Check: resource.ComposeAggregateTestCheckFunc(
							expectJob(fake, fmt.Sprintf("Staff (all)|SelectedItems|%s|enabled=false|sel=Site:%s[],User:%s[mailbox],User:%s[mailbox oneDrive]|exc=PersonalSites:[],User:%s[mailbox oneDrive]",
								repo, vb365test.DemoSiteID, ceo, megan, adele)),
							func(*terraform.State) error {
								j, _ := fakeJob(fake)
								if s := j.Schedule; s.Type != "Periodically" || s.PeriodicallyEvery != "Hours4" || s.PeriodicallyOffsetMinutes != 15 || s.RetryEnabled || s.BackupWindowEnabled {
									return fmt.Errorf("schedule on the server: %+v", s)
								}
								return nil
							},
						),
					},
					{Config: updated, PlanOnly: true},
					{
						Config: entire,
						Check:  expectJob(fake, fmt.Sprintf("Staff (all)|EntireOrganization|%s|enabled=true|sel=|exc=User:%s[mailbox oneDrive]", repo, ceo)),
					},
					{Config: entire, PlanOnly: true},
					{
						Config: back,
						Check:  expectJob(fake, fmt.Sprintf("Staff (all)|SelectedItems|%s|enabled=true|sel=Group:%s[memberOnedrive members],User:%s[mailbox]|exc=", repo, hr, ceo)),
					},
					{Config: back, PlanOnly: true},
					{Config: back, ResourceName: jobAddr, ImportState: true, ImportStateVerify: true},
				},
			})
		})
	}
}

// TestAccBackupJob_validation: what the plan refuses, each naming the
// attribute; nothing is sent.
func TestAccBackupJob_validation(t *testing.T) {
	fake := startJobFake(t, vb365test.Quirks{})
	ceo := auditPrincipalID(t, fake, "ceo@contoso.onmicrosoft.com")
	hr := auditPrincipalID(t, fake, "HR@contoso.onmicrosoft.com")
	step := func(body, want string) resource.TestStep {
		if !strings.Contains(body, "name =") {
			body = "  name = \"Staff\"\n" + body
		}
		return resource.TestStep{Config: jobConfig(fake, "v7", body), PlanOnly: true, ExpectError: regexp.MustCompile(want)}
	}
	user := item("User", "user_id", ceo, "mailbox")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(`  backup_type = "SelectedItems"`, `(?s)Missing selected items.*at\s+least\s+one`),
			step("  backup_type = \"EntireOrganization\"\n"+items("selected_items", user), `(?s)Selected items with EntireOrganization`),
			step("  backup_type = \"SelectedItems\"\n"+items("selected_items", item("Site", "site_id", vb365test.DemoSiteID, "mailbox")),
				`(?s)mailbox\s+does\s+not\s+apply\s+to\s+a\s+Site\s+item`),
			step("  backup_type = \"SelectedItems\"\n"+items("selected_items", item("Group", "group_id", hr, "archive_mailbox")),
				`(?s)archive_mailbox\s+does\s+not\s+apply\s+to\s+a\s+Group\s+item;\s+its\s+flags\s+are\s+mailbox`),
			step("  backup_type = \"SelectedItems\"\n"+items("selected_items", item("User", "group_id", hr)), `(?s)a\s+User\s+item\s+is\s+named\s+by\s+user_id,\s+not\s+group_id`),
			step("  backup_type = \"SelectedItems\"\n"+items("selected_items", item("PersonalSites", "user_id", ceo)), `(?s)names\s+no\s+user.*remove\s+user_id`),
			step("  backup_type = \"SelectedItems\"\n"+items("selected_items", `{ type = "OneDriveFolders" }`), `(?s)needs\s+folders`),
			step("  backup_type = \"SelectedItems\"\n"+items("selected_items", user, item("User", "user_id", strings.ToUpper(ceo), "onedrive")), `(?s)in\s+the\s+set\s+twice`),
			step("  backup_type = \"SelectedItems\"\n"+items("selected_items", user)+"\n"+items("excluded_items", item("User", "user_id", ceo, "onedrive")),
				`(?s)Item\s+both\s+selected\s+and\s+excluded`),
			step("  backup_type = \"EntireOrganization\"\n  schedule = { type = \"Daily\", daily_time = \"7:00\" }", `(?s)Invalid daily time.*"06:30"`),
			step("  backup_type = \"EntireOrganization\"\n  schedule = { type = \"Daily\" }", `(?s)Missing daily time`),
			step("  backup_type = \"EntireOrganization\"\n  schedule = { type = \"Periodically\", daily_time = \"22:00\", periodically_every = \"Hours1\" }",
				`(?s)schedule.daily_time\s+applies\s+to\s+type\s+=\s+"Daily"`),
			step("  backup_type = \"EntireOrganization\"\n  schedule = { type = \"Periodically\" }", `(?s)Missing interval`),
			step("  backup_type = \"EntireOrganization\"\n  schedule = { type = \"Periodically\", periodically_every = \"Minutes15\", periodically_offset_minutes = 5 }",
				`(?s)every\s+15\s+minutes`),
			step("  backup_type = \"EntireOrganization\"\n  schedule = { type = \"Periodically\", periodically_every = \"Hours12\" }", `(?s)Every\s+12\s+hours\s+needs\s+REST\s+API\s+v8`),
			step("  backup_type = \"EntireOrganization\"\n  schedule = { type = \"ManualOnly\", backup_window = { monday = [\"08:00-12:00\", \"12:00-18:00\"] } }",
				`(?s)backup_window.monday.*one\s+range,\s+08:00-18:00`),
			step("  backup_type = \"EntireOrganization\"\n  schedule = { type = \"ManualOnly\", backup_window = { monday = [\"18:00-08:00\"] } }",
				`(?s)ends\s+before\s+it\s+starts`),
			step("  backup_type = \"EntireOrganization\"\n  schedule = { type = \"ManualOnly\", backup_window = { monday = [] } }", `(?s)leave\s+the\s+day\s+out`),
			step("  backup_type = \"EntireOrganization\"\n  schedule = { type = \"ManualOnly\", backup_window = { minute_offset = 60 } }", `(?s)allows\s+no\s+hour`),
			step("  name = \" Staff\"\n  backup_type = \"EntireOrganization\"", `(?s)Invalid job name.*begins\s+or\s+ends`),
		},
	})
	if n := fake.Count(""); n != 0 {
		t.Errorf("%d requests for configurations the plan refuses: %v", n, fake.CountByRoute())
	}
}

// TestAccBackupJob_drift: each kind of change behind Terraform's back shows
// in the next plan and the apply puts the declared job back, on v8, v7 and
// v6: an item added, an item removed, a flag changed, the schedule changed,
// the repository changed, the job disabled, the job deleted.
func TestAccBackupJob_drift(t *testing.T) {
	for _, version := range []string{"v8", "v7", "v6"} {
		t.Run(version, func(t *testing.T) {
			fake := startJobFake(t, vb365test.Quirks{})
			other := fake.AddRepository(vb365test.Repository{Name: "Archive"})
			id := func(name string) string { return auditPrincipalID(t, fake, name) }
			hr, ceo, adele, megan := id("HR@contoso.onmicrosoft.com"), id("ceo@contoso.onmicrosoft.com"), id("AdeleV@contoso.onmicrosoft.com"), id("MeganB@contoso.onmicrosoft.com")
			repo := vb365test.DefaultRepositoryID
			config := jobConfig(fake, version, `
  name        = "Staff"
  backup_type = "SelectedItems"
  schedule    = { type = "Daily", daily_time = "22:00" }
`+items("selected_items",
				item("Group", "group_id", hr, "mailbox", "members", "member_mailbox"),
				item("User", "user_id", ceo, "mailbox", "archive_mailbox"),
			)+"\n"+items("excluded_items", item("User", "user_id", adele, "onedrive")))
			want := fmt.Sprintf("Staff|SelectedItems|%s|enabled=true|sel=Group:%s[mailbox memberMailbox members],User:%s[archiveMailbox mailbox]|exc=User:%s[oneDrive]",
				repo, hr, ceo, adele)
			jobID := func() string {
				if jobs := fake.Jobs(); len(jobs) == 1 {
					return jobs[0].ID
				}
				t.Fatalf("%d jobs on the fake", len(fake.Jobs()))
				return ""
			}
			scheduleBack := func(*terraform.State) error {
				if s := fake.Jobs()[0].Schedule; s.Type != "Daily" || s.DailyTime != "22:00:00" {
					return fmt.Errorf("schedule not put back: %+v", s)
				}
				return nil
			}
			drift := func(name string, change func(), action plancheck.ResourceActionType, extra ...resource.TestCheckFunc) resource.TestStep {
				return resource.TestStep{
					PreConfig: change,
					Config:    config,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectNonEmptyPlan(),
						plancheck.ExpectResourceAction(jobAddr, action),
					}},
					Check: func(s *terraform.State) error {
						if err := resource.ComposeAggregateTestCheckFunc(append(extra, expectJob(fake, want))...)(s); err != nil {
							return fmt.Errorf("after %s: %w", name, err)
						}
						return nil
					},
				}
			}
			update := plancheck.ResourceActionUpdate
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy: func(*terraform.State) error {
					if n := len(fake.Jobs()); n != 0 {
						return fmt.Errorf("%d jobs left after destroy", n)
					}
					return nil
				},
				Steps: []resource.TestStep{
					{Config: config, Check: expectJob(fake, want)},
					drift("item added", func() { fake.AddJobItem(jobID(), "SelectedItems", "User", megan, "mailbox") }, update),
					drift("item removed", func() { fake.RemoveJobItem(jobID(), "SelectedItems", ceo) }, update),
					drift("excluded item removed", func() { fake.RemoveJobItem(jobID(), "ExcludedItems", adele) }, update),
					drift("flag changed", func() { fake.SetJobItemFlag(jobID(), "SelectedItems", ceo, "archiveMailbox", false) }, update),
					drift("schedule changed", func() {
						fake.UpdateJob(jobID(), func(j *vb365test.Job) { j.Schedule.Type, j.Schedule.PeriodicallyEvery = "Periodically", "Hours1" })
					}, update, scheduleBack),
					drift("repository changed", func() { fake.UpdateJob(jobID(), func(j *vb365test.Job) { j.RepositoryID = other.ID }) }, update),
					drift("disabled", func() { fake.UpdateJob(jobID(), func(j *vb365test.Job) { j.Enabled = false }) }, update),
					drift("deleted", func() { fake.DeleteJob(jobID()) }, plancheck.ResourceActionCreate),
					{Config: config, PlanOnly: true},
				},
			})
		})
	}
}

// TestAccBackupJob_refreshRequests pins the refresh of n jobs of one
// organization to the API's floor: one job list (the organization's in v6
// and v7, GET /Jobs?organizationId= in v8, one page here) and the two item
// lists of each job; no job is asked for by ID.
func TestAccBackupJob_refreshRequests(t *testing.T) {
	const n = 5
	for _, version := range []string{"v8", "v7", "v6"} {
		t.Run(version, func(t *testing.T) {
			fake := startJobFake(t, vb365test.Quirks{})
			ceo := auditPrincipalID(t, fake, "ceo@contoso.onmicrosoft.com")
			config := providerBlock(fake, `api_version = "`+version+`"`) + fmt.Sprintf(`
resource "vb365_backup_job" "j" {
  count           = %d
  organization_id = %q
  repository_id   = %q
  name            = "Job ${count.index}"
  backup_type     = "SelectedItems"
  selected_items  = [{ type = "User", user_id = %q, mailbox = true }]
}
`, n, vb365test.DemoOrganizationID, vb365test.DefaultRepositoryID, ceo)
			jobLists := "GET /Organizations/{organizationId}/Jobs"
			if version == "v8" {
				jobLists = "GET /Jobs"
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig:    fake.ResetRequests,
						RefreshState: true,
						Check: func(*terraform.State) error {
							lists, gets := fake.Count(jobLists), fake.Count("GET /Jobs/{jobId}")
							items := fake.Count("GET /Jobs/{jobId}/SelectedItems") + fake.Count("GET /Jobs/{jobId}/ExcludedItems")
							if lists != 1 || gets != 0 || items != 2*n {
								return fmt.Errorf("refresh of %d jobs: %d job lists, %d job GETs, %d item lists; want 1, 0, %d (all: %v)",
									n, lists, gets, items, 2*n, fake.CountByRoute())
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// TestAccBackupJobExample applies the registry example on the fake; the
// next plan is empty.
func TestAccBackupJobExample(t *testing.T) {
	fake := startJobFake(t, vb365test.Quirks{})
	cfg := providerBlock(fake) + readExample(t, "resources/vb365_backup_job/resource.tf")
	vars := config.Variables{"repository_id": config.StringVariable(vb365test.DefaultRepositoryID)}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg, ConfigVariables: vars,
				Check: func(*terraform.State) error {
					j, got := fakeJob(fake)
					if j.Name != "Staff mailboxes" || len(j.Selected) != 2 || len(j.Excluded) != 1 || !j.Schedule.BackupWindowEnabled {
						return fmt.Errorf("the job on the server: %s, %+v", got, j.Schedule)
					}
					return nil
				},
			},
			{Config: cfg, ConfigVariables: vars, PlanOnly: true},
		},
	})
}

// TestAccBackupJob_quirks runs a job's life under each server behaviour the
// documents leave open (the fake's job quirks), on v8 and v7: create, an
// empty plan, an update of items, flags, schedule and type, an item
// removed out of band put back, import, destroy. Each quirk runs on one
// version (the one where it matters, or alternately), to keep the test
// short: "read fills items" exists in v6 and v7 only.
func TestAccBackupJob_quirks(t *testing.T) {
	type quirk struct {
		version string
		q       vb365test.Quirks
	}
	quirks := map[string]quirk{
		"put replaces items":        {"v8", vb365test.Quirks{JobPutItemsReplace: true}},
		"read fills items":          {"v7", vb365test.Quirks{JobReadFillsItems: true}},
		"daily time short":          {"v8", vb365test.Quirks{JobDailyTimeFormat: "short"}},
		"daily time datetime":       {"v7", vb365test.Quirks{JobDailyTimeFormat: "datetime"}},
		"item in one job only":      {"v7", vb365test.Quirks{JobItemInOneJobOnly: true}},
		"entire lists organization": {"v7", vb365test.Quirks{JobEntireOrganizationListsOrganization: true}},
		"composite principal IDs":   {"v8", vb365test.Quirks{JobItemCompositePrincipalIDs: true}},
		"names not unique":          {"v8", vb365test.Quirks{JobNamesNotUnique: true}},
	}
	for name, qv := range quirks {
		version := qv.version
		t.Run(version+"/"+name, func(t *testing.T) {
			fake := startJobFake(t, qv.q)
			id := func(name string) string { return auditPrincipalID(t, fake, name) }
			hr, ceo, adele := id("HR@contoso.onmicrosoft.com"), id("ceo@contoso.onmicrosoft.com"), id("AdeleV@contoso.onmicrosoft.com")
			created := jobConfig(fake, version, `
  name        = "Staff"
  backup_type = "SelectedItems"
  schedule    = { type = "Daily", daily_time = "22:00" }
`+items("selected_items", item("Group", "group_id", hr, "members", "member_mailbox"), item("User", "user_id", ceo, "mailbox")))
			updated := jobConfig(fake, version, `
  name        = "Staff"
  backup_type = "SelectedItems"
  schedule    = { type = "Daily", daily_time = "06:30" }
`+items("selected_items", item("User", "user_id", ceo, "mailbox", "onedrive"), item("User", "user_id", adele, "mailbox")))
			entire := jobConfig(fake, version, `
  name        = "Staff"
  backup_type = "EntireOrganization"
`+items("excluded_items", item("User", "user_id", ceo, "mailbox")))
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				CheckDestroy: func(*terraform.State) error {
					if n := len(fake.Jobs()); n != 0 {
						return fmt.Errorf("%d jobs left after destroy", n)
					}
					return nil
				},
				Steps: []resource.TestStep{
					{Config: created, Check: jobsNeverEmpty(fake)},
					{Config: created, PlanOnly: true},
					{Config: updated, Check: resource.ComposeAggregateTestCheckFunc(jobsNeverEmpty(fake), func(*terraform.State) error {
						j, got := fakeJob(fake)
						if len(j.Selected) != 2 || len(j.Excluded) != 0 || !strings.HasPrefix(j.Schedule.DailyTime, "06:30") &&
							!strings.HasSuffix(j.Schedule.DailyTime, "06:30:00") {
							return fmt.Errorf("the job on the server: %s, daily time %q", got, j.Schedule.DailyTime)
						}
						return nil
					})},
					{Config: updated, PlanOnly: true},
					{
						PreConfig: func() { fake.RemoveJobItem(fake.Jobs()[0].ID, "SelectedItems", adele) },
						Config:    updated,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(jobAddr, plancheck.ResourceActionUpdate),
						}},
						Check: func(*terraform.State) error {
							if j, got := fakeJob(fake); len(j.Selected) != 2 {
								return fmt.Errorf("not put back: %s", got)
							}
							return nil
						},
					},
					{Config: updated, ResourceName: jobAddr, ImportState: true, ImportStateVerify: true},
					{Config: entire},
					{Config: entire, PlanOnly: true},
				},
			})
		})
	}
}

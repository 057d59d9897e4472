package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

const (
	usersRoute = "GET /Organizations/{organizationId}/Users"
	userRoute  = "GET /Organizations/{organizationId}/Users/{userId}"

	// pattiID is the hybrid user of SeedDemo: a composite ID with a SID.
	pattiID    = "fafba54d-7ec0-4066-b96d-13be036200f800000000-0000-0000-0000-000000000000AQUAAAAAAAUVAAAAervaJPfu-8CbZ-GQjggAAA"
	adeleID    = "a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000"
	unknownOrg = "11111111-2222-3333-4444-555555555555"
	// seededUsers is how many users SeedDemo gives Contoso.
	seededUsers = 7
)

// rpcCounter serves the provider as protoV6ProviderFactories does and
// counts the RPCs that cost requests: ConfigureProvider (one login each)
// and ReadDataSource per data source type.
type rpcCounter struct {
	mu         sync.Mutex
	configures int
	reads      map[string]int
}

func (c *rpcCounter) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"vb365": func() (tfprotov6.ProviderServer, error) {
			s, err := NewServerWithError("test")()
			if err != nil {
				return nil, err
			}
			return countingServer{ProviderServer: s, c: c}, nil
		},
	}
}

func (c *rpcCounter) counts() (configures int, reads map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[string]int{}
	for k, v := range c.reads {
		m[k] = v
	}
	return c.configures, m
}

type countingServer struct {
	tfprotov6.ProviderServer
	c *rpcCounter
}

func (s countingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	s.c.mu.Lock()
	s.c.configures++
	s.c.mu.Unlock()
	return s.ProviderServer.ConfigureProvider(ctx, req)
}

func (s countingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	s.c.mu.Lock()
	if s.c.reads == nil {
		s.c.reads = map[string]int{}
	}
	s.c.reads[req.TypeName]++
	s.c.mu.Unlock()
	return s.ProviderServer.ReadDataSource(ctx, req)
}

// userObject is the expected element of users for a seeded user.
func userObject(id, name, displayName, typ, location, office string) knownvalue.Check {
	m := map[string]knownvalue.Check{
		"name":          knownvalue.StringExact(name),
		"display_name":  knownvalue.StringExact(displayName),
		"type":          knownvalue.StringExact(typ),
		"location_type": knownvalue.StringExact(location),
		"office":        knownvalue.StringExact(office),
	}
	if id != "" {
		m["id"] = knownvalue.StringExact(id)
		return knownvalue.ObjectExact(m)
	}
	return knownvalue.ObjectPartial(m)
}

var (
	pattiObject = userObject(pattiID, "PattiF@contoso.onmicrosoft.com", "Patti Fernandez", "User", "Hybrid", "")
	adeleObject = userObject(adeleID, "AdeleV@contoso.onmicrosoft.com", "Adele Vance", "User", "Cloud", "18/2111")
)

func TestAccUsersDataSource(t *testing.T) {
	for _, version := range apiVersions {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			provider := providerBlock(fake, `api_version = "`+version+`"`)
			org := vb365test.DemoOrganizationID
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						// Validated at plan time: not a request is sent.
						Config: provider + fmt.Sprintf(`data "vb365_users" "x" {
  organization_id = %q
  location_filter = "hybrid"
}`, org),
						ExpectError: regexp.MustCompile(`(?s)location_filter.*value must be one of.*"CloudOrHybrid".*got: "hybrid"`),
					},
					{
						PreConfig: func() {
							if n := fake.Count(usersRoute); n != 0 {
								t.Fatalf("an invalid location_filter sent %d requests", n)
							}
						},
						Config:      provider + fmt.Sprintf(`data "vb365_users" "x" { organization_id = %q }`, unknownOrg),
						ExpectError: textRe("Unable to read users of organization " + unknownOrg + ": not found"),
					},
					{
						Config: provider + fmt.Sprintf(`
locals { org = %q }
data "vb365_users" "all" { organization_id = local.org }
data "vb365_users" "by_mail" {
  organization_id = local.org
  user_name       = "pattif@CONTOSO.onmicrosoft.com"
}
data "vb365_users" "wildcard" {
  organization_id = local.org
  display_name    = "a*"
}
data "vb365_users" "hybrid" {
  organization_id = local.org
  location_filter = "Hybrid"
}
data "vb365_users" "cloud_an" {
  organization_id = local.org
  display_name    = "*an*"
  location_filter = "Cloud"
}
data "vb365_users" "any_an" {
  organization_id = local.org
  display_name    = "*an*"
  location_filter = "Any"
}
data "vb365_users" "on_premises" {
  organization_id = local.org
  location_filter = "OnPremises"
}
`, org),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.vb365_users.all", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
								adeleObject,
								userObject("", "AlexW@contoso.onmicrosoft.com", "Alex Wilber", "User", "Cloud", "131/1104"),
								userObject("", "MeganB@contoso.onmicrosoft.com", "Megan Bowen", "User", "Cloud", "12/1110"),
								userObject("", "NestorW@contoso.onmicrosoft.com", "Nestor Wilke", "User", "Cloud", "36/2121"),
								userObject("", "ceo@contoso.onmicrosoft.com", "Chief Executive", "User", "Cloud", "1/1"),
								userObject("", "shared-finance@contoso.onmicrosoft.com", "Finance Mailbox", "Shared", "Cloud", ""),
								pattiObject,
							})),
							statecheck.ExpectKnownValue("data.vb365_users.by_mail", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{pattiObject})),
							statecheck.ExpectKnownValue("data.vb365_users.by_mail", tfjsonpath.New("user_name"), knownvalue.StringExact("pattif@CONTOSO.onmicrosoft.com")),
							statecheck.ExpectKnownValue("data.vb365_users.wildcard", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
								adeleObject,
								knownvalue.ObjectPartial(map[string]knownvalue.Check{"display_name": knownvalue.StringExact("Alex Wilber")}),
							})),
							statecheck.ExpectKnownValue("data.vb365_users.hybrid", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{pattiObject})),
							statecheck.ExpectKnownValue("data.vb365_users.cloud_an", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
								adeleObject,
								knownvalue.ObjectPartial(map[string]knownvalue.Check{"display_name": knownvalue.StringExact("Megan Bowen")}),
								knownvalue.ObjectPartial(map[string]knownvalue.Check{"display_name": knownvalue.StringExact("Finance Mailbox")}),
							})),
							statecheck.ExpectKnownValue("data.vb365_users.any_an", tfjsonpath.New("users"), knownvalue.ListSizeExact(4)),
							statecheck.ExpectKnownValue("data.vb365_users.any_an", tfjsonpath.New("users").AtSliceIndex(3), pattiObject),
							statecheck.ExpectKnownValue("data.vb365_users.on_premises", tfjsonpath.New("users"), knownvalue.ListSizeExact(0)),
						},
					},
				},
			})
			// The filters went to the server.
			sawFilter := map[string]bool{}
			for _, r := range fake.Requests() {
				if r.Route != usersRoute {
					continue
				}
				q, _ := url.ParseQuery(r.Query)
				for _, k := range []string{"userName", "displayName", "locationFilter"} {
					if q.Has(k) {
						sawFilter[k+"="+q.Get(k)] = true
					}
				}
			}
			for _, want := range []string{"userName=pattif@CONTOSO.onmicrosoft.com", "displayName=a*", "locationFilter=Hybrid", "displayName=*an*", "locationFilter=Cloud", "locationFilter=OnPremises"} {
				if !sawFilter[want] {
					t.Errorf("no request with %s; saw %v", want, sawFilter)
				}
			}
		})
	}
}

// TestAccUsersDataSource_largeOrganization lists 25,000 users (plus the 7
// seeded): every page is read at the largest page size, and each read of
// the data source costs exactly ceil(25,007 / 10,000) = 3 requests; each
// provider configuration logs in once.
func TestAccUsersDataSource_largeOrganization(t *testing.T) {
	for _, version := range apiVersions {
		t.Run(version, func(t *testing.T) {
			fake := startFake(t, vb365test.Options{})
			fake.AddUsers(vb365test.DemoOrganizationID, 25000)
			const total = 25000 + seededUsers
			counter := &rpcCounter{}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: counter.factories(),
				Steps: []resource.TestStep{{
					Config: providerBlock(fake, `api_version = "`+version+`"`) + fmt.Sprintf(`
data "vb365_users" "all" {
  organization_id = %q
}
output "count" { value = length(data.vb365_users.all.users) }
`, vb365test.DemoOrganizationID),
					Check: resource.TestCheckResourceAttr("data.vb365_users.all", "users.#", fmt.Sprint(total)),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.vb365_users.all", tfjsonpath.New("users"), knownvalue.ListSizeExact(total)),
						statecheck.ExpectKnownValue("data.vb365_users.all", tfjsonpath.New("users").AtSliceIndex(6), pattiObject),
						statecheck.ExpectKnownValue("data.vb365_users.all", tfjsonpath.New("users").AtSliceIndex(total-1),
							userObject("", "user25007@contoso.onmicrosoft.com", "Generated User 25007", "User", "Cloud", "Floor 7")),
						statecheck.ExpectKnownOutputValue("count", knownvalue.Int64Exact(total)),
					},
				}},
			})
			configures, reads := counter.counts()
			pages := queriesOfRoute(fake, usersRoute)
			if reads["vb365_users"] == 0 || len(pages) != 3*reads["vb365_users"] {
				t.Fatalf("%d page requests for %d reads of vb365_users, want 3 per read", len(pages), reads["vb365_users"])
			}
			for i, q := range pages {
				wantOffset := fmt.Sprint((i % 3) * 10000)
				if q.Get("limit") != "10000" || q.Get("offset") != wantOffset || (i%3 == 0) == q.Has("setId") {
					t.Fatalf("page request %d = %v, want offset %s limit 10000", i, q, wantOffset)
				}
			}
			// A configuration signs in on its first API call: at most once.
			if logins := fake.Count("POST /token"); configures == 0 || logins == 0 || logins > configures {
				t.Fatalf("%d logins for %d provider configurations, want 1 to %d", logins, configures, configures)
			}
			t.Logf("%s: %d reads, %d page requests, %d configurations, %d logins", version, reads["vb365_users"], len(pages), configures, fake.Count("POST /token"))
		})
	}
}

// TestListDiagnostics checks the exact text of the list errors.
func TestListDiagnostics(t *testing.T) {
	var diags diag.Diagnostics
	addListError(&diags, "users", unknownOrg, &vb365.NotFoundError{Kind: "organization", Key: "id", Value: unknownOrg})
	if len(diags) != 1 || diags[0].Summary() != "Unable to read users" ||
		!strings.HasPrefix(diags[0].Detail(), "Unable to read users of organization "+unknownOrg+": not found.") {
		t.Fatalf("diags = %v", diags)
	}
	diags = nil
	addListError(&diags, "groups", vb365test.DemoOrganizationID, errors.New("GET /v8/...: HTTP 500"))
	if len(diags) != 1 || diags[0].Summary() != "Unable to read groups of organization "+vb365test.DemoOrganizationID || !strings.Contains(diags[0].Detail(), "HTTP 500") {
		t.Fatalf("diags = %v", diags)
	}
}

// TestAccUsersAndGroupsExamples applies the registry examples of the four
// data sources to the demo fake.
func TestAccUsersAndGroupsExamples(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	var steps []resource.TestStep
	for _, ds := range []string{"vb365_users", "vb365_user", "vb365_groups", "vb365_group"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "examples", "data-sources", ds, "data-source.tf"))
		if err != nil {
			t.Fatal(err)
		}
		steps = append(steps, resource.TestStep{Config: providerBlock(fake) + string(b)})
	}
	steps[0].ConfigStateChecks = []statecheck.StateCheck{
		statecheck.ExpectKnownOutputValue("user_count", knownvalue.Int64Exact(seededUsers)),
		statecheck.ExpectKnownOutputValue("shared_mailboxes", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("shared-finance@contoso.onmicrosoft.com")})),
	}
	steps[1].ConfigStateChecks = []statecheck.StateCheck{
		statecheck.ExpectKnownOutputValue("adele_id", knownvalue.StringExact(adeleID)),
		statecheck.ExpectKnownOutputValue("patti_on_premises_sid", knownvalue.StringExact("S-1-5-21-620408442-2499537385-1871349438-2190")),
	}
	steps[2].ConfigStateChecks = []statecheck.StateCheck{
		statecheck.ExpectKnownOutputValue("group_sites", knownvalue.MapExact(map[string]knownvalue.Check{
			"HR":      knownvalue.StringExact("https://contoso.sharepoint.com/sites/HR"),
			"Finance": knownvalue.StringExact("https://contoso.sharepoint.com/sites/Finance"),
		})),
	}
	steps[3].ConfigStateChecks = []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.vb365_group.executives", tfjsonpath.New("type"), knownvalue.StringExact("Security")),
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

// TestAccUsersDataSource_v5: users on REST API v5, by mail address and by
// display name, in every v5 mode; location_filter, which v5 does not have
// (a v5 server would ignore it and answer every location), is refused at
// plan time naming api_version, before any request.
func TestAccUsersDataSource_v5(t *testing.T) {
	for _, mode := range v5Modes {
		t.Run(mode.name, func(t *testing.T) {
			needsFake(t)
			fake := vb365test.Start(t, vb365test.Options{Quirks: mode.quirks})
			org := fake.SeedVBridge()
			provider := providerBlock(fake, `api_version = "v5"`)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: provider + fmt.Sprintf(`data "vb365_users" "hybrid" {
  organization_id = %q
  location_filter = "Hybrid"
}`, org.ID),
						ExpectError: diagRe("Location filters need REST API v6", `and the provider speaks v5 (api_version = "v5"`),
					},
					{
						PreConfig: func() {
							if n := fake.Count(""); n != 0 {
								t.Fatalf("a refused location_filter sent %d requests: %v", n, fake.CountByRoute())
							}
						},
						Config: provider + fmt.Sprintf(`
locals { org = %q }
data "vb365_users" "all" { organization_id = local.org }
data "vb365_users" "ben" {
  organization_id = local.org
  user_name       = %q
}
data "vb365_users" "b" {
  organization_id = local.org
  display_name    = "B*"
}
`, org.ID, strings.ToUpper(vb365test.VBridgeUserName)),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.vb365_users.all", tfjsonpath.New("users"), knownvalue.ListSizeExact(2)),
							statecheck.ExpectKnownValue("data.vb365_users.ben", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(vb365test.VBridgeUserID)),
							statecheck.ExpectKnownValue("data.vb365_users.ben", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
							statecheck.ExpectKnownValue("data.vb365_users.b", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("display_name"), knownvalue.StringExact(vb365test.VBridgeUserDisplay)),
						},
					},
				},
			})
		})
	}
}

package vb365

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func TestListOrganizationsV8Paged(t *testing.T) {
	// A small default page limit: the client must not rely on the default.
	fake := vb365test.Start(t, vb365test.Options{DefaultPageLimit: 5})
	for i := 1; i <= 25; i++ {
		fake.AddOrganization(vb365test.Organization{Name: fmt.Sprintf("tenant%02d.onmicrosoft.com", i), Description: fmt.Sprintf("Tenant %d", i)})
	}
	c := newTestClient(t, fake.URL)
	orgs, err := c.ListOrganizations(context.Background())
	if err != nil {
		t.Fatalf("ListOrganizations: %v", err)
	}
	if len(orgs) != 25 {
		t.Fatalf("got %d organizations, want 25", len(orgs))
	}
	for i, o := range orgs {
		want := fmt.Sprintf("tenant%02d.onmicrosoft.com", i+1)
		if o.Name != want || o.OfficeName != want || o.Description != fmt.Sprintf("Tenant %d", i+1) || o.ID == "" || o.Type != "Office365" || o.Region != "Worldwide" {
			t.Fatalf("org %d = %+v", i, o)
		}
		if o.Links["self"] == nil || o.Links["self"].Href != "/v8/Organizations/"+o.ID {
			t.Fatalf("org %d self link = %+v", i, o.Links["self"])
		}
	}
	var gets []vb365test.LoggedRequest
	for _, r := range fake.Requests() {
		if r.Route == "GET /Organizations" {
			gets = append(gets, r)
		}
	}
	if len(gets) != 1 {
		t.Fatalf("%d GET /Organizations, want exactly 1", len(gets))
	}
	q, _ := url.ParseQuery(gets[0].Query)
	if q.Get("offset") != "0" || q.Get("limit") != "10000" || q.Has("setId") || gets[0].Version != "v8" {
		t.Fatalf("query = %q (version %s), want offset=0 limit=10000", gets[0].Query, gets[0].Version)
	}
}

func TestListOrganizationsBareArray(t *testing.T) {
	for _, v := range []APIVersion{V6, V7} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			c := newTestClient(t, fake.URL, withVersion(v))
			orgs, err := c.ListOrganizations(context.Background())
			if err != nil {
				t.Fatalf("ListOrganizations: %v", err)
			}
			if len(orgs) != 2 || orgs[0].ID != vb365test.DemoOrganizationID || orgs[0].Name != vb365test.DemoOrganization || orgs[1].Type != "Hybrid" {
				t.Fatalf("orgs = %+v", orgs)
			}
			// v6 has no description; v7 has it.
			wantDesc := "Contoso production tenant"
			if v == V6 {
				wantDesc = ""
			}
			if orgs[0].Description != wantDesc {
				t.Fatalf("description = %q, want %q", orgs[0].Description, wantDesc)
			}
			reqs := fake.Requests()
			last := reqs[len(reqs)-1]
			q, _ := url.ParseQuery(last.Query)
			if last.Route != "GET /Organizations" || last.Version != string(v) || q.Has("offset") || q.Has("limit") || last.Path != "/"+string(v)+"/Organizations" {
				t.Fatalf("request = %+v, want a plain GET /%s/Organizations", last, v)
			}
		})
	}
}

func TestGetOrganization(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	ctx := context.Background()

	org, err := c.GetOrganization(ctx, vb365test.DemoOrganizationID)
	if err != nil {
		t.Fatalf("GetOrganization: %v", err)
	}
	want := Organization{
		ID: vb365test.DemoOrganizationID, Name: vb365test.DemoOrganization, OfficeName: vb365test.DemoOrganization,
		Description: "Contoso production tenant", Type: "Office365", Region: "Worldwide",
		IsExchangeOnline: true, IsSharePointOnline: true, IsTeamsOnline: true,
		MSID: "1c2d3e4f-0000-4000-8000-000000000001",
	}
	links := org.Links
	org.Links = nil
	if !reflect.DeepEqual(*org, want) {
		t.Fatalf("org = %+v\nwant  %+v", *org, want)
	}
	if links["users"] == nil || links["users"].Href != "/v8/Organizations/"+vb365test.DemoOrganizationID+"/Users" {
		t.Fatalf("users link = %+v", links["users"])
	}

	// GUIDs compare without case on the server.
	if o, err := c.GetOrganization(ctx, strings.ToUpper(vb365test.DemoOrganizationID)); err != nil || o.Name != vb365test.DemoOrganization {
		t.Fatalf("upper-case ID: %v, %v", o, err)
	}

	for _, id := range []string{"0e9c4a4e-0000-4000-8000-000000000099", "a/b?c#d"} {
		o, err := c.GetOrganization(ctx, id)
		if !errors.Is(err, ErrNotFound) || o != nil {
			t.Fatalf("GetOrganization(%q) = %v, %v; want ErrNotFound", id, o, err)
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.ErrorCode != "ResourceNotFound" || !strings.Contains(apiErr.Message, id) {
			t.Fatalf("GetOrganization(%q) err = %+v", id, err)
		}
	}
	// The odd ID was sent as one escaped segment, not as a path or query.
	reqs := fake.Requests()
	last := reqs[len(reqs)-1]
	if q, _ := url.ParseQuery(last.Query); last.Route != "GET /Organizations/{organizationId}" || q.Has("c") {
		t.Fatalf("last request = %+v", last)
	}
}

func TestFindOrganizationByName(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	fake.AddOrganization(vb365test.Organization{Name: "Northwind", OfficeName: "northwind.onmicrosoft.com"})
	c := newTestClient(t, fake.URL)
	ctx := context.Background()

	for name, wantName := range map[string]string{
		"CONTOSO.onmicrosoft.com":   vb365test.DemoOrganization,
		"Fabrikam.OnMicrosoft.com":  "fabrikam.onmicrosoft.com",
		"northwind":                 "Northwind",
		"NorthWind.onmicrosoft.com": "Northwind", // by the Microsoft 365 name
	} {
		org, err := c.FindOrganizationByName(ctx, name)
		if err != nil {
			t.Fatalf("FindOrganizationByName(%q): %v", name, err)
		}
		if org.Name != wantName {
			t.Fatalf("FindOrganizationByName(%q) = %q, want %q", name, org.Name, wantName)
		}
	}
	if org, err := c.FindOrganizationByName(ctx, vb365test.DemoOrganization); err != nil || org.ID != vb365test.DemoOrganizationID {
		t.Fatalf("exact name: %v, %v", org, err)
	}

	org, err := c.FindOrganizationByName(ctx, "missing.onmicrosoft.com")
	if org != nil || !errors.Is(err, ErrNotFound) {
		t.Fatalf("miss = %v, %v; want ErrNotFound", org, err)
	}
	if err.Error() != `no organization with name "missing.onmicrosoft.com"` {
		t.Fatalf("miss message = %q", err)
	}
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Kind != "organization" || nf.Value != "missing.onmicrosoft.com" {
		t.Fatalf("miss err = %#v", err)
	}
	// A prefix is not a match.
	if _, err := c.FindOrganizationByName(ctx, "contoso"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("prefix matched: %v", err)
	}
}

func TestOrganizationsToleratesNullsAndUnknownEnums(t *testing.T) {
	for _, v := range []APIVersion{V6, V7, V8} {
		t.Run(string(v), func(t *testing.T) {
			fake := vb365test.Start(t, vb365test.Options{Quirks: vb365test.Quirks{NullsInNonNullable: true, UnknownEnumValues: true}})
			fake.SeedDemo()
			fake.UpdateOrganization(vb365test.DemoOrganizationID, func(o *vb365test.Organization) {
				o.OfficeName = ""
				o.Description = ""
				o.MSID = ""
			})
			c := newTestClient(t, fake.URL, withVersion(v))
			ctx := context.Background()

			org, err := c.GetOrganization(ctx, vb365test.DemoOrganizationID)
			if err != nil {
				t.Fatalf("GetOrganization: %v", err)
			}
			if org.Name != vb365test.DemoOrganization || org.OfficeName != "" || org.Description != "" || org.MSID != "" || org.Region != "Unknown" || !org.IsTeamsOnline {
				t.Fatalf("org = %+v", org)
			}
			orgs, err := c.ListOrganizations(ctx)
			if err != nil {
				t.Fatalf("ListOrganizations: %v", err)
			}
			if len(orgs) != 2 || orgs[0].OfficeName != "" || orgs[1].Region != "Unknown" || orgs[1].OfficeName != "fabrikam.onmicrosoft.com" {
				t.Fatalf("orgs = %+v", orgs)
			}
			// The name lookup still works when officeName is null.
			if o, err := c.FindOrganizationByName(ctx, "Contoso.onmicrosoft.com"); err != nil || o.ID != vb365test.DemoOrganizationID {
				t.Fatalf("FindOrganizationByName: %v, %v", o, err)
			}
		})
	}
}

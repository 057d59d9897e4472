package vb365

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

const (
	groupsRoute = "GET /Organizations/{organizationId}/Groups"
	groupRoute  = "GET /Organizations/{organizationId}/Groups/{groupId}"
)

// hybridGroupID is a composite group ID with a base64 SID appended.
var hybridGroupID = vb365test.HybridPrincipalID("0b1c2d3e-7f00-4a11-9b22-3c4d5e6f7a80", "AQUAAAAAAAUVAAAAervaJPfu-8CbZ-GQjggBBB")

func seedGroups(t *testing.T) *vb365test.Server {
	t.Helper()
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	fake.AddGroup(vb365test.DemoOrganizationID, vb365test.Group{
		ID: hybridGroupID, Name: "Sales@contoso.onmicrosoft.com", DisplayName: "Sales", Type: "Security", LocationType: "Hybrid",
		ManagedBy: "PattiF", OnPremisesSID: "S-1-5-21-620408442-2499537385-1871349438-3101", MSID: "0b1c2d3e-7f00-4a11-9b22-3c4d5e6f7a80",
	})
	return fake
}

func TestListGroups(t *testing.T) {
	for _, v := range []APIVersion{V8, V7} {
		t.Run(string(v), func(t *testing.T) {
			fake := seedGroups(t)
			c := newTestClient(t, fake.URL, withVersion(v))
			ctx := context.Background()
			org := vb365test.DemoOrganizationID

			groups, err := c.ListGroups(ctx, org, GroupFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, g := range groups {
				names = append(names, g.DisplayName)
			}
			if strings.Join(names, ",") != "HR,Finance,Executives,Sales" {
				t.Fatalf("groups = %v", names)
			}
			hr := groups[0]
			if hr.Name != "HR@contoso.onmicrosoft.com" || hr.Type != "Office365" || hr.LocationType != "Cloud" || hr.ManagedBy != "MeganB" ||
				hr.Site != "https://contoso.sharepoint.com/sites/HR" || !strings.HasSuffix(hr.ID, "00000000-0000-0000-0000-000000000000") {
				t.Fatalf("HR = %+v", hr)
			}
			// Null managedBy and site decode as empty.
			if ex := groups[2]; ex.ManagedBy != "" || ex.Site != "" || ex.Type != "Security" {
				t.Fatalf("Executives = %+v", ex)
			}

			for _, tc := range []struct {
				f    GroupFilter
				want string
			}{
				{GroupFilter{GroupName: "finance@CONTOSO.onmicrosoft.com"}, "Finance"},
				{GroupFilter{DisplayName: "*e*"}, "Finance,Executives,Sales"},
				{GroupFilter{DisplayName: "?R"}, "HR"},
				{GroupFilter{LocationFilter: "Hybrid"}, "Sales"},
				{GroupFilter{LocationFilter: "OnPremisesOrHybrid"}, "Sales"},
				{GroupFilter{LocationFilter: "Cloud", DisplayName: "S*"}, ""},
				{GroupFilter{PageSize: 1}, "HR,Finance,Executives,Sales"},
			} {
				fake.ResetRequests()
				gs, err := c.ListGroups(ctx, org, tc.f)
				if err != nil {
					t.Fatalf("ListGroups(%+v): %v", tc.f, err)
				}
				var got []string
				for _, g := range gs {
					got = append(got, g.DisplayName)
				}
				if strings.Join(got, ",") != tc.want {
					t.Errorf("ListGroups(%+v) = %v, want %s", tc.f, got, tc.want)
				}
				qs := queriesOf(fake, groupsRoute)
				wantPages := 1
				if tc.f.PageSize == 1 {
					// 4 pages of 1; the fourth has no next link and ends the listing.
					wantPages = 4
				}
				if len(qs) != wantPages {
					t.Errorf("ListGroups(%+v): %d requests, want %d", tc.f, len(qs), wantPages)
				}
				q := qs[0]
				if q.Get("groupName") != tc.f.GroupName || q.Get("displayName") != tc.f.DisplayName || q.Get("locationFilter") != tc.f.LocationFilter {
					t.Errorf("ListGroups(%+v) query = %v", tc.f, q)
				}
			}
			if _, err := c.ListGroups(ctx, "11111111-2222-3333-4444-555555555555", GroupFilter{}); !IsOrganizationNotFound(err) {
				t.Fatalf("unknown org: %v", err)
			}
		})
	}
}

func TestGetGroup(t *testing.T) {
	for _, v := range []APIVersion{V8, V7} {
		t.Run(string(v), func(t *testing.T) {
			fake := seedGroups(t)
			c := newTestClient(t, fake.URL, withVersion(v))
			ctx := context.Background()
			org := vb365test.DemoOrganizationID

			g, err := c.GetGroup(ctx, org, hybridGroupID)
			if err != nil {
				t.Fatal(err)
			}
			want := Group{ID: hybridGroupID, Name: "Sales@contoso.onmicrosoft.com", DisplayName: "Sales", Type: "Security", LocationType: "Hybrid",
				ManagedBy: "PattiF", OnPremisesSID: "S-1-5-21-620408442-2499537385-1871349438-3101", MSID: "0b1c2d3e-7f00-4a11-9b22-3c4d5e6f7a80"}
			if v == V7 {
				want.MSID = ""
			}
			g.Links = nil
			if !reflect.DeepEqual(*g, want) {
				t.Fatalf("group = %+v\nwant    %+v", *g, want)
			}

			fake.ResetRequests()
			_, err = c.GetGroup(ctx, org, "missing-group")
			var nf *NotFoundError
			if !errors.As(err, &nf) || nf.Kind != "group" || nf.Value != "missing-group" || IsOrganizationNotFound(err) {
				t.Fatalf("missing group: %#v", err)
			}
			if got := fake.CountByRoute(); got[groupRoute] != 1 || got[orgRoute] != 1 {
				t.Fatalf("requests = %v", got)
			}
			if _, err := c.GetGroup(ctx, "11111111-2222-3333-4444-555555555555", hybridGroupID); !IsOrganizationNotFound(err) {
				t.Fatalf("unknown org: %v", err)
			}
		})
	}
}

func TestFindGroup(t *testing.T) {
	fake := seedGroups(t)
	for i := 0; i < 3000; i++ {
		fake.AddGroup(vb365test.DemoOrganizationID, vb365test.Group{Name: fmt.Sprintf("team%04d@contoso.onmicrosoft.com", i), DisplayName: fmt.Sprintf("Team %04d", i)})
	}
	fake.AddGroup(vb365test.DemoOrganizationID, vb365test.Group{Name: "HR-EMEA@contoso.onmicrosoft.com", DisplayName: "hr", ID: "hr-emea-id"})
	c := newTestClient(t, fake.URL)
	ctx := context.Background()
	_ = c.Login(ctx)
	org := vb365test.DemoOrganizationID

	fake.ResetRequests()
	g, err := c.FindGroupByName(ctx, org, "sales@contoso.ONMICROSOFT.com")
	if err != nil || g.ID != hybridGroupID {
		t.Fatalf("by name = %+v, %v", g, err)
	}
	if n := fake.Count(groupsRoute); n != 1 {
		t.Fatalf("by name: %d requests", n)
	}
	if g, err := c.FindGroupByDisplayName(ctx, org, "team 2999"); err != nil || g.Name != "team2999@contoso.onmicrosoft.com" {
		t.Fatalf("by display name = %+v, %v", g, err)
	}
	if g, err := c.FindGroupByDisplayName(ctx, org, "Exec*"); err != nil || g.DisplayName != "Executives" {
		t.Fatalf("wildcard = %+v, %v", g, err)
	}
	_, err = c.FindGroupByDisplayName(ctx, org, "HR")
	var amb *AmbiguousError
	if !errors.As(err, &amb) || len(amb.Matches) != 2 || amb.Matches[1] != (Match{ID: "hr-emea-id", Name: "HR-EMEA@contoso.onmicrosoft.com", DisplayName: "hr"}) || amb.Kind != "group" {
		t.Fatalf("ambiguous = %#v", err)
	}
	if _, err := c.FindGroupByName(ctx, org, "nobody@contoso.onmicrosoft.com"); err == nil ||
		err.Error() != `no group with name "nobody@contoso.onmicrosoft.com" in organization `+org {
		t.Fatalf("miss = %v", err)
	}
	if _, err := c.FindGroupByDisplayName(ctx, "11111111-2222-3333-4444-555555555555", "HR"); !IsOrganizationNotFound(err) {
		t.Fatalf("unknown org: %v", err)
	}
}

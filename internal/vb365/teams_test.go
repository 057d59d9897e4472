package vb365

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

// TestTeamsContract runs the team routes of every version through the
// OpenAPI validator: lists, lookups by display name and mail, and the
// not-found errors.
func TestTeamsContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			val, err := contract.Load(string(v))
			if err != nil {
				t.Fatal(err)
			}
			fake := vb365test.Start(t, vb365test.Options{})
			fake.SeedDemo()
			org := vb365test.DemoOrganizationID
			c := newTestClient(t, fake.URL, withVersion(v), func(cfg *Config) {
				cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport)}
			})
			ctx := context.Background()

			teams, err := c.ListTeams(ctx, org, "Sales*")
			if err != nil || len(teams) != 2 {
				t.Fatalf("teams: %+v, %v", teams, err)
			}
			if _, err := c.FindTeamByDisplayName(ctx, org, "Sales*"); !errors.Is(err, ErrAmbiguous) {
				t.Fatalf("ambiguous: %v", err)
			}
			sales, err := c.FindTeamByDisplayName(ctx, org, "sales")
			if err != nil || sales.ID != vb365test.DemoTeamID {
				t.Fatalf("by display name: %+v, %v", sales, err)
			}
			if got, err := c.FindTeamByMail(ctx, org, "helpdesk@CONTOSO.onmicrosoft.com"); err != nil || got.DisplayName != "Helpdesk" {
				t.Fatalf("by mail: %+v, %v", got, err)
			}
			if got, err := c.GetTeam(ctx, org, strings.ToUpper(vb365test.DemoTeamID)); err != nil || got.DisplayName != "Sales" {
				t.Fatalf("GetTeam: %+v, %v", got, err)
			}
			if _, err := c.ListTeams(ctx, "11111111-2222-3333-4444-555555555555", ""); !IsOrganizationNotFound(err) {
				t.Fatalf("unknown organization: %v", err)
			}

			if vs := val.Violations(); len(vs) > 0 {
				t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
			}
			seen := val.Routes()
			p := "/" + string(v) + "/Organizations/{organizationId}"
			for _, r := range []string{"GET " + p + "/Teams", "GET " + p + "/Teams/{teamId}"} {
				if seen[r] == 0 {
					t.Errorf("route %s was not validated (validated: %v)", r, seen)
				}
			}
		})
	}
}

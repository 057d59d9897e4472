package vb365

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// TestTeamsContract runs the team routes of every version through the
// OpenAPI validator: lists, lookups by display name and mail, and the
// not-found errors.
func TestTeamsContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			c, _, val := newContractClient(t, v, vb365test.Options{})
			org := vb365test.DemoOrganizationID
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

			p := "/" + string(v) + "/Organizations/{organizationId}"
			assertNoViolations(t, val, "GET "+p+"/Teams", "GET "+p+"/Teams/{teamId}")
		})
	}
}

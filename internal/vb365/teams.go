package vb365

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// Team is RESTTeam.
type Team struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Description string `json:"description"`
	Mail        string `json:"mail"`
}

func teamsPath(orgID string) string { return "Organizations/" + escape(orgID) + "/Teams" }

func teamQuery(displayName string) url.Values {
	q := url.Values{}
	if displayName != "" {
		q.Set("displayName", displayName)
	}
	return q
}

// ListTeams returns the teams of an organization whose display name matches
// (wildcards * and ?; "" for all), following every page.
func (c *Client) ListTeams(ctx context.Context, orgID, displayName string) ([]Team, error) {
	teams, err := allPages(listPages[Team](ctx, c, teamsPath(orgID), teamQuery(displayName), 0))
	if err != nil {
		return nil, listError(err, orgID)
	}
	return teams, nil
}

// GetTeam returns one team by its ID.
func (c *Client) GetTeam(ctx context.Context, orgID, teamID string) (*Team, error) {
	var t Team
	p := teamsPath(orgID) + "/" + escape(teamID)
	if err := c.do(ctx, request{method: http.MethodGet, path: p, wantStatus: http.StatusOK, idempotent: true}, &t); err != nil {
		return nil, c.getError(ctx, err, orgID, KindTeam, teamID)
	}
	if err := c.checkID(p, "team", teamID, t.ID); err != nil {
		return nil, err
	}
	return &t, nil
}

// FindTeamByDisplayName returns the one team whose display name matches, as
// FindUserByDisplayName does for users.
func (c *Client) FindTeamByDisplayName(ctx context.Context, orgID, displayName string) (*Team, error) {
	return findOne(ctx, c, teamsPath(orgID), teamQuery(displayName), orgID, lookup[Team]{
		kind: KindTeam, key: "display_name", value: displayName,
		keep:  func(t *Team) bool { return displayNameMatches(displayName, t.DisplayName) },
		match: func(t *Team) Match { return Match{ID: t.ID, Name: t.Mail, DisplayName: t.DisplayName} },
	})
}

// FindTeamByMail returns the team with this mail address, ignoring case.
// The server has no mail filter: this lists the teams, stopping once two
// match.
func (c *Client) FindTeamByMail(ctx context.Context, orgID, mail string) (*Team, error) {
	return findOne(ctx, c, teamsPath(orgID), nil, orgID, lookup[Team]{
		kind: KindTeam, key: "mail", value: mail,
		keep:  func(t *Team) bool { return strings.EqualFold(t.Mail, mail) },
		match: func(t *Team) Match { return Match{ID: t.ID, Name: t.Mail, DisplayName: t.DisplayName} },
	})
}

package vb365

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// Organization is RestOrganizationComposed, the fields the provider uses.
// Enum fields are plain strings so an unknown value from a newer server
// decodes; null decodes as the zero value.
type Organization struct {
	ID                     string           `json:"id"`
	Name                   string           `json:"name"`
	OfficeName             string           `json:"officeName"`
	Description            string           `json:"description"`
	Type                   string           `json:"type"`
	Region                 string           `json:"region"`
	IsExchangeOnline       bool             `json:"isExchangeOnline"`
	IsSharePointOnline     bool             `json:"isSharePointOnline"`
	IsTeamsOnline          bool             `json:"isTeamsOnline"`
	MSID                   string           `json:"msid"`
	BackedUpOrganizationID string           `json:"backedUpOrganizationId"`
	Links                  map[string]*Link `json:"_links"`
}

// orgQuery asks for the plain view: extendedView=true makes the server ask
// its backup proxies for backup times the provider does not use (and is
// the v6 default; the v6 document also declares the parameter required).
func orgQuery() url.Values { return url.Values{"extendedView": {"false"}} }

// ListOrganizations returns every organization. v8 answers pages; v6 and
// v7 answer one bare array.
func (c *Client) ListOrganizations(ctx context.Context) ([]Organization, error) {
	if !c.spec.organizationsPaged {
		var orgs []Organization
		err := c.do(ctx, request{method: http.MethodGet, path: "Organizations", query: orgQuery(), wantStatus: http.StatusOK, idempotent: true}, &orgs)
		return orgs, err
	}
	return allPages(listPages[Organization](ctx, c, "Organizations", orgQuery(), 0))
}

// GetOrganization returns one organization; ErrNotFound when there is none
// with that ID.
func (c *Client) GetOrganization(ctx context.Context, id string) (*Organization, error) {
	var org Organization
	if err := c.do(ctx, request{method: http.MethodGet, path: "Organizations/" + escape(id), query: orgQuery(), wantStatus: http.StatusOK, idempotent: true}, &org); err != nil {
		return nil, err
	}
	if err := c.checkID("Organizations/"+escape(id), "organization", id, org.ID); err != nil {
		return nil, err
	}
	return &org, nil
}

// FindOrganizationByName returns the organization whose name or Microsoft
// 365 name equals name, ignoring case; ErrNotFound when none does.
func (c *Client) FindOrganizationByName(ctx context.Context, name string) (*Organization, error) {
	orgs, err := c.ListOrganizations(ctx)
	if err != nil {
		return nil, err
	}
	for i := range orgs {
		if strings.EqualFold(orgs[i].Name, name) || strings.EqualFold(orgs[i].OfficeName, name) {
			return &orgs[i], nil
		}
	}
	return nil, &NotFoundError{Kind: KindOrganization, Key: "name", Value: name}
}

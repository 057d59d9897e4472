package vb365

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// MaxPageSize is the largest limit the server accepts; the client always
// asks for it, so an organization of 25,000 users costs three requests.
const MaxPageSize = 10000

// Link is one entry of a _links map.
type Link struct {
	Href string `json:"href"`
}

// page is the shape of every paged answer (PageOfRESTUser, PageOfRESTGroup,
// PageOfRestOrganizationComposed). totalCount exists before v8 only and is
// not relied on.
type page[T any] struct {
	Offset  int              `json:"offset"`
	Limit   int              `json:"limit"`
	SetID   *string          `json:"setId"`
	Results []T              `json:"results"`
	Links   map[string]*Link `json:"_links"`
}

// listPages GETs path page after page (offset/limit, passing back the
// server's setId) and hands each page's results to each. It stops after the
// last page: one without a "next" link (or, from a server that sends no
// links, one shorter than its limit), or an empty page. pageSize <= 0 means
// MaxPageSize.
func listPages[T any](ctx context.Context, c *Client, path string, query url.Values, pageSize int, each func([]T) error) error {
	if pageSize <= 0 || pageSize > MaxPageSize {
		pageSize = MaxPageSize
	}
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	offset := 0
	setID := ""
	for pages := 0; ; pages++ {
		if pages > 1_000_000 {
			return fmt.Errorf("GET %s: paging did not end", path)
		}
		q.Set("offset", strconv.Itoa(offset))
		q.Set("limit", strconv.Itoa(pageSize))
		if setID != "" {
			q.Set("setId", setID)
		}
		var p page[T]
		if err := c.do(ctx, request{method: http.MethodGet, path: path, query: q, wantStatus: http.StatusOK, idempotent: true}, &p); err != nil {
			return err
		}
		if len(p.Results) > 0 {
			if err := each(p.Results); err != nil {
				return err
			}
		}
		if p.SetID != nil && *p.SetID != "" {
			setID = *p.SetID
		}
		if len(p.Results) == 0 {
			return nil
		}
		if p.Links != nil {
			// The server links the next page whenever there is one, so
			// a full last page costs no extra empty request.
			if _, hasNext := p.Links["next"]; !hasNext {
				return nil
			}
		} else {
			// No links at all: a short page is the last. The server's
			// own limit counts, as it may cap the one asked for.
			limit := p.Limit
			if limit <= 0 {
				limit = pageSize
			}
			if len(p.Results) < limit {
				return nil
			}
		}
		offset += len(p.Results)
	}
}

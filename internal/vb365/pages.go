package vb365

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// maxPageSize is the largest limit the server accepts; the client always
// asks for it, so an organization of 25,000 users costs three requests.
const maxPageSize = 10000

// maxPages is the last-resort bound of one listing (a billion users at the
// largest page size): the checks below catch a repeating server long before.
const maxPages = 100_000

// Link is one entry of a _links map.
type Link struct {
	Href string `json:"href"`
}

// page is the shape of every paged answer (PageOfRESTUser, PageOfRESTGroup,
// PageOfRestOrganizationComposed). totalCount exists before v8 only; it
// bounds the paging when sent.
type page[T any] struct {
	Offset     *int             `json:"offset"`
	Limit      int              `json:"limit"`
	TotalCount *int             `json:"totalCount"`
	SetID      *string          `json:"setId"`
	Results    []T              `json:"results"`
	Links      map[string]*Link `json:"_links"`
}

// listPages GETs path page after page (offset/limit, passing back the
// server's setId) and yields each page's results, as a sequence to range
// over: for page, err := range listPages[T](...). It ends after the last
// page: one without a "next" link (or, from a server that sends no links,
// one shorter than its limit), or an empty page; an empty page is not
// yielded. A caller that has what it needs stops ranging (break or
// return), and no further page is asked for. pageSize <= 0 means
// maxPageSize.
//
// An error ends the sequence: it is yielded once, with a nil page. A server
// or proxy that misbehaves ends the paging with an ErrBadAnswer, never with
// a silent empty or endless list: a page without results (null or
// missing), a page whose echoed offset does not move, a page whose first
// item came before, or more items than the totalCount it gave.
func listPages[T any](ctx context.Context, c *Client, path string, query url.Values, pageSize int) iter.Seq2[[]T, error] {
	return func(yield func([]T, error) bool) {
		if err := eachPage(ctx, c, path, query, pageSize, yield); err != nil {
			yield(nil, err)
		}
	}
}

// allPages collects a listing: every item, or the items before the error
// that ended it, and that error.
func allPages[T any](seq iter.Seq2[[]T, error]) ([]T, error) {
	var out []T
	for p, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, p...)
	}
	return out, nil
}

// eachPage is listPages' loop: it hands each non-empty page to yield and
// returns when the listing ends, when yield returns false (nil), or with
// the error that ended it.
func eachPage[T any](ctx context.Context, c *Client, path string, query url.Values, pageSize int, yield func([]T, error) bool) error {
	if pageSize <= 0 || pageSize > maxPageSize {
		pageSize = maxPageSize
	}
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	offset := 0
	setID := ""
	seen := 0
	lastEcho := -1
	firsts := map[string]bool{}
	bad := func(reason string) error {
		return &BadAnswerError{Method: http.MethodGet, Path: "/" + string(c.version) + "/" + path, Status: http.StatusOK, Reason: reason}
	}
	for pages := 1; ; pages++ {
		if pages > maxPages {
			return bad(fmt.Sprintf("paging did not end after %d pages", maxPages))
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
		if p.Results == nil {
			return bad(fmt.Sprintf("the page at offset %d has no results (null or missing); an empty list is sent as []", offset))
		}
		if len(p.Results) > 0 {
			if p.Offset != nil {
				if *p.Offset == lastEcho {
					return bad(fmt.Sprintf("the page asked for at offset %d says offset %d again: the server (or a proxy) ignores offset, so paging would never end", offset, *p.Offset))
				}
				lastEcho = *p.Offset
			}
			first, err := json.Marshal(p.Results[0])
			if err == nil {
				if firsts[string(first)] {
					return bad(fmt.Sprintf("the page at offset %d starts with an item an earlier page started with: the server (or a proxy) repeats pages, so paging would never end", offset))
				}
				firsts[string(first)] = true
			}
			seen += len(p.Results)
			if p.TotalCount != nil && seen > *p.TotalCount {
				return bad(fmt.Sprintf("the pages hold more items (%d so far) than the totalCount of %d the server gave", seen, *p.TotalCount))
			}
			if !yield(p.Results, nil) {
				return nil
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

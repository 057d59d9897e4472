package vb365

import (
	"context"
	"net/url"
)

// lookup describes a search for exactly one principal.
type lookup[T any] struct {
	kind       Kind
	key, value string
	// keep narrows the server's answer on the client.
	keep  func(*T) bool
	match func(*T) Match
}

// findOne lists with a server-side filter and returns the single item that
// keep accepts. Paging stops as soon as two matches are known.
func findOne[T any](ctx context.Context, c *Client, path string, query url.Values, orgID string, l lookup[T]) (*T, error) {
	var (
		found     []T
		truncated bool
	)
	for p, err := range listPages[T](ctx, c, path, query, 0) {
		if err != nil {
			return nil, listError(err, orgID)
		}
		for i := range p {
			if l.keep(&p[i]) {
				found = append(found, p[i])
			}
		}
		if len(found) > 1 {
			// A full page may be followed by more: say so.
			truncated = len(p) >= maxPageSize
			break
		}
	}
	switch len(found) {
	case 0:
		return nil, &NotFoundError{Kind: l.kind, Key: l.key, Value: l.value, Scope: "in organization " + orgID}
	case 1:
		return &found[0], nil
	}
	amb := &AmbiguousError{Kind: l.kind, Key: l.key, Value: l.value, OrganizationID: orgID, Truncated: truncated}
	for i := range found {
		amb.Matches = append(amb.Matches, l.match(&found[i]))
	}
	return nil, amb
}

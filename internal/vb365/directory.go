package vb365

import (
	"context"
	"strings"
	"sync"
)

// directory serves GetPrincipal from the first page of an organization's
// users (groups) once a client has looked up ListThreshold of that kind
// there: 500 parallel creates of vb365_audit_item then cost ListThreshold
// GETs and one listing instead of 500 GETs, and each create one round trip
// less. The count is exact whatever the scheduling: lookups 1 to
// ListThreshold send a GET each, the next one reads the page, and the
// others wait for it. A principal not on the page (a later page, an
// unknown ID), and every lookup after a failed listing, is a GET, so its
// error stays GetUser's (GetGroup's).
//
// Scope: per Client, i.e. one Terraform walk; a user renamed during the
// walk shows in the next one. Nothing is written through it.
type directory struct {
	mu   sync.Mutex
	orgs map[directoryKey]*directoryPage
}

type directoryKey struct {
	org  string // lower case
	kind Kind
}

type directoryPage struct {
	lookups int
	done    chan struct{} // closed once the page is read or failed; nil before
	entries map[string]RoleEntry
}

// lookup returns the principal from the organization's first page when the
// directory holds it, reading the page first if this is the lookup that
// crosses the threshold. ok is false when the caller must GET it.
func (c *Client) lookupInDirectory(ctx context.Context, orgID string, kind Kind, id string) (RoleEntry, bool) {
	if kind != KindUser && kind != KindGroup {
		return RoleEntry{}, false
	}
	threshold := ListThreshold
	if c.listThreshold > 0 {
		threshold = c.listThreshold
	}
	key := directoryKey{org: strings.ToLower(orgID), kind: kind}
	c.dir.mu.Lock()
	if c.dir.orgs == nil {
		c.dir.orgs = map[directoryKey]*directoryPage{}
	}
	p := c.dir.orgs[key]
	if p == nil {
		p = &directoryPage{}
		c.dir.orgs[key] = p
	}
	p.lookups++
	if p.lookups <= threshold {
		c.dir.mu.Unlock()
		return RoleEntry{}, false
	}
	reader := p.done == nil
	if reader {
		p.done = make(chan struct{})
	}
	c.dir.mu.Unlock()

	if reader {
		entries, err := c.firstPageOf(ctx, orgID, kind)
		c.dir.mu.Lock()
		if err == nil {
			p.entries = entries
		}
		c.dir.mu.Unlock()
		close(p.done)
	} else {
		select {
		case <-p.done:
		case <-ctx.Done():
			return RoleEntry{}, false
		}
	}
	c.dir.mu.Lock()
	e, ok := p.entries[strings.ToLower(id)]
	c.dir.mu.Unlock()
	return e, ok
}

// firstPageOf reads the first page (up to 10,000) of an organization's
// users or groups, by lower-case ID.
func (c *Client) firstPageOf(ctx context.Context, orgID string, kind Kind) (map[string]RoleEntry, error) {
	if kind == KindGroup {
		return readFirstPage(ctx, c, groupsPath(orgID), func(g *listedGroup) (string, RoleEntry) { v := g.group(); return v.ID, RoleEntry{Group: &v} })
	}
	return readFirstPage(ctx, c, usersPath(orgID), func(u *listedUser) (string, RoleEntry) { v := u.user(); return v.ID, RoleEntry{User: &v} })
}

// readFirstPage reads the first page of a listing into a map by lower-case
// ID.
func readFirstPage[T any](ctx context.Context, c *Client, path string, entry func(*T) (string, RoleEntry)) (map[string]RoleEntry, error) {
	for p, err := range listPages[T](ctx, c, path, nil, maxPageSize) {
		if err != nil {
			return nil, err
		}
		out := make(map[string]RoleEntry, len(p))
		for i := range p {
			id, e := entry(&p[i])
			out[strings.ToLower(id)] = e
		}
		return out, nil
	}
	return nil, nil
}

package vb365

import (
	"context"
	"strings"
	"sync"
)

// ListThreshold is how many users (or groups) of one organization a client
// looks up with one GET each before it reads the first page of that
// organization's users (groups) instead: one request for up to 10,000,
// where the lookups would cost one each.
const ListThreshold = 2 * DefaultLookupParallelism

// directory is what a client knows of an organization's users and groups
// from their lists: per organization and kind, how many lookups the client
// has made, and, once it crossed ListThreshold, the first page of the list.
// GetPrincipal (one lookup at a time, as N parallel creates of
// vb365_audit_item call it) and GetObjects (a batch) share it, so a walk
// reads each page at most once: 500 parallel creates cost ListThreshold
// GETs and one page instead of 500 GETs, and a GetObjects that read the
// page answers the later GetPrincipal calls from it.
//
// The rule, in one place (fromDirectory): lookups come from the page once
// ListThreshold lookups of the kind came before them, or when they are a
// batch of at least ListThreshold (never a single lookup: a GET costs no
// more than a page), or when the page has been read anyway. The count is
// exact whatever the scheduling: lookups 1 to ListThreshold send a GET
// each, the next one reads the page, and the others wait for it. A
// principal not on the page (a later page, an unknown ID), and every
// lookup after a failed read, is a GET, so its error stays GetUser's
// (GetGroup's). A failed read is not tried again.
//
// Scope: per Client, i.e. one Terraform walk; a user renamed during the
// walk shows in the next one. Nothing is written through it.
type directory struct {
	mu    sync.Mutex
	pages map[directoryKey]*directoryPage
}

type directoryKey struct {
	org  string // lower case
	kind Kind
}

type directoryPage struct {
	lookups int
	// done is nil until the page is needed, and closed once it was read
	// (byID) or the read failed (byID nil).
	done chan struct{}
	byID map[string]Object // by lower-case ID
}

// threshold is ListThreshold, or the client's override (tests).
func (c *Client) threshold() int {
	if c.listThreshold > 0 {
		return c.listThreshold
	}
	return ListThreshold
}

// fromDirectory records n lookups of distinct users (KindUser) or groups
// (KindGroup) of an organization, and returns the first page of that list,
// by lower-case ID, when they are to come from it, reading it if this is
// the first caller that needs it and waiting for it otherwise. nil means
// the caller GETs each: the page is not worth it yet, its read failed, or
// ctx ended while waiting.
func (c *Client) fromDirectory(ctx context.Context, orgID string, kind Kind, n int) map[string]Object {
	if kind != KindUser && kind != KindGroup {
		return nil
	}
	key := directoryKey{org: strings.ToLower(orgID), kind: kind}
	threshold := c.threshold()
	c.dir.mu.Lock()
	if c.dir.pages == nil {
		c.dir.pages = map[directoryKey]*directoryPage{}
	}
	p := c.dir.pages[key]
	if p == nil {
		p = &directoryPage{}
		c.dir.pages[key] = p
	}
	before := p.lookups
	p.lookups += n
	if p.done == nil && before < threshold && n < max(threshold, 2) {
		c.dir.mu.Unlock()
		return nil
	}
	reader := p.done == nil
	if reader {
		p.done = make(chan struct{})
	}
	c.dir.mu.Unlock()

	if reader {
		byID, err := c.firstPageOf(ctx, orgID, kind)
		c.dir.mu.Lock()
		if err == nil {
			p.byID = byID
		}
		c.dir.mu.Unlock()
		close(p.done)
	} else {
		select {
		case <-p.done:
		case <-ctx.Done():
			return nil
		}
	}
	c.dir.mu.Lock()
	defer c.dir.mu.Unlock()
	return p.byID
}

// firstPageOf reads the first page (up to 10,000) of an organization's
// users or groups, by lower-case ID.
func (c *Client) firstPageOf(ctx context.Context, orgID string, kind Kind) (map[string]Object, error) {
	if kind == KindGroup {
		return readFirstPage(ctx, c, groupsPath(orgID), func(g *listedGroup) (string, Object) { v := g.group(); return v.ID, Object{Group: &v} })
	}
	return readFirstPage(ctx, c, usersPath(orgID), func(u *listedUser) (string, Object) { v := u.user(); return v.ID, Object{User: &v} })
}

// readFirstPage reads the first page of a listing into a map by lower-case
// ID.
func readFirstPage[T any](ctx context.Context, c *Client, path string, object func(*T) (string, Object)) (map[string]Object, error) {
	for p, err := range listPages[T](ctx, c, path, nil, maxPageSize) {
		if err != nil {
			return nil, err
		}
		out := make(map[string]Object, len(p))
		for i := range p {
			id, o := object(&p[i])
			out[strings.ToLower(id)] = o
		}
		return out, nil
	}
	return nil, nil
}

package vb365

import (
	"context"
	"fmt"
	"sync"
)

// GetPrincipal fetches the user (KindUser) or group (KindGroup) with the
// given ID, as the entry an audit item is added with. Its errors are those
// of GetUser and GetGroup.
func (c *Client) GetPrincipal(ctx context.Context, orgID string, kind Kind, id string) (AuditEntry, error) {
	if kind != KindUser && kind != KindGroup {
		return AuditEntry{}, fmt.Errorf("vb365: %q is neither a user nor a group", kind)
	}
	r := c.getObject(ctx, orgID, ObjectRef{Kind: kind, ID: id})
	return AuditEntry{User: r.Entry.User, Group: r.Entry.Group}, r.Err
}

// ObjectRef names a user, group, site or team of an organization to fetch.
type ObjectRef struct {
	Kind Kind // KindUser, KindGroup, KindSite, KindTeam
	ID   string
}

// ObjectResult is a fetched object (as a RoleEntry, which holds any of the
// four) or the error that fetching it gave.
type ObjectResult struct {
	Entry RoleEntry
	Err   error
}

// DefaultLookupParallelism bounds the GETs GetObjects keeps in flight.
const DefaultLookupParallelism = 8

// GetObjects fetches objects by ID, at most parallel at a time
// (DefaultLookupParallelism when parallel <= 0), one GET each: against a
// server 200 ms away, 100 principals take about 100/8 round trips instead of
// 100. Results come in the order of refs; each carries its own error, so a
// caller can say which ID is wrong.
func (c *Client) GetObjects(ctx context.Context, orgID string, refs []ObjectRef, parallel int) []ObjectResult {
	if parallel <= 0 {
		parallel = DefaultLookupParallelism
	}
	out := make([]ObjectResult, len(refs))
	inParallel(ctx, len(refs), parallel, func(ctx context.Context, i int) {
		out[i] = c.getObject(ctx, orgID, refs[i])
	}, func(i int, err error) { out[i].Err = err })
	return out
}

// inParallel runs do(ctx, i) for i in [0, n) with at most parallel calls at
// a time. A call that cannot start because ctx ended gets skipped(i, err)
// instead.
func inParallel(ctx context.Context, n, parallel int, do func(ctx context.Context, i int), skipped func(i int, err error)) {
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			skipped(i, ctx.Err())
			continue
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			do(ctx, i)
		}(i)
	}
	wg.Wait()
}

func (c *Client) getObject(ctx context.Context, orgID string, ref ObjectRef) ObjectResult {
	var (
		r   ObjectResult
		err error
	)
	switch ref.Kind {
	case KindUser:
		r.Entry.User, err = c.GetUser(ctx, orgID, ref.ID)
	case KindGroup:
		r.Entry.Group, err = c.GetGroup(ctx, orgID, ref.ID)
	case KindSite:
		r.Entry.Site, err = c.GetSite(ctx, orgID, ref.ID)
	case KindTeam:
		r.Entry.Team, err = c.GetTeam(ctx, orgID, ref.ID)
	default:
		err = fmt.Errorf("vb365: cannot fetch a %q", ref.Kind)
	}
	r.Err = err
	return r
}

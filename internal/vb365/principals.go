package vb365

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// GetPrincipal fetches the user (KindUser) or group (KindGroup) with the
// given ID, as the entry an audit item is added with. Its errors are those
// of GetUser and GetGroup. From the ListThreshold-th lookup of a kind in an
// organization on, it answers from the first page of that organization's
// users (groups) where it can (directory.go).
func (c *Client) GetPrincipal(ctx context.Context, orgID string, kind Kind, id string) (AuditEntry, error) {
	if kind != KindUser && kind != KindGroup {
		return AuditEntry{}, fmt.Errorf("vb365: %q is neither a user nor a group", kind)
	}
	if e, ok := c.lookupInDirectory(ctx, orgID, kind, id); ok {
		return AuditEntry{User: e.User, Group: e.Group}, nil
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

// ListThreshold is how many users (or groups) GetObjects needs to fetch
// before it reads the first page of the organization's users (groups)
// instead: one request for up to 10,000, where the lookups would cost one
// each.
const ListThreshold = 2 * DefaultLookupParallelism

// GetObjects fetches objects by ID. Users and groups, when there are at
// least ListThreshold of a kind, come from the first page of the
// organization's list (one request, 10,000 objects); the others, and any
// not on that page, with one GET each, at most parallel at a time
// (DefaultLookupParallelism when parallel <= 0): against a server 200 ms
// away, 100 principals take one request in an organization of up to 10,000
// users, and about 100/8 round trips in a larger one. Results come in the
// order of refs; each carries its own error, so a caller can say which ID is
// wrong (an ID on no page is looked up, and its error is GetUser's).
func (c *Client) GetObjects(ctx context.Context, orgID string, refs []ObjectRef, parallel int) []ObjectResult {
	if parallel <= 0 {
		parallel = DefaultLookupParallelism
	}
	out := make([]ObjectResult, len(refs))
	found := make([]bool, len(refs))
	c.fromFirstPage(ctx, orgID, refs, out, found)
	var todo []int
	for i := range refs {
		if !found[i] {
			todo = append(todo, i)
		}
	}
	inParallel(ctx, len(todo), parallel, func(ctx context.Context, j int) {
		out[todo[j]] = c.getObject(ctx, orgID, refs[todo[j]])
	}, func(j int, err error) { out[todo[j]].Err = err })
	return out
}

// takeFirstPage reads the first page of the organization's users (groups)
// and fills in, for each listed object whose ID (ignoring case) want holds,
// the results at want's indexes.
func (c *Client) takeFirstPage(ctx context.Context, orgID string, kind Kind, want map[string][]int, out []ObjectResult, found []bool) {
	entries, _ := c.firstPageOf(ctx, orgID, kind)
	for id, idx := range want {
		if e, ok := entries[id]; ok {
			for _, j := range idx {
				out[j], found[j] = ObjectResult{Entry: e}, true
			}
		}
	}
}

// fromFirstPage fills in the users and groups of refs that the first page
// of the organization's users (groups) holds, for each kind with at least
// ListThreshold refs. A failed listing is not an error here: those refs are
// then looked up one by one, which reports what is wrong with each.
func (c *Client) fromFirstPage(ctx context.Context, orgID string, refs []ObjectRef, out []ObjectResult, found []bool) {
	want := map[Kind]map[string][]int{} // kind -> lower-case ID -> indexes into refs
	for i, r := range refs {
		if r.Kind != KindUser && r.Kind != KindGroup {
			continue
		}
		if want[r.Kind] == nil {
			want[r.Kind] = map[string][]int{}
		}
		k := strings.ToLower(r.ID)
		want[r.Kind][k] = append(want[r.Kind][k], i)
	}
	threshold := ListThreshold
	if c.listThreshold > 0 {
		threshold = c.listThreshold
	}
	for _, kind := range []Kind{KindUser, KindGroup} {
		if len(want[kind]) >= threshold {
			c.takeFirstPage(ctx, orgID, kind, want[kind], out, found)
		}
	}
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

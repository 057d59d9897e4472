package vb365

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// Object is a user, group, site or team of an organization: exactly one
// field is set, as GetUser, GetGroup, GetSite, GetTeam (or their lists)
// returned it. It is what the client adds to an audit list (a user or a
// group: a principal) and to a restore operator role's member lists (any
// of the four), and what GetPrincipal and GetObjects return.
type Object struct {
	User  *User
	Group *Group
	Site  *Site
	Team  *Team
}

// Kind names the object as a role member does: its member type
// (MemberUser, MemberGroup, MemberSite, MemberTeam) and its ID.
func (o Object) Kind() (kind, id string) {
	switch {
	case o.User != nil:
		return MemberUser, o.User.ID
	case o.Group != nil:
		return MemberGroup, o.Group.ID
	case o.Site != nil:
		return MemberSite, o.Site.ID
	case o.Team != nil:
		return MemberTeam, o.Team.ID
	}
	return "", ""
}

// Principal is the user or group as a Principal to match audit items
// against; the zero Principal for a site or a team.
func (o Object) Principal() Principal {
	switch {
	case o.User != nil:
		return userPrincipal(o.User)
	case o.Group != nil:
		return groupPrincipal(o.Group)
	}
	return Principal{}
}

// GetPrincipal fetches the user (KindUser) or group (KindGroup) with the
// given ID. Its errors are those of GetUser and GetGroup. Once the client
// has looked up ListThreshold of a kind in an organization, it answers
// from the first page of that organization's users (groups) where it can
// (directory.go).
func (c *Client) GetPrincipal(ctx context.Context, orgID string, kind Kind, id string) (Object, error) {
	if kind != KindUser && kind != KindGroup {
		return Object{}, fmt.Errorf("vb365: %q is neither a user nor a group", kind)
	}
	if o, ok := c.fromDirectory(ctx, orgID, kind, 1)[strings.ToLower(id)]; ok {
		return o, nil
	}
	r := c.getObject(ctx, orgID, ObjectRef{Kind: kind, ID: id})
	return r.Object, r.Err
}

// ObjectRef names a user, group, site or team of an organization to fetch.
type ObjectRef struct {
	Kind Kind // KindUser, KindGroup, KindSite, KindTeam
	ID   string
}

// ObjectResult is a fetched object or the error that fetching it gave.
type ObjectResult struct {
	Object Object
	Err    error
}

// DefaultLookupParallelism bounds the GETs GetObjects keeps in flight.
const DefaultLookupParallelism = 8

// GetObjects fetches objects by ID. Users and groups come from the first
// page of the organization's list (one request, 10,000 objects) when the
// directory says so (directory.go: at least ListThreshold of a kind, in
// this call or before it); the others, and any not on that page, with one
// GET each, at most parallel at a time (DefaultLookupParallelism when
// parallel <= 0): against a server 200 ms away, 100 principals take one
// request in an organization of up to 10,000 users, and about 100/8 round
// trips in a larger one. Results come in the order of refs; each carries
// its own error, so a caller can say which ID is wrong (an ID on no page is
// looked up, and its error is GetUser's).
func (c *Client) GetObjects(ctx context.Context, orgID string, refs []ObjectRef, parallel int) []ObjectResult {
	if parallel <= 0 {
		parallel = DefaultLookupParallelism
	}
	listed := map[Kind]map[string]Object{} // kind -> the first page by lower-case ID, when used
	for _, kind := range []Kind{KindUser, KindGroup} {
		ids := map[string]bool{}
		for _, r := range refs {
			if r.Kind == kind {
				ids[strings.ToLower(r.ID)] = true
			}
		}
		if len(ids) > 0 {
			listed[kind] = c.fromDirectory(ctx, orgID, kind, len(ids))
		}
	}
	out := make([]ObjectResult, len(refs))
	var todo []int
	for i, r := range refs {
		if o, ok := listed[r.Kind][strings.ToLower(r.ID)]; ok {
			out[i].Object = o
			continue
		}
		todo = append(todo, i)
	}
	inParallel(ctx, len(todo), parallel, func(ctx context.Context, j int) {
		out[todo[j]] = c.getObject(ctx, orgID, refs[todo[j]])
	}, func(j int, err error) { out[todo[j]].Err = err })
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
		r.Object.User, err = c.GetUser(ctx, orgID, ref.ID)
	case KindGroup:
		r.Object.Group, err = c.GetGroup(ctx, orgID, ref.ID)
	case KindSite:
		r.Object.Site, err = c.GetSite(ctx, orgID, ref.ID)
	case KindTeam:
		r.Object.Team, err = c.GetTeam(ctx, orgID, ref.ID)
	default:
		err = fmt.Errorf("vb365: cannot fetch a %q", ref.Kind)
	}
	r.Err = err
	return r
}

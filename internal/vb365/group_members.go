package vb365

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// Group members: GET /Organizations/{id}/Groups/{groupId}/Members (v6-v8,
// paged; v8 without totalCount), and the expansion of groups through
// their nested groups that the restore-access answer needs.
//
// A member (RESTGroupMember) carries no ID of its own in any version:
// groupId is the ID "of the group to which the account belongs" (the group
// asked about), then name (a display name), login, type (User, Group or
// Unknown) and isCloud. Its _links are a dictionary the documents leave
// empty. So a member is known by its login; where the answer links the
// member to its /Users or /Groups object (an href ending in /Users/{id} or
// /Groups/{id}), the client takes the ID from there (the fake's
// Quirks.GroupMembersWithoutLinks answers without). A nested group without
// such a link is found by its login (its mail address) with one GET
// .../Groups?groupName= per group and walk.
//
// The lists come from VB365's copy of the directory: by default
// (dataSource PreferLocal) the organization cache, as of its last
// synchronization with Microsoft Entra ID. A member added or removed in
// Entra since is not seen.

// GroupMember is one direct member of a group (RESTGroupMember).
type GroupMember struct {
	// Kind is MemberUser or MemberGroup, or the type as sent (Unknown).
	Kind string
	// ID is the member's /Users or /Groups ID when the answer links it, or
	// (for a nested group) when the client found it by its login; "" when
	// neither.
	ID string
	// Name is the display name, Login the sign-in name (for a user its
	// mail address or UPN, for a group its mail address).
	Name, Login string
	IsCloud     bool
}

type groupMemberWire struct {
	GroupID string           `json:"groupId"`
	Name    *string          `json:"name"`
	Login   *string          `json:"login"`
	Type    string           `json:"type"`
	IsCloud bool             `json:"isCloud"`
	Links   map[string]*Link `json:"_links"`
}

func groupMembersPath(orgID, groupID string) string {
	return groupsPath(orgID) + "/" + escape(groupID) + "/Members"
}

// member reads a listed member of the group parentID.
func (w *groupMemberWire) member(parentID string) GroupMember {
	m := GroupMember{Kind: w.Type, Name: deref(w.Name), Login: deref(w.Login), IsCloud: w.IsCloud}
	switch {
	case strings.EqualFold(w.Type, MemberUser):
		m.Kind = MemberUser
	case strings.EqualFold(w.Type, MemberGroup):
		m.Kind = MemberGroup
	}
	m.ID = linkedMemberID(w.Links, m.Kind, parentID)
	return m
}

// linkedMemberID finds the member's ID in its links: the last segment of
// an href whose path ends in /Users/{id} (a user) or /Groups/{id} (a
// group; not the group asked about, which a link may name too). "self"
// is read first, then the others in name order.
func linkedMemberID(links map[string]*Link, kind, parentID string) string {
	names := make([]string, 0, len(links))
	for k := range links {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "self") != (names[j] == "self") {
			return names[i] == "self"
		}
		return names[i] < names[j]
	})
	for _, k := range names {
		l := links[k]
		if l == nil || l.Href == "" {
			continue
		}
		u, err := url.Parse(l.Href)
		if err != nil {
			continue
		}
		segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
		if len(segs) < 2 {
			continue
		}
		coll := segs[len(segs)-2]
		id, err := url.PathUnescape(segs[len(segs)-1])
		if err != nil || id == "" {
			continue
		}
		switch {
		case strings.EqualFold(coll, "Users") && kind != MemberGroup:
			return id
		case strings.EqualFold(coll, "Groups") && kind != MemberUser && !strings.EqualFold(id, parentID):
			return id
		}
	}
	return ""
}

// ListGroupMembers lists the direct members of a group, every page at the
// largest page size. A missing group is a *NotFoundError of KindGroup, a
// missing organization one of KindOrganization.
func (c *Client) ListGroupMembers(ctx context.Context, orgID, groupID string) ([]GroupMember, error) {
	out := []GroupMember{}
	for p, err := range listPages[groupMemberWire](ctx, c, groupMembersPath(orgID, groupID), nil, 0) {
		if err != nil {
			return nil, c.getError(ctx, err, orgID, KindGroup, groupID)
		}
		for i := range p {
			out = append(out, p[i].member(groupID))
		}
	}
	return out, nil
}

// groupWalk shares, per client, the group reads of the restore-access
// answers of one walk (walkCache): one Members list per group, and one
// lookup per nested group found by its login.
type groupWalk struct {
	members walkCache[[]GroupMember]
	byName  walkCache[string]
}

// cachedGroupMembers is ListGroupMembers through the walk's cache.
func (c *Client) cachedGroupMembers(ctx context.Context, orgID, groupID string) ([]GroupMember, error) {
	return c.groups.members.get(ctx, orgID+"/"+groupID, func(ctx context.Context) ([]GroupMember, error) {
		return c.ListGroupMembers(ctx, orgID, groupID)
	})
}

// groupIDByLogin finds a nested group by its login (mail address) through
// the walk's cache; "" when no single group has it.
func (c *Client) groupIDByLogin(ctx context.Context, orgID, login string) (string, error) {
	return c.groups.byName.get(ctx, orgID+"/"+login, func(ctx context.Context) (string, error) {
		g, err := c.FindGroupByName(ctx, orgID, login)
		switch {
		case errors.Is(err, ErrNotFound) && !IsOrganizationNotFound(err), errors.Is(err, ErrAmbiguous):
			return "", nil
		case err != nil:
			return "", err
		}
		return g.ID, nil
	})
}

// MaxGroupDepth bounds how deep ExpandGroups follows nested groups: the
// groups it starts from are at depth 1, their nested groups at 2, and the
// members of a group at MaxGroupDepth are listed but its nested groups are
// not (they are reported in GroupGraph.TooDeep). Microsoft Entra ID sets no
// limit; ten levels is more than any directory seen in public material, and
// the bound keeps a walk's requests finite whatever the directory holds.
// Cycles end on their own: a group is listed once.
const MaxGroupDepth = 10

// GroupGraph is what an expansion read: the direct members of every group
// reached, nested groups' IDs filled in where known.
type GroupGraph struct {
	// Members holds the direct members by lower-case group ID.
	Members map[string][]GroupMember
	// Missing are groups (asked for, or linked as nested) that answered
	// 404: a role or audit item may name a group deleted since.
	Missing []string
	// Unresolved are nested groups whose ID neither a link nor their
	// login gave; their members are unknown.
	Unresolved []GroupMember
	// TooDeep are groups nested deeper than MaxGroupDepth; their members
	// are unknown.
	TooDeep []GroupMember
}

// Has reports whether the graph holds a group's members.
func (g *GroupGraph) Has(groupID string) bool {
	_, ok := g.Members[strings.ToLower(groupID)]
	return ok
}

// ExpandGroups reads the members of the groups roots and, breadth first,
// of every group nested in them, down to MaxGroupDepth; each group once per
// client (its Members list is shared by every expansion of the walk), at
// most parallel requests at a time (DefaultLookupParallelism when
// parallel <= 0). A group the graph already holds costs nothing. A group
// that answers 404 is reported in Missing; any other error ends the
// expansion.
func (c *Client) ExpandGroups(ctx context.Context, orgID string, roots []string, parallel int, into *GroupGraph) error {
	if parallel <= 0 {
		parallel = DefaultLookupParallelism
	}
	if into.Members == nil {
		into.Members = map[string][]GroupMember{}
	}
	seen := map[string]bool{}
	var level []string
	for _, id := range roots {
		if k := strings.ToLower(id); id != "" && !seen[k] {
			seen[k] = true
			level = append(level, id)
		}
	}
	for depth := 1; len(level) > 0; depth++ {
		var todo []string
		for _, id := range level {
			if !into.Has(id) && !slices.Contains(into.Missing, strings.ToLower(id)) {
				todo = append(todo, id)
			}
		}
		lists := make([][]GroupMember, len(todo))
		errs := make([]error, len(todo))
		inParallel(ctx, len(todo), parallel, func(ctx context.Context, i int) {
			lists[i], errs[i] = c.cachedGroupMembers(ctx, orgID, todo[i])
		}, func(i int, err error) { errs[i] = err })
		for i, id := range todo {
			var nf *NotFoundError
			switch {
			case errors.As(errs[i], &nf) && nf.Kind == KindGroup:
				into.Missing = append(into.Missing, strings.ToLower(id))
			case errs[i] != nil:
				return errs[i]
			default:
				into.Members[strings.ToLower(id)] = lists[i]
			}
		}
		if err := c.resolveNested(ctx, orgID, level, parallel, into); err != nil {
			return err
		}
		var next []string
		for _, id := range level {
			for _, m := range into.Members[strings.ToLower(id)] {
				if m.Kind != MemberGroup || m.ID == "" || seen[strings.ToLower(m.ID)] {
					continue
				}
				seen[strings.ToLower(m.ID)] = true
				if depth >= MaxGroupDepth && !into.Has(m.ID) {
					into.TooDeep = append(into.TooDeep, m)
					continue
				}
				next = append(next, m.ID)
			}
		}
		level = next
	}
	return nil
}

// resolveNested fills in the ID of every nested group of the level's
// groups that its link did not give, by its login (one cached lookup per
// login); a group it cannot find is added to Unresolved.
func (c *Client) resolveNested(ctx context.Context, orgID string, level []string, parallel int, into *GroupGraph) error {
	type ref struct {
		group string
		i     int
	}
	var refs []ref
	for _, id := range level {
		for i, m := range into.Members[strings.ToLower(id)] {
			if m.Kind == MemberGroup && m.ID == "" {
				refs = append(refs, ref{strings.ToLower(id), i})
			}
		}
	}
	ids := make([]string, len(refs))
	errs := make([]error, len(refs))
	inParallel(ctx, len(refs), parallel, func(ctx context.Context, j int) {
		m := into.Members[refs[j].group][refs[j].i]
		if m.Login != "" {
			ids[j], errs[j] = c.groupIDByLogin(ctx, orgID, m.Login)
		}
	}, func(j int, err error) { errs[j] = err })
	for j, r := range refs {
		if errs[j] != nil {
			return errs[j]
		}
		// The list is the cache's: copy before writing.
		ms := slices.Clone(into.Members[r.group])
		if ids[j] == "" {
			into.Unresolved = append(into.Unresolved, ms[r.i])
		}
		ms[r.i].ID = ids[j]
		into.Members[r.group] = ms
	}
	return nil
}

package vb365

// Which audit item is whose: the list embeds principal IDs in another form
// than /Users and /Groups return, so items are matched by ID, ID segment,
// Microsoft Entra object ID or name.

import (
	"context"
	"strings"
)

// Principal identifies a user or group to find among audit items. ID is the
// ID /Users or /Groups return; MSID and Name are optional fallbacks.
type Principal struct {
	Type string // AuditTypeUser or AuditTypeGroup
	ID   string
	MSID string
	Name string
}

// userPrincipal and groupPrincipal describe a looked-up principal.
func userPrincipal(u *User) Principal {
	return Principal{Type: AuditTypeUser, ID: u.ID, MSID: u.MSID, Name: u.Name}
}

func groupPrincipal(g *Group) Principal {
	return Principal{Type: AuditTypeGroup, ID: g.ID, MSID: g.MSID, Name: g.Name}
}

// Match strength of an audit item against a principal, strongest first.
const (
	matchNone = iota
	matchName
	matchMSID
	matchSegment
	matchID
)

// idMatch compares an embedded principal ID with a /Users or /Groups ID:
// equal, or equal to one of the embedded ID's ':'-separated segments (or to
// everything after the third ':', should the ID itself hold colons).
func idMatch(embedded, id string) int {
	if embedded == "" || id == "" {
		return matchNone
	}
	if strings.EqualFold(embedded, id) {
		return matchID
	}
	if !strings.Contains(embedded, ":") {
		return matchNone
	}
	for _, seg := range strings.Split(embedded, ":") {
		if strings.EqualFold(seg, id) {
			return matchSegment
		}
	}
	if parts := strings.SplitN(embedded, ":", 4); len(parts) == 4 && strings.EqualFold(parts[3], id) {
		return matchSegment
	}
	return matchNone
}

// SamePrincipalID reports whether an ID a list answered (the principal an
// audit item embeds, the nested object of a role member) names the
// principal whose /Users or /Groups ID is id: the same ID ignoring case, or
// one of the listed ID's ':'-separated segments, as in "<orgId>:1:user:<id>"
// and "<orgId>:user:<n>:<id>".
func SamePrincipalID(listed, id string) bool { return idMatch(listed, id) != matchNone }

// PrincipalIDOf returns the /Users or /Groups ID a listed ID stands for:
// the ID itself, or in a composite one (three ':' or more) everything after
// the third ':'.
func PrincipalIDOf(listed string) string {
	if parts := strings.SplitN(listed, ":", 4); len(parts) == 4 {
		return parts[3]
	}
	return listed
}

func (it *AuditItem) match(p Principal) int {
	if !strings.EqualFold(it.NormalizedType(), p.Type) {
		return matchNone
	}
	if m := idMatch(it.PrincipalID(), p.ID); m != matchNone {
		return m
	}
	if p.MSID != "" && strings.EqualFold(it.principalMSID(), p.MSID) {
		return matchMSID
	}
	if p.Name != "" && strings.EqualFold(it.PrincipalName(), p.Name) {
		// A name shared with a principal whose MSID is known and different
		// is someone else.
		if p.MSID != "" && it.principalMSID() != "" {
			return matchNone
		}
		return matchName
	}
	return matchNone
}

// MatchAuditItem returns the audit item of principal p, or nil. It prefers,
// in order: the same ID, an ID segment equal to p.ID, the same MSID, the
// same name ignoring case; the first item of the strongest kind wins.
func MatchAuditItem(items []AuditItem, p Principal) *AuditItem {
	best, bestScore := -1, matchNone
	for i := range items {
		if s := items[i].match(p); s > bestScore {
			best, bestScore = i, s
		}
	}
	if best < 0 {
		return nil
	}
	return &items[best]
}

// ResolveAuditPrincipalIDs works out, for every item, the ID that /Users or
// /Groups return for its principal, keyed by item ID. known lists IDs the
// caller expects (from configuration or state): an item whose embedded ID
// equals one or has it as a ':' segment gets that ID without a request. The
// embedded ID of any other item is taken as is when it has no ':'; a
// composite one is looked up by the principal's name (one request per such
// item, checking the MSID when both sides have one), and falls back to its
// segment 3.
func (c *Client) ResolveAuditPrincipalIDs(ctx context.Context, orgID string, items []AuditItem, knownUsers, knownGroups []string) (map[string]string, error) {
	out := make(map[string]string, len(items))
	for i := range items {
		it := &items[i]
		known := knownUsers
		if it.IsGroup() {
			known = knownGroups
		}
		embedded := it.PrincipalID()
		best, bestScore := "", matchNone
		for _, id := range known {
			if s := idMatch(embedded, id); s > bestScore {
				best, bestScore = id, s
			}
		}
		if bestScore != matchNone {
			out[it.ID] = best
			continue
		}
		if !strings.Contains(embedded, ":") {
			out[it.ID] = embedded
			continue
		}
		id, err := c.lookupPrincipalID(ctx, orgID, it)
		if err != nil {
			return nil, err
		}
		if id == "" {
			id = PrincipalIDOf(embedded)
		}
		out[it.ID] = id
	}
	return out, nil
}

// lookupPrincipalID finds the /Users or /Groups ID of an item's principal by
// its name; "" when there is no single match.
func (c *Client) lookupPrincipalID(ctx context.Context, orgID string, it *AuditItem) (string, error) {
	name, msid := it.PrincipalName(), it.principalMSID()
	switch {
	case it.IsUser() && name != "":
		users, err := c.ListUsers(ctx, orgID, UserFilter{UserName: name})
		if err != nil {
			return "", err
		}
		var found []string
		for _, u := range users {
			if strings.EqualFold(u.Name, name) && (msid == "" || u.MSID == "" || strings.EqualFold(u.MSID, msid)) {
				found = append(found, u.ID)
			}
		}
		if len(found) == 1 {
			return found[0], nil
		}
	case it.IsGroup() && (name != "" || it.PrincipalDisplayName() != ""):
		f := GroupFilter{GroupName: name}
		if name == "" {
			f = GroupFilter{DisplayName: it.PrincipalDisplayName()}
		}
		groups, err := c.ListGroups(ctx, orgID, f)
		if err != nil {
			return "", err
		}
		var found []string
		for _, g := range groups {
			same := strings.EqualFold(g.Name, name)
			if name == "" {
				same = g.DisplayName == it.PrincipalDisplayName()
			}
			if same && (msid == "" || g.MSID == "" || strings.EqualFold(g.MSID, msid)) {
				found = append(found, g.ID)
			}
		}
		if len(found) == 1 {
			return found[0], nil
		}
	}
	return "", nil
}

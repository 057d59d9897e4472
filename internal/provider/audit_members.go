package provider

// The set algebra of vb365_audit_items: an organization's audit list by
// principal, and how it differs from the configuration. Plain functions of
// their arguments, no client.

import (
	"sort"
	"strings"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// membersOf groups the audit items by principal; resolved maps each item ID
// to the principal ID that /Users or /Groups uses
// (vb365.Client.ResolveAuditPrincipalIDs).
func membersOf(items []vb365.AuditItem, resolved map[string]string) auditMembers {
	m := auditMembers{users: map[string]auditMember{}, groups: map[string]auditMember{}}
	for _, it := range items {
		var dst map[string]auditMember
		switch {
		case it.IsUser():
			dst = m.users
		case it.IsGroup():
			dst = m.groups
		default:
			m.other = append(m.other, it)
			continue
		}
		id := resolved[it.ID]
		k := strings.ToLower(id)
		mem := dst[k]
		if mem.id == "" {
			mem.id = id
		}
		mem.itemIDs = append(mem.itemIDs, it.ID)
		dst[k] = mem
	}
	return m
}

// auditMembers is an organization's audit list by principal: the item IDs
// of each user and group, keyed by the principal ID in lower case.
type auditMembers struct {
	users, groups map[string]auditMember
	// other holds items whose kind this provider does not know (neither
	// their type nor their embedded object says user or group). They are
	// never removed: the configuration cannot name them.
	other []vb365.AuditItem
}

type auditMember struct {
	id      string   // the principal ID (the caller's spelling when known)
	itemIDs []string // normally one
}

func (m auditMembers) ids(group bool) []string {
	src := m.users
	if group {
		src = m.groups
	}
	out := make([]string, 0, len(src))
	for _, mem := range src {
		out = append(out, mem.id)
	}
	sort.Strings(out)
	return out
}

// extraItems are the item IDs of principals that are not wanted.
func extraItems(m auditMembers, wantUsers, wantGroups []string) []string {
	var out []string
	for _, side := range []struct {
		have map[string]auditMember
		want []string
	}{{m.users, wantUsers}, {m.groups, wantGroups}} {
		want := map[string]bool{}
		for _, id := range side.want {
			want[strings.ToLower(id)] = true
		}
		keys := make([]string, 0, len(side.have))
		for k := range side.have {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !want[k] {
				out = append(out, side.have[k].itemIDs...)
			}
		}
	}
	return out
}

// diffMembers compares the list with the wanted principals.
func diffMembers(m auditMembers, wantUsers, wantGroups []string) (missing, unexpected []string) {
	for _, side := range []struct {
		kind string
		have map[string]auditMember
		want []string
	}{{"user", m.users, wantUsers}, {"group", m.groups, wantGroups}} {
		want := map[string]bool{}
		for _, id := range side.want {
			want[strings.ToLower(id)] = true
			if _, ok := side.have[strings.ToLower(id)]; !ok {
				missing = append(missing, side.kind+" "+id)
			}
		}
		for k, mem := range side.have {
			if !want[k] {
				unexpected = append(unexpected, side.kind+" "+mem.id)
			}
		}
	}
	sort.Strings(missing)
	sort.Strings(unexpected)
	return missing, unexpected
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

package vb365

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The rules of restore access on hand-made facts: no server.

func ruleUser(id, name string) RoleMember {
	return RoleMember{Kind: MemberUser, ID: id, PrincipalID: id, Name: name}
}

func ruleGroup(id, name string) RoleMember {
	return RoleMember{Kind: MemberGroup, ID: id, PrincipalID: id, Name: name}
}

func ruleRole(name, roleType string) RestoreOperatorRole {
	return RestoreOperatorRole{ID: "role-" + strings.ToLower(strings.ReplaceAll(name, " ", "-")), Name: name, RoleType: roleType}
}

// ruleFacts is an organization of users ceo, adele, alex, megan, nestor;
// groups Executives (ceo, adele, Finance), Finance (alex, Executives: a
// cycle), HR (megan, known by login only), Board (nested in nothing,
// holding a group too deep to see); a site; and five roles.
func ruleFacts() AccessFacts {
	return AccessFacts{
		Groups: GroupGraph{Members: map[string][]GroupMember{
			"execs": {
				{Kind: MemberUser, ID: "ceo", Login: "ceo@c", Name: "Chief Executive"},
				{Kind: MemberUser, ID: "adele", Login: "adele@c"},
				{Kind: MemberGroup, ID: "fin", Login: "finance@c"},
			},
			"fin": {
				{Kind: MemberUser, ID: "alex", Login: "alex@c"},
				{Kind: MemberGroup, ID: "EXECS", Login: "executives@c"},
			},
			"hr": {{Kind: MemberUser, Login: "Megan@C", Name: "Megan Bowen"}},
		}},
		Roles: []RoleGrant{
			{Role: ruleRole("Everyone", RoleEntireOrganization), Excluded: []RoleMember{ruleGroup("execs", "executives@c")}, Operators: []RoleMember{ruleUser("nestor", "nestor@c")}},
			{Role: ruleRole("Finance data", RoleSpecificObjects), Selected: []RoleMember{ruleGroup("fin", "finance@c")}, Operators: []RoleMember{ruleGroup("hr", "hr@c"), ruleUser("nestor", "nestor@c")}},
			{Role: ruleRole("CEO direct", RoleSpecificObjects), Selected: []RoleMember{ruleUser("org:1:user:CEO", "ceo@c")}, Operators: []RoleMember{ruleUser("nestor", "nestor@c")}},
			{Role: ruleRole("Adele only", RoleSpecificObjects), Selected: []RoleMember{ruleUser("adele", "adele@c")}, Operators: []RoleMember{ruleUser("alex", "alex@c")}},
			{Role: ruleRole("Finance but the CEO", RoleSpecificObjects), Selected: []RoleMember{ruleGroup("fin", "finance@c")}, Excluded: []RoleMember{ruleUser("ceo", "ceo@c")}, Operators: []RoleMember{ruleUser("adele", "adele@c")}},
		},
		Audit: []AuditItem{
			{ID: "a1", Type: AuditTypeUser, User: &User{ID: "adele", Name: "adele@c"}},
			{ID: "a2", Type: AuditTypeGroup, Group: &Group{ID: "org:1:group:hr", Name: "hr@c"}},
		},
	}
}

// render writes an answer compactly: roles as "name:reason[via>via]",
// operators as "name(roles|via)".
func render(a RestoreAccess) (roles, excluded, ops []string, audit string) {
	ra := func(rs []RoleAccess) []string {
		var out []string
		for _, r := range rs {
			s := r.Role.Name + ":" + r.Reason
			if len(r.Via) > 0 {
				s += "[" + strings.Join(r.Via, ">") + "]"
			}
			out = append(out, s)
		}
		return out
	}
	for _, o := range a.Operators {
		ops = append(ops, fmt.Sprintf("%s(%s|%s)", o.Name, strings.Join(o.Roles, ","), strings.Join(o.ViaGroups, ",")))
	}
	audit = "null"
	if a.Audited != nil {
		audit = fmt.Sprint(*a.Audited)
		if a.AuditedWhy != "" {
			audit += ":" + a.AuditedWhy
		}
		if len(a.AuditedVia) > 0 {
			audit += "[" + strings.Join(a.AuditedVia, ">") + "]"
		}
	}
	return ra(a.Roles), ra(a.Excluded), ops, audit
}

func TestResolveRestoreAccess(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		principal            AccessPrincipal
		roles, excluded, ops []string
		audit                string
		change               func(*AccessFacts)
		incomplete           int
	}{
		{
			name:      "the chief executive: selected directly and through a nested group, excluded directly and through a group",
			principal: AccessPrincipal{Kind: KindUser, ID: "ceo", Name: "ceo@c"},
			roles:     []string{"CEO direct:selected", "Finance data:selected_through_group[finance@c>executives@c]"},
			excluded:  []string{"Everyone:excluded_through_group[executives@c]", "Finance but the CEO:excluded"},
			ops:       []string{"Megan@C(Finance data|hr@c)", "nestor@c(CEO direct,Finance data|)"},
			audit:     "false",
		},
		{
			name:      "a member of the cycle's other group: selected through Finance, excluded through Executives that holds Finance",
			principal: AccessPrincipal{Kind: KindUser, ID: "alex", Name: "alex@c"},
			roles:     []string{"Finance but the CEO:selected_through_group[finance@c]", "Finance data:selected_through_group[finance@c]"},
			excluded:  []string{"Everyone:excluded_through_group[executives@c>finance@c]"},
			ops:       []string{"adele@c(Finance but the CEO|)", "Megan@C(Finance data|hr@c)", "nestor@c(Finance data|)"},
			audit:     "false",
		},
		{
			name:      "a member known by login only, audited through a group given in composite form",
			principal: AccessPrincipal{Kind: KindUser, ID: "megan", Name: "megan@c"},
			roles:     []string{"Everyone:entire_organization"},
			ops:       []string{"nestor@c(Everyone|)"},
			audit:     "true:audited_through_group[hr@c]",
		},
		{
			name:      "audited directly, selected directly and through the cycle",
			principal: AccessPrincipal{Kind: KindUser, ID: "adele", Name: "adele@c"},
			roles:     []string{"Adele only:selected", "Finance but the CEO:selected_through_group[finance@c>executives@c]", "Finance data:selected_through_group[finance@c>executives@c]"},
			excluded:  []string{"Everyone:excluded_through_group[executives@c]"},
			ops:       []string{"adele@c(Finance but the CEO|)", "alex@c(Adele only|)", "Megan@C(Finance data|hr@c)", "nestor@c(Finance data|)"},
			audit:     "true:audited",
		},
		{
			name:      "a group: excluded as itself, selected as a member of a group",
			principal: AccessPrincipal{Kind: KindGroup, ID: "execs", Name: "executives@c"},
			roles:     []string{"Finance but the CEO:selected_through_group[finance@c]", "Finance data:selected_through_group[finance@c]"},
			excluded:  []string{"Everyone:excluded"},
			ops:       []string{"adele@c(Finance but the CEO|)", "Megan@C(Finance data|hr@c)", "nestor@c(Finance data|)"},
			audit:     "false",
		},
		{
			name:      "a site: only the entire organization; no audit item can name it",
			principal: AccessPrincipal{Kind: KindSite, ID: "site1", Name: "https://c.sharepoint.com/sites/x"},
			roles:     []string{"Everyone:entire_organization"},
			ops:       []string{"nestor@c(Everyone|)"},
			audit:     "null",
			change:    func(f *AccessFacts) { f.Audit = nil },
		},
		{
			name:      "a user no group lists: the entire organization only",
			principal: AccessPrincipal{Kind: KindUser, ID: "nobody", Name: "nobody@c"},
			roles:     []string{"Everyone:entire_organization"},
			ops:       []string{"nestor@c(Everyone|)"},
			audit:     "false",
		},
		{
			name:      "what the graph could not see is said",
			principal: AccessPrincipal{Kind: KindUser, ID: "nobody", Name: "nobody@c"},
			roles:     []string{"Everyone:entire_organization"},
			ops:       []string{"nestor@c(Everyone|)"},
			audit:     "false",
			change: func(f *AccessFacts) {
				f.Groups.TooDeep = []GroupMember{{Kind: MemberGroup, ID: "deep", Login: "deep@c"}}
				f.Groups.Unresolved = []GroupMember{{Kind: MemberGroup, Login: "lost@c"}, {Kind: MemberGroup, Login: "lost@c"}}
			},
			incomplete: 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := ruleFacts()
			f.Principal = tc.principal
			if tc.change != nil {
				tc.change(&f)
			}
			got := ResolveRestoreAccess(&f)
			roles, excluded, ops, audit := render(got)
			for _, c := range []struct {
				what      string
				got, want []string
			}{{"roles", roles, tc.roles}, {"excluded", excluded, tc.excluded}, {"operators", ops, tc.ops}} {
				if !slices.Equal(c.got, c.want) {
					t.Errorf("%s:\n got %q\nwant %q", c.what, c.got, c.want)
				}
			}
			if audit != tc.audit {
				t.Errorf("audit = %s, want %s", audit, tc.audit)
			}
			if len(got.Incomplete) != tc.incomplete {
				t.Errorf("incomplete = %q, want %d notes", got.Incomplete, tc.incomplete)
			}
		})
	}
}

// TestResolveRestoreAccessOperatorIDs: an operator named by a role and
// reached through a group is one operator, keyed by its address, with the
// /Users ID the role gives.
func TestResolveRestoreAccessOperatorIDs(t *testing.T) {
	f := AccessFacts{
		Principal: AccessPrincipal{Kind: KindUser, ID: "x", Name: "x@c"},
		Groups:    GroupGraph{Members: map[string][]GroupMember{"ops": {{Kind: MemberUser, Login: "ANNA@c", Name: "Anna"}}}},
		Roles: []RoleGrant{{Role: ruleRole("All", RoleEntireOrganization),
			Operators: []RoleMember{ruleGroup("ops", "ops@c"), {Kind: MemberUser, PrincipalID: "anna-id", Name: "anna@c", DisplayName: "Anna A."}}}},
	}
	got := ResolveRestoreAccess(&f)
	if len(got.Operators) != 1 {
		t.Fatalf("operators: %+v", got.Operators)
	}
	o := got.Operators[0]
	if o.ID != "anna-id" || o.DisplayName != "Anna" || !slices.Equal(o.ViaGroups, []string{"ops@c"}) || !slices.Equal(o.RoleIDs, []string{"role-all"}) {
		t.Fatalf("operator: %+v", o)
	}
}

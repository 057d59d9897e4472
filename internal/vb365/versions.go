package vb365

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// APIVersion names a VB365 REST API version, the path prefix of every call.
type APIVersion string

const (
	V6 APIVersion = "v6"
	V7 APIVersion = "v7"
	V8 APIVersion = "v8"

	// DefaultAPIVersion is what a VB365 8.x server serves natively.
	DefaultAPIVersion = V8
)

// versionSpec holds every difference between the API versions that the
// client cares about. Nothing else in the package branches on a version.
type versionSpec struct {
	// organizationsPaged: GET /Organizations answers a page object (v8)
	// rather than a bare array (v6, v7).
	organizationsPaged bool
	// antiforgeryField: the token endpoint takes disable_antiforgery_token (v7+).
	antiforgeryField bool
	// emailOAuth: both e-mail settings have authenticationType, userId,
	// requestId, mailApiUrl and the OAuth sign-in operations (v7+).
	emailOAuth bool

	// The write operations: path and success status.
	auditItemsAdd    op // below Organizations/{organizationId}/
	auditItemsRemove op // below Organizations/{organizationId}/
	auditEmailPut    op
	auditEmailTest   op
	jobEmailPut      op // also the path of the GET
	jobEmailTest     op
	roleCreate       op // below Organizations/{organizationId}/
	// rbacTeams: restore operator role items may be teams (v7+).
	rbacTeams bool

	// explorerEmail: per Explorer, the PUT of its mail account (also the
	// path of the GET) and its test mail. explorerEmailOAuth: the accounts
	// have userId, mailApiUrl, requestId and the OAuth sign-in (v8).
	explorerEmail      map[Explorer]explorerEmailOps
	explorerEmailOAuth bool
	// protectedData: /ProtectedUsers, /ProtectedGroups, /ProtectedSites and
	// /ProtectedTeams exist (v8); before, /LicensedUsers answers for users.
	protectedData bool
	// restorePortalURI: RESTRestorePortalSettings has restorePortalUri (v7+).
	restorePortalURI bool

	// Backup repositories and proxies (backup_repositories.go, proxies.go).
	// infrastructure: GET /BackupRepositories and /Proxies are spoken (v6+;
	// the v5 shapes are unknown).
	infrastructure bool
	// repositoriesPaged, proxiesPaged: the lists answer pages (v8) rather
	// than bare arrays (v6, v7).
	repositoriesPaged bool
	proxiesPaged      bool
	// repositoryScopeFilters: GET /BackupRepositories takes organizationId
	// and proxyPoolId, and repositories carry both (v8).
	repositoryScopeFilters bool
	// objectStorages: where a repository's objectStorageId is read (v6, v7:
	// GET objectstoragerepositories and .../{id}); empty when the
	// repository embeds its objectStorage (v8).
	objectStorages op
	// proxiesExtendedView: GET /Proxies takes extendedView (v6, v7); the
	// client sends false, so the server does not ask every proxy.
	proxiesExtendedView bool
}

// explorerEmailOps are the writes of one Explorer's mail account.
type explorerEmailOps struct{ put, test op }

// op is how a version spells one operation: its path below the version
// prefix (or below the organization, where noted) and the status it answers
// on success. A new operation adds one op field and a line per version.
type op struct {
	path   string
	status int
}

var versions = map[APIVersion]versionSpec{
	V6: {
		auditItemsAdd:    op{"AuditItems", http.StatusCreated},
		auditItemsRemove: op{"AuditItems/remove", http.StatusOK},
		auditEmailPut:    op{"AuditEmailSettings", http.StatusOK},
		auditEmailTest:   op{"AuditEmailSettings/SendTest", http.StatusOK},
		jobEmailPut:      op{"VboEmailSettings", http.StatusOK},
		jobEmailTest:     op{"VboEmailSettings/SendTest", http.StatusOK},
		roleCreate:       op{"RbacRoles", http.StatusOK},
		explorerEmail: map[Explorer]explorerEmailOps{
			ExplorerExchange:   {op{"VexEmailSettings", http.StatusOK}, op{"VexEmailSettings/SendTest", http.StatusOK}},
			ExplorerOneDrive:   {op{"VeodEmailSettings", http.StatusOK}, op{"VeodEmailSettings/SendTestEmail", http.StatusOK}},
			ExplorerSharePoint: {op{"VespEmailSettings", http.StatusOK}, op{"VespEmailSettings/SendTestEmail", http.StatusOK}},
			ExplorerTeams:      {op{"VetEmailSettings", http.StatusOK}, op{"VetEmailSettings/sendTest", http.StatusOK}},
		},

		infrastructure:      true,
		objectStorages:      op{"objectstoragerepositories", http.StatusOK},
		proxiesExtendedView: true,
	},
	V7: {
		rbacTeams:        true,
		restorePortalURI: true,
		antiforgeryField: true,
		emailOAuth:       true,
		auditItemsAdd:    op{"AuditItems", http.StatusCreated},
		auditItemsRemove: op{"AuditItems/remove", http.StatusOK},
		auditEmailPut:    op{"AuditEmailSettings", http.StatusOK},
		auditEmailTest:   op{"AuditEmailSettings/SendTest", http.StatusOK},
		jobEmailPut:      op{"VboEmailSettings", http.StatusOK},
		jobEmailTest:     op{"VboEmailSettings/SendTest", http.StatusOK},
		roleCreate:       op{"RbacRoles", http.StatusOK},
		explorerEmail: map[Explorer]explorerEmailOps{
			ExplorerExchange:   {op{"VexEmailSettings", http.StatusOK}, op{"VexEmailSettings/SendTest", http.StatusOK}},
			ExplorerOneDrive:   {op{"VeodEmailSettings", http.StatusOK}, op{"VeodEmailSettings/SendTestEmail", http.StatusOK}},
			ExplorerSharePoint: {op{"VespEmailSettings", http.StatusOK}, op{"VespEmailSettings/SendTestEmail", http.StatusOK}},
			ExplorerTeams:      {op{"VetEmailSettings", http.StatusOK}, op{"VetEmailSettings/sendTest", http.StatusOK}},
		},

		infrastructure:      true,
		objectStorages:      op{"objectstoragerepositories", http.StatusOK},
		proxiesExtendedView: true,
	},
	V8: {
		rbacTeams:          true,
		protectedData:      true,
		restorePortalURI:   true,
		organizationsPaged: true,
		antiforgeryField:   true,
		emailOAuth:         true,
		auditItemsAdd:      op{"AuditItems", http.StatusNoContent},
		auditItemsRemove:   op{"AuditItems/remove", http.StatusNoContent},
		auditEmailPut:      op{"AuditEmailSettings", http.StatusNoContent},
		auditEmailTest:     op{"AuditEmailSettings/SendTestEmail", http.StatusNoContent},
		jobEmailPut:        op{"VboEmailSettings", http.StatusNoContent},
		jobEmailTest:       op{"VboEmailSettings/SendTestEmail", http.StatusNoContent},
		roleCreate:         op{"RbacRoles", http.StatusCreated},
		explorerEmailOAuth: true,
		explorerEmail: map[Explorer]explorerEmailOps{
			ExplorerExchange:   {op{"VexEmailSettings", http.StatusNoContent}, op{"VexEmailSettings/SendTestEmail", http.StatusNoContent}},
			ExplorerOneDrive:   {op{"VeodEmailSettings", http.StatusNoContent}, op{"VeodEmailSettings/SendTestEmail", http.StatusNoContent}},
			ExplorerSharePoint: {op{"VespEmailSettings", http.StatusNoContent}, op{"VespEmailSettings/SendTestEmail", http.StatusNoContent}},
			ExplorerTeams:      {op{"VetEmailSettings", http.StatusNoContent}, op{"VetEmailSettings/SendTestEmail", http.StatusNoContent}},
		},

		infrastructure:         true,
		repositoriesPaged:      true,
		proxiesPaged:           true,
		repositoryScopeFilters: true,
	},
}

// SupportedAPIVersions lists the versions the client speaks, oldest first.
func SupportedAPIVersions() []string {
	out := make([]string, 0, len(versions))
	for v := range versions {
		out = append(out, string(v))
	}
	sort.Strings(out)
	return out
}

// ParseAPIVersion accepts "v8", "V8" or "8".
func ParseAPIVersion(s string) (APIVersion, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return DefaultAPIVersion, nil
	}
	if !strings.HasPrefix(s, "v") {
		s = "v" + s
	}
	if _, ok := versions[APIVersion(s)]; !ok {
		return "", fmt.Errorf("unsupported VB365 REST API version %q: supported are %s", s, strings.Join(SupportedAPIVersions(), ", "))
	}
	return APIVersion(s), nil
}

// SupportsEmailOAuth reports whether the version has the Microsoft 365
// and Google Gmail sign-in for audit e-mails (v7 and later).
func (v APIVersion) SupportsEmailOAuth() bool { return versions[v].emailOAuth }

// SupportsRoleTeams reports whether restore operator roles may hold teams
// (v7 and later).
func (v APIVersion) SupportsRoleTeams() bool { return versions[v].rbacTeams }

// SupportsExplorerEmail reports whether the version has the Explorers' mail
// accounts (/VexEmailSettings and the three others).
func (v APIVersion) SupportsExplorerEmail() bool { return len(versions[v].explorerEmail) > 0 }

// SupportsExplorerEmailOAuth reports whether the Explorers' mail accounts
// have the Microsoft 365 and Google Gmail sign-in (v8 and later).
func (v APIVersion) SupportsExplorerEmailOAuth() bool { return versions[v].explorerEmailOAuth }

// SupportsProtectedData reports whether the version has the protected-data
// lists (/ProtectedUsers, /ProtectedGroups, /ProtectedSites,
// /ProtectedTeams): v8. Before, only /LicensedUsers says whether a user is
// backed up.
func (v APIVersion) SupportsProtectedData() bool { return versions[v].protectedData }

// SupportsRestorePortalURI reports whether the Restore Portal settings carry
// the portal's address (restorePortalUri): v7 and later.
func (v APIVersion) SupportsRestorePortalURI() bool { return versions[v].restorePortalURI }

// SupportsBackupInfrastructure reports whether the version serves the
// backup repository and proxy lists the data sources read (v6 and later).
func (v APIVersion) SupportsBackupInfrastructure() bool { return versions[v].infrastructure }

// SupportsRepositoryScope reports whether backup repositories carry, and
// can be filtered by, an organization and a proxy pool (v8).
func (v APIVersion) SupportsRepositoryScope() bool { return versions[v].repositoryScopeFilters }

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

	// Backup jobs (backup_jobs.go). jobsPaged: GET /Jobs and the item
	// lists answer pages, the organization is a query filter of /Jobs and
	// the job carries organizationId (v8); before, they are arrays and an
	// organization's jobs are Organizations/{organizationId}/Jobs.
	jobsPaged bool
	// jobHours12: periodicallyEvery may be Hours12 (v8).
	jobHours12 bool
	// jobTeams: job items may be teams (every version's document has them).
	jobTeams bool
	// jobCreate's path may hold {organizationId}; jobStart answers a
	// RESTJobSession with 200 in v8, nothing with 204 before.
	jobCreate op
	jobStart  op
}

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
		jobTeams:         true,
		jobCreate:        op{"Organizations/{organizationId}/Jobs", http.StatusOK},
		jobStart:         op{"start", http.StatusNoContent},
	},
	V7: {
		rbacTeams:        true,
		antiforgeryField: true,
		emailOAuth:       true,
		auditItemsAdd:    op{"AuditItems", http.StatusCreated},
		auditItemsRemove: op{"AuditItems/remove", http.StatusOK},
		auditEmailPut:    op{"AuditEmailSettings", http.StatusOK},
		auditEmailTest:   op{"AuditEmailSettings/SendTest", http.StatusOK},
		jobEmailPut:      op{"VboEmailSettings", http.StatusOK},
		jobEmailTest:     op{"VboEmailSettings/SendTest", http.StatusOK},
		roleCreate:       op{"RbacRoles", http.StatusOK},
		jobTeams:         true,
		jobCreate:        op{"Organizations/{organizationId}/Jobs", http.StatusOK},
		jobStart:         op{"start", http.StatusNoContent},
	},
	V8: {
		rbacTeams:          true,
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
		jobsPaged:          true,
		jobHours12:         true,
		jobTeams:           true,
		jobCreate:          op{"Jobs", http.StatusCreated},
		jobStart:           op{"start", http.StatusOK},
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

// SupportsJobTeams reports whether backup job items may be teams (every
// version the client speaks: the v6, v7 and v8 documents all have them).
func (v APIVersion) SupportsJobTeams() bool { return versions[v].jobTeams }

// SupportsHours12 reports whether a backup job may run every 12 hours
// (periodicallyEvery Hours12, v8).
func (v APIVersion) SupportsHours12() bool { return versions[v].jobHours12 }

// SupportsBackupJobs reports whether the version has backup jobs (a job
// create operation in its row: v6 and later). vb365_backup_job, its
// actions, list resource and vb365_backup_jobs need it.
func (v APIVersion) SupportsBackupJobs() bool { return versions[v].jobCreate.path != "" }

package vb365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Backup jobs: which data of an organization VB365 backs up (the backup
// type, and the selected and excluded items of backup_job_items.go), when
// (backup_job_schedule.go) and to which repository. v6 and v7 list an
// organization's jobs below it and answer arrays; v8 lists /Jobs with the
// organization as a filter, answers pages, and names the organization in
// each job (versions.go, jobsPaged).

// Backup types (RESTJob.backupType).
const (
	JobEntireOrganization = "EntireOrganization"
	JobSelectedItems      = "SelectedItems"
)

// BackupJob is RESTJob without its items.
type BackupJob struct {
	ID             string
	OrganizationID string
	RepositoryID   string
	Name           string
	Description    string
	BackupType     string
	// Enabled is false when the server says so or says nothing (null).
	Enabled    bool
	Schedule   JobSchedule
	LastStatus string
	LastRun    string
	NextRun    string
}

type jobWire struct {
	ID             string           `json:"id"`
	OrganizationID string           `json:"organizationId"`
	RepositoryID   string           `json:"repositoryId"`
	Name           string           `json:"name"`
	Description    string           `json:"description"`
	BackupType     string           `json:"backupType"`
	IsEnabled      *bool            `json:"isEnabled"`
	SchedulePolicy json.RawMessage  `json:"schedulePolicy"`
	LastStatus     string           `json:"lastStatus"`
	LastRun        string           `json:"lastRun"`
	NextRun        string           `json:"nextRun"`
	Links          map[string]*Link `json:"_links"`
}

// job reads a RESTJob; orgID fills in the organization where the answer
// has none (v6 and v7 jobs do not name it; their _links may).
func (w *jobWire) job(orgID string) (BackupJob, error) {
	j := BackupJob{ID: w.ID, OrganizationID: w.OrganizationID, RepositoryID: w.RepositoryID, Name: w.Name, Description: w.Description,
		BackupType: w.BackupType, Enabled: w.IsEnabled != nil && *w.IsEnabled, LastStatus: w.LastStatus, LastRun: w.LastRun, NextRun: w.NextRun}
	if j.OrganizationID == "" {
		j.OrganizationID = orgID
	}
	if j.OrganizationID == "" {
		j.OrganizationID = organizationOfLinks(w.Links)
	}
	s, err := decodeSchedule(w.SchedulePolicy)
	j.Schedule = s
	return j, err
}

// organizationOfLinks is the organization ID in an "organization" link
// (".../Organizations/{id}"), or "".
func organizationOfLinks(links map[string]*Link) string {
	for k, l := range links {
		if !strings.EqualFold(k, "organization") || l == nil {
			continue
		}
		segs := strings.Split(strings.Trim(l.Href, "/"), "/")
		for i := 0; i+1 < len(segs); i++ {
			if strings.EqualFold(segs[i], "Organizations") {
				if id, err := url.PathUnescape(segs[i+1]); err == nil {
					return id
				}
			}
		}
	}
	return ""
}

func jobPath(jobID string) string { return "Jobs/" + escape(jobID) }

// JobFilter narrows ListBackupJobs. Empty fields are no filter.
type JobFilter struct {
	OrganizationID string
	RepositoryID   string
}

// ListBackupJobs lists backup jobs, of one organization or of all, of one
// repository or of all. The repository filter is asked of the server where
// the version has it (v8) and applied to the answer in every version. An
// organization's list is the shared one (ListOrganizationJobs). Without an
// organization, v6 and v7 cost one list of the organizations and one job
// list per organization, so that every job names its organization.
func (c *Client) ListBackupJobs(ctx context.Context, f JobFilter) ([]BackupJob, error) {
	var jobs []BackupJob
	switch {
	case f.OrganizationID != "":
		j, err := c.ListOrganizationJobs(ctx, f.OrganizationID)
		if err != nil {
			return nil, err
		}
		jobs = j
	case c.spec.jobsPaged:
		q := url.Values{}
		if f.RepositoryID != "" {
			q.Set("repositoryId", f.RepositoryID)
		}
		j, err := c.fetchJobPages(ctx, q, "")
		if err != nil {
			return nil, err
		}
		jobs = j
	default:
		orgs, err := c.ListOrganizations(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			j, err := c.ListOrganizationJobs(ctx, o.ID)
			if err != nil {
				return nil, err
			}
			jobs = append(jobs, j...)
		}
	}
	if f.RepositoryID == "" {
		return jobs, nil
	}
	out := jobs[:0:0]
	for _, j := range jobs {
		if strings.EqualFold(j.RepositoryID, f.RepositoryID) {
			out = append(out, j)
		}
	}
	return out, nil
}

// ListOrganizationJobs lists an organization's jobs. The list is shared
// between concurrent callers of this client as the role list is
// (listCache): N jobs of one organization read in one run cost one list.
// An unknown organization is a *NotFoundError of KindOrganization.
func (c *Client) ListOrganizationJobs(ctx context.Context, orgID string) ([]BackupJob, error) {
	return c.jobs.list(ctx, orgID, func(ctx context.Context) ([]BackupJob, error) {
		return c.fetchOrgJobs(ctx, orgID)
	})
}

// fetchOrgJobs lists an organization's jobs without the shared cache: what
// a write's own check must see is the server's list now.
func (c *Client) fetchOrgJobs(ctx context.Context, orgID string) ([]BackupJob, error) {
	if c.spec.jobsPaged {
		jobs, err := c.fetchJobPages(ctx, url.Values{"organizationId": {orgID}}, orgID)
		return jobs, listError(err, orgID)
	}
	var ws []jobWire
	if err := c.do(ctx, request{method: http.MethodGet, path: orgPath(orgID, op{path: "Jobs"}), wantStatus: http.StatusOK, idempotent: true}, &ws); err != nil {
		return nil, listError(err, orgID)
	}
	return c.jobsOf(ws, orgID)
}

// fetchJobPages reads every page of GET /Jobs (v8). With orgID, a job that
// names another organization is dropped: the filter asked of the server is
// enforced here too.
func (c *Client) fetchJobPages(ctx context.Context, q url.Values, orgID string) ([]BackupJob, error) {
	ws, err := allPages(listPages[jobWire](ctx, c, "Jobs", q, maxPageSize))
	if err != nil {
		return nil, err
	}
	jobs, err := c.jobsOf(ws, "")
	if err != nil || orgID == "" {
		return jobs, err
	}
	out := jobs[:0:0]
	for _, j := range jobs {
		if j.OrganizationID == "" || strings.EqualFold(j.OrganizationID, orgID) {
			j.OrganizationID = orgID
			out = append(out, j)
		}
	}
	return out, nil
}

func (c *Client) jobsOf(ws []jobWire, orgID string) ([]BackupJob, error) {
	out := make([]BackupJob, 0, len(ws))
	for i := range ws {
		j, err := ws[i].job(orgID)
		if err != nil {
			return nil, &BadAnswerError{Method: http.MethodGet, Path: "/" + string(c.version) + "/Jobs", Status: http.StatusOK, Reason: fmt.Sprintf("job %s: %v", ws[i].ID, err)}
		}
		out = append(out, j)
	}
	return out, nil
}

// FindBackupJob returns a job of an organization from the shared list. A
// job the list lacks is asked for by ID before it is reported missing (as
// FindRestoreOperatorRole does): a short answer of a list must not make a
// caller drop a job that exists and create it again. A missing job is a
// *NotFoundError of KindJob (after GET /Jobs/{id} answered 404).
func (c *Client) FindBackupJob(ctx context.Context, orgID, jobID string) (*BackupJob, error) {
	jobs, err := c.ListOrganizationJobs(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for i := range jobs {
		if strings.EqualFold(jobs[i].ID, jobID) {
			return &jobs[i], nil
		}
	}
	j, err := c.GetBackupJob(ctx, jobID)
	if err != nil {
		var nf *NotFoundError
		if errors.As(err, &nf) && nf.Kind == KindJob {
			nf.Scope = "in organization " + orgID
		}
		return nil, err
	}
	if j.OrganizationID == "" {
		j.OrganizationID = orgID
	}
	c.log.Debug(ctx, "VB365 backup job missing from the organization's list, found by ID", map[string]any{
		"organization_id": orgID, "job_id": jobID, "listed": len(jobs),
	})
	return j, nil
}

// GetBackupJob returns a job by ID; a missing job is a *NotFoundError of
// KindJob. Its OrganizationID is empty when the answer names none (v6 and
// v7 jobs without an organization link): FindJobOrganization finds it.
func (c *Client) GetBackupJob(ctx context.Context, jobID string) (*BackupJob, error) {
	var w jobWire
	if err := c.do(ctx, request{method: http.MethodGet, path: jobPath(jobID), wantStatus: http.StatusOK, idempotent: true}, &w); err != nil {
		return nil, jobError(err, jobID)
	}
	if err := c.checkID(jobPath(jobID), "backup job", jobID, w.ID); err != nil {
		return nil, err
	}
	j, err := w.job("")
	if err != nil {
		return nil, &BadAnswerError{Method: http.MethodGet, Path: "/" + string(c.version) + "/" + jobPath(jobID), Status: http.StatusOK, Reason: err.Error()}
	}
	return &j, nil
}

// FindJobOrganization returns the job with its organization (for an
// import by job ID): the job's own answer where it names it (v8, or an
// organization link), otherwise the organization whose job list holds it.
func (c *Client) FindJobOrganization(ctx context.Context, jobID string) (*BackupJob, error) {
	j, err := c.GetBackupJob(ctx, jobID)
	if err != nil || j.OrganizationID != "" {
		return j, err
	}
	orgs, err := c.ListOrganizations(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		jobs, err := c.ListOrganizationJobs(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		for _, listed := range jobs {
			if strings.EqualFold(listed.ID, jobID) {
				j.OrganizationID = o.ID
				return j, nil
			}
		}
	}
	return nil, fmt.Errorf("%w: backup job %s is in no organization's job list", ErrBadAnswer, jobID)
}

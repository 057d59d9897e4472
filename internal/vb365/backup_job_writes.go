package vb365

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// The writes to a backup job: create (safe to repeat, never taking over
// another's job), update, enable and disable, delete, start and stop.

// JobCreate is a new job: its settings and items. A SelectedItems job is
// created with its selected items (the server needs at least one).
type JobCreate struct {
	Name, Description, BackupType, RepositoryID string
	Enabled                                     bool
	// Schedule nil leaves the server's default schedule.
	Schedule           *JobSchedule
	Selected, Excluded []JobItemEntry
}

func (c *Client) createBody(orgID string, jc JobCreate) (map[string]any, error) {
	body := map[string]any{
		"name": jc.Name, "description": jc.Description, "backupType": jc.BackupType, "repositoryId": jc.RepositoryID,
		"isEnabled": jc.Enabled, "runNow": false,
		"selectedItems": itemWires(jc.Selected), "excludedItems": itemWires(jc.Excluded),
	}
	if c.spec.jobsPaged {
		body["organizationId"] = orgID
	}
	if jc.Schedule != nil {
		if err := jc.Schedule.check(c.spec, c.version); err != nil {
			return nil, err
		}
		p, err := jc.Schedule.encode()
		if err != nil {
			return nil, err
		}
		body["schedulePolicy"] = p
	}
	return body, nil
}

// CreateBackupJob creates a job with its items and returns it as the
// server answered.
//
// It never takes over a job it did not make, as CreateRestoreOperatorRole
// never takes over a role: a name that a job of the organization already
// has (ignoring case) is refused before anything is sent, with a
// *JobNameTakenError naming that job (the shared list is asked). The POST
// is safe to repeat: after a failure that may have created the job anyway
// (a 5xx, a lost answer) the client lists the organization's jobs again,
// without the cache, and adopts a job of that name only when it is the one
// that was sent (same description, type, repository and items); one that is
// not, made by someone else while the create was under way, is a
// *JobNameTakenError too. When the list shows no job of the name, the POST
// is sent again (up to MaxRetries times).
func (c *Client) CreateBackupJob(ctx context.Context, orgID string, jc JobCreate) (*BackupJob, error) {
	if err := c.checkItems(jc.Selected, jc.Excluded); err != nil {
		return nil, err
	}
	body, err := c.createBody(orgID, jc)
	if err != nil {
		return nil, err
	}
	jobs, err := c.ListOrganizationJobs(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		if strings.EqualFold(j.Name, jc.Name) {
			return nil, &JobNameTakenError{OrganizationID: orgID, Name: jc.Name, Job: j}
		}
	}
	path := strings.ReplaceAll(c.spec.jobCreate.path, "{organizationId}", escape(orgID))
	defer c.jobs.beginWrite(orgID)()
	mayHaveMade := false // an attempt failed without a clear answer
	for retry := 0; ; retry++ {
		var w jobWire
		err := c.do(ctx, request{method: http.MethodPost, path: path, body: body, wantStatus: c.spec.jobCreate.status}, &w)
		if err == nil {
			j, jerr := w.job(orgID)
			if w.ID == "" || jerr != nil {
				reason := "the created job has no id"
				if jerr != nil {
					reason = jerr.Error()
				}
				return nil, &BadAnswerError{Method: http.MethodPost, Path: "/" + string(c.version) + "/" + path, Status: c.spec.jobCreate.status, Reason: reason}
			}
			return &j, nil
		}
		uncertain := uncertainWrite(err)
		mayHaveMade = mayHaveMade || uncertain
		if ctx.Err() != nil || !uncertain && !errors.Is(err, ErrBadRequest) {
			return nil, listError(err, orgID)
		}
		mine, theirs, lerr := c.jobsNamed(ctx, orgID, jc, mayHaveMade)
		c.log.Debug(ctx, "VB365 backup job create failed; listed to see what the server did", map[string]any{
			"organization_id": orgID, "error": err.Error(), "made": mine != nil, "name_taken": theirs != nil,
		})
		switch {
		case lerr != nil:
			return nil, listError(err, orgID)
		case mine != nil:
			return mine, nil
		case theirs != nil:
			return nil, &JobNameTakenError{OrganizationID: orgID, Name: jc.Name, Job: *theirs, Cause: err}
		case !mayHaveMade || retry >= c.cfg.MaxRetries:
			return nil, listError(err, orgID)
		}
		if serr := c.sleep(ctx, c.backoff(retry)); serr != nil {
			return nil, serr
		}
	}
}

// jobsNamed lists the organization's jobs (without the cache) after a
// failed create and sorts those with the create's name: mine is the job
// that was sent, when the server made it (only looked for when an attempt
// failed without a clear answer); theirs is one that is not.
func (c *Client) jobsNamed(ctx context.Context, orgID string, jc JobCreate, mayHaveMade bool) (mine, theirs *BackupJob, err error) {
	jobs, err := c.fetchOrgJobs(ctx, orgID)
	if err != nil {
		return nil, nil, err
	}
	for i := range jobs {
		j := &jobs[i]
		if !strings.EqualFold(j.Name, jc.Name) {
			continue
		}
		if mayHaveMade && mine == nil {
			same, err := c.isJobSent(ctx, j, jc)
			if err != nil {
				return nil, nil, err
			}
			if same {
				mine = j
				continue
			}
		}
		theirs = j
	}
	return mine, theirs, nil
}

// isJobSent reports whether a job is the one jc describes: the same
// description, type and repository, and exactly the items sent (an
// EntireOrganization job's organization item, which a server may list by
// itself, aside). The scalars are compared first, so that another team's
// job costs no item list.
func (c *Client) isJobSent(ctx context.Context, j *BackupJob, jc JobCreate) (bool, error) {
	if j.Description != jc.Description || !strings.EqualFold(j.BackupType, jc.BackupType) || !strings.EqualFold(j.RepositoryID, jc.RepositoryID) {
		return false, nil
	}
	for _, l := range []struct {
		list    JobItemList
		entries []JobItemEntry
	}{{JobSelected, jc.Selected}, {JobExcluded, jc.Excluded}} {
		have, err := c.ListJobItems(ctx, j.ID, l.list)
		if err != nil {
			return false, err
		}
		if l.list == JobSelected && strings.EqualFold(jc.BackupType, JobEntireOrganization) {
			have = WithoutOrganizationItem(have)
		}
		if len(have) != len(l.entries) || len(missingItems(l.entries, have)) > 0 {
			return false, nil
		}
	}
	return true, nil
}

// WithoutOrganizationItem drops the PartialOrganization items from a
// selected list: an EntireOrganization job's scope is the organization,
// and a server may list the organization (with its processing options) as
// such an item of it.
func WithoutOrganizationItem(items []JobItem) []JobItem {
	out := items[:0:0]
	for _, it := range items {
		if !strings.EqualFold(it.Type, ItemPartialOrganization) {
			out = append(out, it)
		}
	}
	return out
}

// JobUpdate is the settings a PUT changes. The items are not sent: how a
// PUT treats them is not documented, so items change through AddJobItems,
// RemoveJobItems and UpdateJobItem. Schedule nil leaves the schedule.
type JobUpdate struct {
	Name, Description, BackupType, RepositoryID string
	Schedule                                    *JobSchedule
}

// UpdateBackupJob changes a job's name, description, type, repository and
// schedule (PUT /Jobs/{id}, idempotent). A schedule is sent whole: the
// server's policy (one GET) with the fields u.Schedule sets written over
// it, so that what the client does not manage (the periodic window) stays
// as it is whether the server merges or replaces the policy.
func (c *Client) UpdateBackupJob(ctx context.Context, orgID, jobID string, u JobUpdate) error {
	body := map[string]any{"name": u.Name, "description": u.Description, "backupType": u.BackupType, "repositoryId": u.RepositoryID}
	if u.Schedule != nil {
		if err := u.Schedule.check(c.spec, c.version); err != nil {
			return err
		}
		current, err := c.GetBackupJob(ctx, jobID)
		if err != nil {
			return err
		}
		s := *u.Schedule
		s.raw = current.Schedule.raw
		p, err := s.encode()
		if err != nil {
			return err
		}
		body["schedulePolicy"] = p
	}
	defer c.jobs.beginWrite(orgID)()
	err := c.do(ctx, request{method: http.MethodPut, path: jobPath(jobID), body: body, wantStatus: http.StatusNoContent, idempotent: true}, nil)
	return jobError(err, jobID)
}

// SetBackupJobEnabled enables or disables a job (POST .../enable or
// .../disable, idempotent).
func (c *Client) SetBackupJobEnabled(ctx context.Context, orgID, jobID string, enabled bool) error {
	action := "disable"
	if enabled {
		action = "enable"
	}
	defer c.jobs.beginWrite(orgID)()
	err := c.do(ctx, request{method: http.MethodPost, path: jobPath(jobID) + "/" + action, wantStatus: http.StatusNoContent, idempotent: true}, nil)
	return jobError(err, jobID)
}

// DeleteBackupJob deletes a job. Its backed-up data stays in the
// repository: VB365 deletes a job's configuration, not its backups.
func (c *Client) DeleteBackupJob(ctx context.Context, orgID, jobID string) error {
	defer c.jobs.beginWrite(orgID)()
	err := c.do(ctx, request{method: http.MethodDelete, path: jobPath(jobID), wantStatus: http.StatusNoContent, idempotent: true}, nil)
	return jobError(err, jobID)
}

// JobSession is RESTJobSession, as v8 answers a start (v6 and v7 answer
// nothing: the zero session).
type JobSession struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	CreationTime string `json:"creationTime"`
}

// StartBackupJob starts a job, a full backup when full is set. It is not
// retried after a 5xx or a lost answer: a second start may start a second
// run.
func (c *Client) StartBackupJob(ctx context.Context, jobID string, full bool) (JobSession, error) {
	var s JobSession
	var out any
	if c.spec.jobStart.status == http.StatusOK {
		out = &s
	}
	err := c.do(ctx, request{method: http.MethodPost, path: jobPath(jobID) + "/" + c.spec.jobStart.path, body: map[string]bool{"full": full}, wantStatus: c.spec.jobStart.status}, out)
	return s, jobError(err, jobID)
}

// StopBackupJob stops a running job (idempotent).
func (c *Client) StopBackupJob(ctx context.Context, jobID string) error {
	err := c.do(ctx, request{method: http.MethodPost, path: jobPath(jobID) + "/stop", wantStatus: http.StatusNoContent, idempotent: true}, nil)
	return jobError(err, jobID)
}

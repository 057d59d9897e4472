package vb365test

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Backup jobs (Jobs): a job of an organization with its schedule and two
// item lists, selected and excluded. v6 and v7 create and list an
// organization's jobs below it and answer arrays; v8 creates at /Jobs,
// lists /Jobs with the organization as a filter and answers pages. Items
// are stored with the nested object as posted and an ID made of the
// per-type GUID the v8 document lists and the object's ID. Every write the
// API makes to a job is noted in its JobLow, so a test can assert that no
// SelectedItems job was ever left without selected items.
//
// The rules the fake applies where the documents say nothing (each a
// plausible reading; the quirks switch the others):
//   - a SelectedItems job needs a selected item: a create, a PUT or a DELETE
//     of items that would leave it none is refused (400);
//   - selected items may be added to an EntireOrganization job (they are
//     kept and unused; they become the selection if the job turns into a
//     SelectedItems job);
//   - a principal may be in both lists of a job never, and in the lists of
//     several jobs (unless Quirks.JobItemInOneJobOnly);
//   - a PUT changes the fields it carries; items in its body are ignored
//     (unless Quirks.JobPutItemsReplace); a schedulePolicy in it changes
//     the policy's fields it carries;
//   - a flag that does not belong to the item's type may not be true.
//
// The items are in job_items.go, the rules a job keeps and its schedule
// policy in job_rules.go, what tests see and the out-of-band changes in
// jobs_out_of_band.go.

// Job is a stored backup job.
type Job struct {
	ID, OrganizationID, RepositoryID, Name, Description, BackupType string
	Enabled                                                         bool
	Running                                                         bool
	LastStatus                                                      string
	Schedule                                                        JobSchedule
	Selected, Excluded                                              []*JobItem
	ETag                                                            int64
}

// JobSchedule is a stored schedule policy. DailyTime is kept as "HH:MM:SS".
type JobSchedule struct {
	Type, PeriodicallyEvery, DailyType, DailyTime string
	ScheduleEnabled                               bool
	PeriodicallyOffsetMinutes                     int
	BackupWindowEnabled                           bool
	BackupWindow                                  []bool
	MinuteOffset                                  int
	PeriodicallyWindowEnabled                     bool
	PeriodicallyWindow                            []bool
	RetryEnabled                                  bool
	RetryNumber, RetryWaitInterval                int
}

var (
	jobScheduleTypes = []string{"Periodically", "Daily", "ManualOnly"}
	jobPeriods       = []string{"Minutes5", "Minutes10", "Minutes15", "Minutes30", "Hours1", "Hours2", "Hours4", "Hours8"}
	jobDailyTypes    = []string{"Everyday", "Workdays", "Weekends", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
)

func jobRoutes(r *router) {
	r.handleOrg(http.MethodGet, "/Organizations/{organizationId}/Jobs", (*call).listOrgJobs, onlyVersions("v6", "v7"))
	r.handleOrg(http.MethodPost, "/Organizations/{organizationId}/Jobs", (*call).createJob, onlyVersions("v6", "v7"), succeeds(http.StatusOK, http.StatusOK, http.StatusOK))
	r.handle(http.MethodGet, "/Jobs", (*call).listJobPages, onlyVersions("v8"))
	r.handle(http.MethodPost, "/Jobs", func(c *call) {
		c.s.mu.Lock()
		defer c.s.mu.Unlock()
		c.createJob(nil)
	}, onlyVersions("v8"), succeeds(http.StatusCreated, http.StatusCreated, http.StatusCreated))
	r.handle(http.MethodGet, "/Jobs/{jobId}", func(c *call) { c.withJob(func(j *Job) { c.writeJSON(http.StatusOK, c.jobJSON(j)) }) })
	r.handle(http.MethodPut, "/Jobs/{jobId}", func(c *call) { c.withJob(c.updateJob) })
	r.handle(http.MethodDelete, "/Jobs/{jobId}", func(c *call) {
		c.withJob(func(j *Job) {
			c.s.removeJob(j)
			c.noContent(http.StatusNoContent)
		})
	})
	for _, action := range []string{"enable", "disable"} {
		on := action == "enable"
		r.handle(http.MethodPost, "/Jobs/{jobId}/"+action, func(c *call) {
			c.withJob(func(j *Job) {
				j.Enabled = on
				c.s.noteJob(j)
				c.noContent(http.StatusNoContent)
			})
		})
	}
	r.handle(http.MethodPost, "/Jobs/{jobId}/start", func(c *call) { c.withJob(c.startJob) }, succeeds(http.StatusNoContent, http.StatusNoContent, http.StatusOK))
	r.handle(http.MethodPost, "/Jobs/{jobId}/stop", func(c *call) {
		c.withJob(func(j *Job) {
			if j.Running {
				j.Running, j.LastStatus = false, "Stopped"
				c.s.noteJob(j)
			}
			c.noContent(http.StatusNoContent)
		})
	})
	for _, list := range []string{"SelectedItems", "ExcludedItems"} {
		r.handle(http.MethodGet, "/Jobs/{jobId}/"+list, func(c *call) { c.withJob(func(j *Job) { c.listJobItems(j, list) }) })
		r.handle(http.MethodPost, "/Jobs/{jobId}/"+list, func(c *call) { c.withJob(func(j *Job) { c.addJobItems(j, list) }) })
		r.handle(http.MethodDelete, "/Jobs/{jobId}/"+list, func(c *call) { c.withJob(func(j *Job) { c.removeJobItems(j, list) }) })
		r.handle(http.MethodPut, "/Jobs/{jobId}/"+list+"/{itemId}", func(c *call) { c.withJob(func(j *Job) { c.updateJobItem(j, list) }) })
	}
	jobAdminRoutes(r)
}

// ---- reading ----

// withJob runs h under the lock with the {jobId} job, or answers 404.
func (c *call) withJob(h func(*Job)) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if j := c.s.backupJob(c.params[0]); j != nil {
		h(j)
		return
	}
	c.errorf(http.StatusNotFound, "ResourceNotFound", "Job with ID %s was not found.", c.params[0])
}

// job finds a stored job. Callers hold s.mu.
func (s *Server) backupJob(id string) *Job {
	for _, j := range s.jobs {
		if strings.EqualFold(j.ID, id) {
			return j
		}
	}
	return nil
}

func (c *call) listOrgJobs(org *Organization) {
	out := []any{}
	for _, j := range c.s.jobs {
		if j.OrganizationID == org.ID && c.listedJob(j) {
			out = append(out, c.jobJSON(j))
		}
	}
	c.writeJSON(http.StatusOK, out)
}

// GET /Jobs (v8): paged, filtered by organizationId and repositoryId. An
// unknown organization or repository is no match, not an error.
func (c *call) listJobPages() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	org, repo := c.query("organizationId"), c.query("repositoryId")
	q := []string{}
	if org != "" {
		q = append(q, "organizationId="+org)
	}
	if repo != "" {
		q = append(q, "repositoryId="+repo)
	}
	base := "/Jobs"
	if len(q) > 0 {
		base += "?" + strings.Join(q, "&")
	}
	c.paginate(base, func() []any {
		out := []any{}
		for _, j := range c.s.jobs {
			if (org == "" || strings.EqualFold(org, j.OrganizationID)) && (repo == "" || strings.EqualFold(repo, j.RepositoryID)) && c.listedJob(j) {
				out = append(out, c.jobJSON(j))
			}
		}
		return out
	})
}

// listedJob reports whether a job list answers j (Fault.OmitJob).
func (c *call) listedJob(j *Job) bool {
	return c.omitJob == "" || !strings.EqualFold(c.omitJob, j.ID) && !strings.EqualFold(c.omitJob, j.Name)
}

// jobJSON is RESTJob in the call's version.
func (c *call) jobJSON(j *Job) map[string]any {
	m := map[string]any{
		"id": j.ID, "name": j.Name, "description": c.text(j.Description), "backupType": j.BackupType, "repositoryId": j.RepositoryID,
		"schedulePolicy": c.scheduleJSON(j.Schedule), "isEnabled": j.Enabled, "lastStatus": j.LastStatus,
		"lastRun": nil, "nextRun": nil,
		"_links": map[string]any{
			"self":          c.link("/Jobs/" + j.ID),
			"selectedItems": c.link("/Jobs/" + j.ID + "/SelectedItems"),
			"excludedItems": c.link("/Jobs/" + j.ID + "/ExcludedItems"),
		},
	}
	if c.version != "v6" {
		m["lastBackup"] = nil
	}
	if c.version == "v8" {
		m["organizationId"] = j.OrganizationID
		m["eTag"] = j.ETag
		return m
	}
	m["runNow"] = false
	if c.s.opts.Quirks.JobReadFillsItems {
		m["selectedItems"] = c.itemsJSON(j, j.Selected)
		m["excludedItems"] = c.itemsJSON(j, j.Excluded)
	}
	return m
}

func (c *call) scheduleJSON(s JobSchedule) map[string]any {
	window := func(w []bool) map[string]any {
		return map[string]any{"backupWindow": w, "minuteOffset": s.MinuteOffset}
	}
	m := map[string]any{
		"scheduleEnabled": s.ScheduleEnabled, "type": s.Type, "periodicallyEvery": s.PeriodicallyEvery,
		"periodicallyOffsetMinutes": s.PeriodicallyOffsetMinutes, "dailyType": s.DailyType, "dailyTime": c.dailyTime(s.DailyTime),
		"backupWindowEnabled": s.BackupWindowEnabled, "backupWindowSettings": window(s.BackupWindow),
		"periodicallyWindowSettings": window(s.PeriodicallyWindow),
		"retryEnabled":               s.RetryEnabled, "retryNumber": s.RetryNumber, "retryWaitInterval": s.RetryWaitInterval,
	}
	if c.version != "v6" {
		m["periodicallyWindowEnabled"] = s.PeriodicallyWindowEnabled
	}
	return m
}

// dailyTime writes a stored "HH:MM:SS" as Quirks.JobDailyTimeFormat says.
func (c *call) dailyTime(t string) string {
	switch c.s.opts.Quirks.JobDailyTimeFormat {
	case "short":
		return t[:5]
	case "datetime":
		return "0001-01-01T" + t
	}
	return t
}

// ---- writing ----

type jobBody struct {
	Name           *string          `json:"name"`
	Description    *string          `json:"description"`
	BackupType     *string          `json:"backupType"`
	RepositoryID   *string          `json:"repositoryId"`
	OrganizationID *string          `json:"organizationId"`
	IsEnabled      *bool            `json:"isEnabled"`
	RunNow         *bool            `json:"runNow"`
	SchedulePolicy json.RawMessage  `json:"schedulePolicy"`
	SelectedItems  []map[string]any `json:"selectedItems"`
	ExcludedItems  []map[string]any `json:"excludedItems"`
}

// createJob serves POST Organizations/{organizationId}/Jobs (v6, v7; org
// resolved) and POST /Jobs (v8; org nil, named in the body). Callers hold
// s.mu.
func (c *call) createJob(org *Organization) {
	var in jobBody
	if !c.decode(&in) {
		return
	}
	s := c.s
	if org == nil {
		if in.OrganizationID == nil || *in.OrganizationID == "" || in.RepositoryID == nil || in.BackupType == nil {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "organizationId, repositoryId and backupType are required.")
			return
		}
		if org = s.org(*in.OrganizationID); org == nil {
			c.errorf(http.StatusNotFound, "ResourceNotFound", "Organization with ID %s was not found.", *in.OrganizationID)
			return
		}
	}
	j := &Job{ID: GUID("job", s.nextID()), OrganizationID: org.ID, Enabled: true, LastStatus: "NotConfigured", Schedule: defaultJobSchedule()}
	j.Name, j.Description, j.BackupType, j.RepositoryID = deref(in.Name), deref(in.Description), deref(in.BackupType), deref(in.RepositoryID)
	if in.IsEnabled != nil {
		j.Enabled = *in.IsEnabled
	}
	if t, ok := oneOf(j.BackupType, []string{"EntireOrganization", "SelectedItems"}); ok {
		j.BackupType = t
	}
	problem := applySchedule(&j.Schedule, in.SchedulePolicy)
	if problem == "" {
		j.Selected, problem = s.jobItems(org, in.SelectedItems)
	}
	if problem == "" {
		j.Excluded, problem = s.jobItems(org, in.ExcludedItems)
	}
	if problem == "" {
		problem = s.checkJob(j, c.version)
	}
	if problem != "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
		return
	}
	s.organizationItem(j)
	s.jobs = append(s.jobs, j)
	s.noteJob(j)
	c.writeJSON(c.success(), c.jobJSON(j))
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// organizationItem gives an EntireOrganization job the PartialOrganization
// item of its organization under Quirks.JobEntireOrganizationListsOrganization.
// Callers hold s.mu.
func (s *Server) organizationItem(j *Job) {
	if !s.opts.Quirks.JobEntireOrganizationListsOrganization || j.BackupType != "EntireOrganization" {
		return
	}
	for _, it := range j.Selected {
		if it.Type == "PartialOrganization" {
			return
		}
	}
	flags := map[string]bool{}
	for _, f := range jobItemFlags["PartialOrganization"] {
		flags[f] = true
	}
	j.Selected = append(j.Selected, &JobItem{ID: jobItemTypeIDs["PartialOrganization"] + j.OrganizationID, Type: "PartialOrganization", Flags: flags})
}

// PUT /Jobs/{jobId}: the fields the body carries; items only under
// Quirks.JobPutItemsReplace.
func (c *call) updateJob(j *Job) {
	var in jobBody
	if !c.decode(&in) {
		return
	}
	s := c.s
	next := *j
	if in.Name != nil {
		next.Name = *in.Name
	}
	if in.Description != nil {
		next.Description = *in.Description
	}
	if in.BackupType != nil {
		next.BackupType, _ = oneOf(*in.BackupType, []string{"EntireOrganization", "SelectedItems"})
	}
	if in.RepositoryID != nil {
		next.RepositoryID = *in.RepositoryID
	}
	if in.IsEnabled != nil {
		next.Enabled = *in.IsEnabled
	}
	next.Schedule.BackupWindow = append([]bool(nil), j.Schedule.BackupWindow...)
	next.Schedule.PeriodicallyWindow = append([]bool(nil), j.Schedule.PeriodicallyWindow...)
	problem := applySchedule(&next.Schedule, in.SchedulePolicy)
	org := s.org(j.OrganizationID)
	if problem == "" && s.opts.Quirks.JobPutItemsReplace && in.SelectedItems != nil {
		next.Selected, problem = s.jobItems(org, in.SelectedItems)
	}
	if problem == "" && s.opts.Quirks.JobPutItemsReplace && in.ExcludedItems != nil {
		next.Excluded, problem = s.jobItems(org, in.ExcludedItems)
	}
	if problem == "" {
		problem = s.checkJob(&next, c.version)
	}
	if problem != "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
		return
	}
	*j = next
	s.organizationItem(j)
	s.noteJob(j)
	c.noContent(http.StatusNoContent)
}

func (c *call) startJob(j *Job) {
	if !j.Enabled {
		c.errorf(http.StatusBadRequest, "OperationConflict", "Job '%s' is disabled.", j.Name)
		return
	}
	if j.Running {
		c.errorf(http.StatusBadRequest, "OperationConflict", "Job '%s' is already running.", j.Name)
		return
	}
	var in struct {
		Full bool `json:"full"`
	}
	if c.r.ContentLength != 0 && !c.decode(&in) {
		return
	}
	j.Running, j.LastStatus = true, "Running"
	c.s.noteJob(j)
	c.s.jobStarts = append(c.s.jobStarts, JobStart{JobID: j.ID, Full: in.Full})
	if c.success() == http.StatusNoContent {
		c.noContent(http.StatusNoContent)
		return
	}
	config := "Incremental"
	if in.Full {
		config = "Full"
	}
	c.writeJSON(http.StatusOK, map[string]any{
		"id": GUID("session", c.s.nextID()), "jobId": j.ID, "repositoryId": j.RepositoryID,
		"creationTime": c.s.now().UTC().Format("2006-01-02T15:04:05Z"), "endTime": nil, "status": "Running",
		"retryCount": 0, "progress": 0, "jobType": "Backup", "jobSessionConfigType": config, "details": nil, "eTag": 1,
		"_links": map[string]any{"self": c.link("/JobSessions/" + j.ID)},
	})
}

// removeJob drops a stored job. Callers hold s.mu.
func (s *Server) removeJob(j *Job) {
	kept := s.jobs[:0:0]
	for _, other := range s.jobs {
		if other != j {
			kept = append(kept, other)
		}
	}
	s.jobs = kept
}

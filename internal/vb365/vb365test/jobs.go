package vb365test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
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

// JobItem is one item of a job's list.
type JobItem struct {
	ID, Type string
	// PrincipalID is the nested user's, group's, site's or team's ID; ""
	// for the organization-wide types.
	PrincipalID string
	Object      map[string]any
	Flags       map[string]bool
	Folders     []string
}

// jobItemTypeIDs are the fixed type identifiers of the v8 document, the
// first part of an item's ID.
var jobItemTypeIDs = map[string]string{
	"User": "2b38d840-8098-4614-b369-ebce33f9b2c7", "Group": "9592732d-22d8-426a-8167-d9635158e945",
	"Site": "e1fa728c-4150-4724-ab3b-5deda33db0cf", "PartialOrganization": "c37da450-6c4b-48c4-87e2-cc557ef5d897",
	"PersonalSites": "9a01bcb3-d2de-4271-96bb-95611ddc70b3", "OneDriveFolders": "7f07820e-9e77-4beb-92a3-b31f30bc192c",
	"Team": "7B985334-BC0E-4791-B30C-D03A1FECC840",
}

// jobItemFlags are the processing options of each item type.
var jobItemFlags = map[string][]string{
	"User":                {"mailbox", "archiveMailbox", "oneDrive", "personalSite"},
	"Group":               {"mailbox", "groupSite", "members", "memberMailbox", "memberArchiveMailbox", "memberOnedrive", "memberSite"},
	"PartialOrganization": {"mailbox", "archiveMailbox", "oneDrive", "sites", "teams", "teamsChats"},
	"Team":                {"teamsChats"},
	"Site":                nil, "PersonalSites": nil, "OneDriveFolders": nil,
}

var allJobItemFlags = []string{"mailbox", "archiveMailbox", "oneDrive", "personalSite", "sites", "teams", "teamsChats",
	"members", "memberMailbox", "memberArchiveMailbox", "memberOnedrive", "memberSite", "groupSite"}

var jobItemTypes = []string{"Group", "User", "Site", "PartialOrganization", "PersonalSites", "OneDriveFolders", "Team"}

var jobItemNested = map[string]string{"User": "user", "Group": "group", "Site": "site", "Team": "team"}

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

func (c *call) listJobItems(j *Job, list string) {
	items := c.itemsJSON(j, *jobList(j, list))
	if c.version != "v8" {
		c.writeJSON(http.StatusOK, items)
		return
	}
	c.paginate("/Jobs/"+j.ID+"/"+list, func() []any { return items })
}

func (c *call) itemsJSON(j *Job, items []*JobItem) []any {
	out := []any{}
	for _, it := range items {
		out = append(out, c.itemJSON(j, it))
	}
	return out
}

// itemJSON is RESTJobItemComposed: the nested object as posted (its id in
// the composite form under Quirks.JobItemCompositePrincipalIDs), the flags
// of the item's type and, in v6, chats beside teamsChats.
func (c *call) itemJSON(j *Job, it *JobItem) map[string]any {
	m := map[string]any{"id": it.ID, "type": it.Type, "_links": map[string]any{}}
	if key := jobItemNested[it.Type]; key != "" {
		obj := it.Object
		if c.s.opts.Quirks.JobItemCompositePrincipalIDs && (key == "user" || key == "group") {
			obj = make(map[string]any, len(it.Object))
			for k, v := range it.Object {
				obj[k] = v
			}
			obj["id"] = j.OrganizationID + ":1:" + key + ":" + it.PrincipalID
		}
		m[key] = obj
	}
	for _, f := range jobItemFlags[it.Type] {
		m[f] = it.Flags[f]
	}
	if c.version == "v6" && it.Type == "Team" {
		m["chats"] = it.Flags["teamsChats"]
	}
	if it.Type == "OneDriveFolders" {
		m["folders"] = it.Folders
	}
	return m
}

// ---- writing ----

// jobList is a job's list by name. Callers hold s.mu.
func jobList(j *Job, list string) *[]*JobItem {
	if strings.EqualFold(list, "ExcludedItems") {
		return &j.Excluded
	}
	return &j.Selected
}

func oneOf(v string, allowed []string) (string, bool) {
	for _, a := range allowed {
		if strings.EqualFold(a, v) {
			return a, true
		}
	}
	return v, false
}

// jobItems reads posted items of a job of org. Callers hold s.mu.
func (s *Server) jobItems(org *Organization, in []map[string]any) ([]*JobItem, string) {
	var out []*JobItem
	for i, item := range in {
		raw, _ := item["type"].(string)
		typ, ok := oneOf(raw, jobItemTypes)
		if !ok {
			return nil, fmt.Sprintf("Item %d: the type '%s' is not valid.", i, raw)
		}
		it := &JobItem{Type: typ, Flags: map[string]bool{}}
		if key := jobItemNested[typ]; key != "" {
			obj, _ := item[key].(map[string]any)
			id, _ := obj["id"].(string)
			if obj == nil || id == "" {
				return nil, fmt.Sprintf("Item %d: the %s object with its id is required.", i, key)
			}
			if !org.hasPrincipal(typ, id) {
				return nil, fmt.Sprintf("Item %d: %s %s was not found in organization %s.", i, key, id, org.Name)
			}
			it.PrincipalID, it.Object = org.principalID(typ, id), obj
		}
		allowed := jobItemFlags[typ]
		for _, f := range allowed {
			if v, ok := item[f].(bool); ok {
				it.Flags[f] = v
			}
		}
		for _, f := range allFlagsOf(item) {
			if v, _ := item[f].(bool); v && !contains(allowed, f) {
				return nil, fmt.Sprintf("Item %d: the %s option does not apply to a %s item.", i, f, typ)
			}
		}
		if typ == "OneDriveFolders" {
			fs, _ := item["folders"].([]any)
			for _, f := range fs {
				if str, ok := f.(string); ok && str != "" {
					it.Folders = append(it.Folders, str)
				}
			}
			if len(it.Folders) == 0 {
				return nil, fmt.Sprintf("Item %d: a OneDriveFolders item needs folders.", i)
			}
		}
		object := it.PrincipalID
		if object == "" {
			object = org.ID
		}
		it.ID = jobItemTypeIDs[typ] + object
		out = append(out, it)
	}
	return out, ""
}

func allFlagsOf(item map[string]any) []string {
	var out []string
	for _, f := range allJobItemFlags {
		if _, ok := item[f]; ok {
			out = append(out, f)
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// hasPrincipal reports whether the organization has the user, group, site
// or team. Callers hold s.mu.
func (o *Organization) hasPrincipal(typ, id string) bool { return o.principalID(typ, id) != "" }

// principalID is the stored ID of the principal id names (IDs compare
// ignoring case), or "".
func (o *Organization) principalID(typ, id string) string {
	switch typ {
	case "User":
		for _, u := range o.Users {
			if strings.EqualFold(u.ID, id) {
				return u.ID
			}
		}
	case "Group":
		for _, g := range o.Groups {
			if strings.EqualFold(g.ID, id) {
				return g.ID
			}
		}
	case "Site":
		for _, st := range o.Sites {
			if strings.EqualFold(st.ID, id) {
				return st.ID
			}
		}
	case "Team":
		for _, t := range o.Teams {
			if strings.EqualFold(t.ID, id) {
				return t.ID
			}
		}
	}
	return ""
}

func itemKey(it *JobItem) string { return strings.ToLower(it.Type + "/" + it.PrincipalID) }

// checkJob applies the fake's rules to a job as it would be after a
// write in an API version. Callers hold s.mu.
func (s *Server) checkJob(j *Job, version string) string {
	switch {
	case strings.TrimSpace(j.Name) == "":
		return "The job name is required."
	case j.BackupType != "EntireOrganization" && j.BackupType != "SelectedItems":
		return fmt.Sprintf("The backup type '%s' is not valid: use EntireOrganization or SelectedItems.", j.BackupType)
	case !s.jobRepositoryKnown(j.RepositoryID):
		return fmt.Sprintf("Backup repository with ID '%s' was not found.", j.RepositoryID)
	case j.BackupType == "SelectedItems" && len(j.Selected) == 0:
		return "A backup job of the SelectedItems type needs at least one selected item."
	}
	for _, other := range s.jobs {
		if other != j && other.ID != j.ID && other.OrganizationID == j.OrganizationID && strings.EqualFold(other.Name, j.Name) && !s.opts.Quirks.JobNamesNotUnique {
			return fmt.Sprintf("A job named '%s' already exists.", j.Name)
		}
	}
	keys := func(l []*JobItem) (map[string]bool, string) {
		seen := map[string]bool{}
		for _, it := range l {
			if seen[itemKey(it)] {
				return nil, fmt.Sprintf("%s %s is in the list twice.", it.Type, it.PrincipalID)
			}
			seen[itemKey(it)] = true
		}
		return seen, ""
	}
	selected, problem := keys(j.Selected)
	if problem != "" {
		return problem
	}
	if _, problem := keys(j.Excluded); problem != "" {
		return problem
	}
	for _, it := range j.Excluded {
		if it.PrincipalID != "" && selected[itemKey(it)] {
			return fmt.Sprintf("%s %s cannot be both selected and excluded.", it.Type, it.PrincipalID)
		}
	}
	if s.opts.Quirks.JobItemInOneJobOnly {
		for _, it := range j.Selected {
			for _, other := range s.jobs {
				if other == j || other.ID == j.ID || other.OrganizationID != j.OrganizationID || it.PrincipalID == "" {
					continue
				}
				for _, o := range other.Selected {
					if itemKey(o) == itemKey(it) {
						return fmt.Sprintf("%s %s is already processed by job '%s'.", it.Type, it.PrincipalID, other.Name)
					}
				}
			}
		}
	}
	return checkSchedule(j.Schedule, version)
}

func checkSchedule(s JobSchedule, version string) string {
	periods := jobPeriods
	if version == "v8" {
		periods = append(periods[:len(periods):len(periods)], "Hours12")
	}
	switch {
	case !contains(jobScheduleTypes, s.Type):
		return fmt.Sprintf("The schedule type '%s' is not valid.", s.Type)
	case !contains(periods, s.PeriodicallyEvery):
		return fmt.Sprintf("The interval '%s' is not valid.", s.PeriodicallyEvery)
	case !contains(jobDailyTypes, s.DailyType):
		return fmt.Sprintf("The daily type '%s' is not valid.", s.DailyType)
	case len(s.BackupWindow) != 7*24 || len(s.PeriodicallyWindow) != 7*24:
		return "A backup window has 168 hours."
	case s.RetryNumber < 0 || s.RetryWaitInterval < 0:
		return "The retry settings are not valid."
	}
	return ""
}

func defaultJobSchedule() JobSchedule {
	all := func() []bool {
		w := make([]bool, 7*24)
		for i := range w {
			w[i] = true
		}
		return w
	}
	return JobSchedule{Type: "Daily", ScheduleEnabled: true, PeriodicallyEvery: "Hours8", DailyType: "Everyday", DailyTime: "22:00:00",
		BackupWindow: all(), PeriodicallyWindow: all(), RetryEnabled: true, RetryNumber: 3, RetryWaitInterval: 10}
}

// applySchedule writes the fields of a posted schedulePolicy over s.
func applySchedule(s *JobSchedule, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var in map[string]json.RawMessage
	if err := json.Unmarshal(raw, &in); err != nil {
		return "The schedule policy is invalid: " + err.Error()
	}
	for k, v := range in {
		var err error
		switch strings.ToLower(k) {
		case "type":
			err = json.Unmarshal(v, &s.Type)
		case "scheduleenabled":
			err = json.Unmarshal(v, &s.ScheduleEnabled)
		case "periodicallyevery":
			err = json.Unmarshal(v, &s.PeriodicallyEvery)
		case "periodicallyoffsetminutes":
			err = json.Unmarshal(v, &s.PeriodicallyOffsetMinutes)
		case "dailytype":
			err = json.Unmarshal(v, &s.DailyType)
		case "dailytime":
			var t string
			if err = json.Unmarshal(v, &t); err == nil {
				var ok bool
				if s.DailyTime, ok = parseDailyTime(t); !ok {
					return fmt.Sprintf("The daily time '%s' is not valid.", t)
				}
			}
		case "backupwindowenabled":
			err = json.Unmarshal(v, &s.BackupWindowEnabled)
		case "periodicallywindowenabled":
			err = json.Unmarshal(v, &s.PeriodicallyWindowEnabled)
		case "backupwindowsettings", "periodicallywindowsettings":
			var w struct {
				BackupWindow []bool `json:"backupWindow"`
				MinuteOffset *int   `json:"minuteOffset"`
			}
			if err = json.Unmarshal(v, &w); err == nil && w.BackupWindow != nil {
				if strings.EqualFold(k, "backupWindowSettings") {
					s.BackupWindow = w.BackupWindow
				} else {
					s.PeriodicallyWindow = w.BackupWindow
				}
			}
			if err == nil && w.MinuteOffset != nil {
				s.MinuteOffset = *w.MinuteOffset
			}
		case "retryenabled":
			err = json.Unmarshal(v, &s.RetryEnabled)
		case "retrynumber":
			err = json.Unmarshal(v, &s.RetryNumber)
		case "retrywaitinterval":
			err = json.Unmarshal(v, &s.RetryWaitInterval)
		}
		if err != nil {
			return fmt.Sprintf("The schedule policy property '%s' is invalid: %v", k, err)
		}
	}
	return ""
}

// parseDailyTime reads "HH:MM" or "HH:MM:SS" (a TimeSpan, as .NET parses
// it) into "HH:MM:SS".
func parseDailyTime(t string) (string, bool) {
	parts := strings.Split(strings.TrimSpace(t), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return "", false
	}
	n := []int{0, 0, 0}
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v > []int{23, 59, 59}[i] {
			return "", false
		}
		n[i] = v
	}
	return fmt.Sprintf("%02d:%02d:%02d", n[0], n[1], n[2]), true
}

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

func (c *call) addJobItems(j *Job, list string) {
	var in []map[string]any
	if !c.decode(&in) {
		return
	}
	s := c.s
	add, problem := s.jobItems(s.org(j.OrganizationID), in)
	next := *j
	dst := jobList(&next, list)
	*dst = append(append([]*JobItem{}, *dst...), add...)
	if problem == "" {
		problem = s.checkJob(&next, c.version)
	}
	if problem != "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
		return
	}
	*j = next
	s.noteJob(j)
	c.noContent(http.StatusNoContent)
}

// DELETE .../SelectedItems|ExcludedItems?ids=: unknown IDs are ignored;
// v8's SelectedItems DELETE also takes the IDs as a JSON array body.
func (c *call) removeJobItems(j *Job, list string) {
	ids := map[string]bool{}
	for _, id := range strings.Split(c.query("ids"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids[strings.ToLower(id)] = true
		}
	}
	if len(ids) == 0 && c.version == "v8" && strings.EqualFold(list, "SelectedItems") && c.r.ContentLength != 0 {
		var body []string
		if !c.decode(&body) {
			return
		}
		for _, id := range body {
			ids[strings.ToLower(id)] = true
		}
	}
	if len(ids) == 0 {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The ids parameter is required.")
		return
	}
	next := *j
	dst := jobList(&next, list)
	kept := (*dst)[:0:0]
	for _, it := range *dst {
		if !ids[strings.ToLower(it.ID)] {
			kept = append(kept, it)
		}
	}
	*dst = kept
	if problem := c.s.checkJob(&next, c.version); problem != "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
		return
	}
	*j = next
	c.s.noteJob(j)
	c.noContent(http.StatusNoContent)
}

// PUT .../{itemId}: the item's flags and folders; its type and principal
// must stay.
func (c *call) updateJobItem(j *Job, list string) {
	var in map[string]any
	if !c.decode(&in) {
		return
	}
	items := jobList(j, list)
	for i, it := range *items {
		if !strings.EqualFold(it.ID, c.params[1]) {
			continue
		}
		got, problem := c.s.jobItems(c.s.org(j.OrganizationID), []map[string]any{in})
		if problem == "" && itemKey(got[0]) != itemKey(it) {
			problem = "The item's type and object cannot change."
		}
		if problem != "" {
			c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "%s", problem)
			return
		}
		got[0].ID, got[0].Object = it.ID, it.Object
		(*items)[i] = got[0]
		c.s.noteJob(j)
		c.noContent(http.StatusNoContent)
		return
	}
	c.errorf(http.StatusNotFound, "ResourceNotFound", "Item with ID %s was not found.", c.params[1])
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

// ---- what tests see ----

// JobLow is the fewest selected items a job had while it was a
// SelectedItems job, after any write the API made to it.
type JobLow struct {
	Name string
	// Selected is the fewest selected items while SelectedItems; -1 when
	// the job never was.
	Selected int
	Writes   int
}

// noteJob records a write to a job. Callers hold s.mu.
func (s *Server) noteJob(j *Job) {
	j.ETag++
	if s.jobLows == nil {
		s.jobLows = map[string]*JobLow{}
	}
	low := s.jobLows[j.ID]
	if low == nil {
		low = &JobLow{Selected: -1}
		s.jobLows[j.ID] = low
	}
	low.Name = j.Name
	low.Writes++
	if j.BackupType == "SelectedItems" && (low.Selected < 0 || len(j.Selected) < low.Selected) {
		low.Selected = len(j.Selected)
	}
}

// JobLows returns, by job ID, the fewest selected items each job had (jobs
// deleted since included).
func (s *Server) JobLows() map[string]JobLow {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]JobLow, len(s.jobLows))
	for id, low := range s.jobLows {
		out[id] = *low
	}
	return out
}

// JobStart is a start the API was asked for.
type JobStart struct {
	JobID string
	Full  bool
}

// JobStarts returns the starts served, in order.
func (s *Server) JobStarts() []JobStart {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]JobStart(nil), s.jobStarts...)
}

// Jobs returns copies of the stored jobs (their item lists shared).
func (s *Server) Jobs() []Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Job, len(s.jobs))
	for i, j := range s.jobs {
		out[i] = *j
	}
	return out
}

// Job returns a copy of a stored job, or nil.
func (s *Server) Job(id string) *Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j := s.backupJob(id); j != nil {
		cp := *j
		return &cp
	}
	return nil
}

// UpdateJob changes a stored job out of band; false when there is none.
func (s *Server) UpdateJob(id string, change func(*Job)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j := s.backupJob(id); j != nil {
		change(j)
		j.ETag++
		return true
	}
	return false
}

// DeleteJob removes a job out of band.
func (s *Server) DeleteJob(id string) bool {
	return s.UpdateJob(id, s.removeJob)
}

// AddJobItem adds an item of the job's organization to one of its lists
// ("SelectedItems", "ExcludedItems") out of band: a user, group, site or
// team by ID (principalID "" for the organization-wide types), with the
// flags given set.
func (s *Server) AddJobItem(jobID, list, itemType, principalID string, flags ...string) bool {
	return s.UpdateJob(jobID, func(j *Job) {
		org := s.org(j.OrganizationID)
		obj := map[string]any{"id": principalID}
		key := jobItemNested[itemType]
		if key != "" {
			if principalID = org.principalID(itemType, principalID); principalID == "" {
				panic("vb365test: AddJobItem: unknown " + key)
			}
			obj = org.principalObject(itemType, principalID)
		}
		object := principalID
		if object == "" {
			object = org.ID
		}
		it := &JobItem{ID: jobItemTypeIDs[itemType] + object, Type: itemType, PrincipalID: principalID, Flags: map[string]bool{}}
		if key != "" {
			it.Object = obj
		}
		for _, f := range flags {
			it.Flags[f] = true
		}
		dst := jobList(j, list)
		*dst = append(*dst, it)
	})
}

// principalObject is the nested object of an item as a client would post
// it. Callers hold s.mu.
func (o *Organization) principalObject(typ, id string) map[string]any {
	switch typ {
	case "User":
		u := o.user(id)
		return map[string]any{"id": u.ID, "displayName": u.DisplayName, "name": u.Name, "type": u.Type, "locationType": u.LocationType}
	case "Group":
		g := o.group(id)
		return map[string]any{"id": g.ID, "displayName": g.DisplayName, "name": g.Name, "type": g.Type, "locationType": g.LocationType}
	case "Site":
		for _, st := range o.Sites {
			if st.ID == id {
				return map[string]any{"id": st.ID, "url": st.URL, "title": st.Title, "isCloud": st.IsCloud, "isPersonal": st.IsPersonal}
			}
		}
	case "Team":
		for _, t := range o.Teams {
			if t.ID == id {
				return map[string]any{"id": t.ID, "displayName": t.DisplayName, "description": t.Description, "mail": t.Mail}
			}
		}
	}
	return map[string]any{"id": id}
}

// RemoveJobItem removes the item of a principal (by ID, or by the user's or
// group's mail) from one list out of band; false when there was none.
func (s *Server) RemoveJobItem(jobID, list, principal string) bool {
	removed := false
	s.UpdateJob(jobID, func(j *Job) {
		dst := jobList(j, list)
		kept := (*dst)[:0:0]
		for _, it := range *dst {
			name, _ := it.Object["name"].(string)
			if strings.EqualFold(it.PrincipalID, principal) || (name != "" && strings.EqualFold(name, principal)) || (it.PrincipalID == "" && strings.EqualFold(it.Type, principal)) {
				removed = true
				continue
			}
			kept = append(kept, it)
		}
		*dst = kept
	})
	return removed
}

// SetJobItemFlag changes a flag of a principal's item out of band.
func (s *Server) SetJobItemFlag(jobID, list, principalID, flag string, value bool) bool {
	found := false
	s.UpdateJob(jobID, func(j *Job) {
		for _, it := range *jobList(j, list) {
			if strings.EqualFold(it.PrincipalID, principalID) {
				it.Flags[flag], found = value, true
			}
		}
	})
	return found
}

// ---- out of band, over HTTP ----

func jobAdminRoutes(r *router) {
	// POST /_fake/job-items/remove?jobId=...&list=SelectedItems&principal=<id or mail>
	r.handleAdmin(http.MethodPost, "/_fake/job-items/remove", func(c *call) {
		if !c.s.RemoveJobItem(c.query("jobId"), c.query("list"), c.query("principal")) {
			c.writeJSON(http.StatusNotFound, map[string]any{"message": "no such job, or no item of that principal in the list"})
			return
		}
		c.noContent(http.StatusNoContent)
	})
	// POST /_fake/job-items?jobId=...&list=SelectedItems&userName=<mail>
	// adds a user with its mailbox.
	r.handleAdmin(http.MethodPost, "/_fake/job-items", func(c *call) {
		jobID, list, userName := c.query("jobId"), c.query("list"), c.query("userName")
		userID := ""
		c.s.mu.Lock()
		if j := c.s.backupJob(jobID); j != nil {
			for _, u := range c.s.org(j.OrganizationID).Users {
				if strings.EqualFold(u.Name, userName) {
					userID = u.ID
				}
			}
		}
		c.s.mu.Unlock()
		if userID == "" {
			c.writeJSON(http.StatusNotFound, map[string]any{"message": "no such job, or no such user in its organization"})
			return
		}
		c.s.AddJobItem(jobID, list, "User", userID, "mailbox")
		c.noContent(http.StatusNoContent)
	})
	// PATCH /_fake/jobs?id=...  {"isEnabled": false, "repositoryId": ..., "description": ..., "schedulePolicy": {...}}
	r.handleAdmin(http.MethodPatch, "/_fake/jobs", func(c *call) {
		var in jobBody
		if !c.decode(&in) {
			return
		}
		problem := ""
		ok := c.s.UpdateJob(c.query("id"), func(j *Job) {
			if in.IsEnabled != nil {
				j.Enabled = *in.IsEnabled
			}
			if in.RepositoryID != nil {
				j.RepositoryID = *in.RepositoryID
			}
			if in.Description != nil {
				j.Description = *in.Description
			}
			problem = applySchedule(&j.Schedule, in.SchedulePolicy)
		})
		switch {
		case !ok:
			c.writeJSON(http.StatusNotFound, map[string]any{"message": "no such job"})
		case problem != "":
			c.writeJSON(http.StatusBadRequest, map[string]any{"message": problem})
		default:
			c.noContent(http.StatusNoContent)
		}
	})
	r.handleAdmin(http.MethodDelete, "/_fake/jobs", func(c *call) {
		if !c.s.DeleteJob(c.query("id")) {
			c.writeJSON(http.StatusNotFound, map[string]any{"message": "no such job"})
			return
		}
		c.noContent(http.StatusNoContent)
	})
}

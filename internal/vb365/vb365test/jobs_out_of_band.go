package vb365test

import (
	"net/http"
	"strings"
)

// What tests see of the backup jobs (the fewest selected items a job had,
// the starts), and the changes they and the demo make behind the client's
// back: Server methods, and /_fake/jobs and /_fake/job-items over HTTP.

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

package vb365test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The rules a backup job must keep after every write (checkJob), and the
// schedule policy: its defaults, how a posted policy changes the stored one,
// and what a valid one is.

// checkJob applies the fake's rules to a job as it would be after a
// write in an API version. Callers hold s.mu.
func (s *Server) checkJob(j *Job, version string) string {
	switch {
	case strings.TrimSpace(j.Name) == "":
		return "The job name is required."
	case j.BackupType != "EntireOrganization" && j.BackupType != "SelectedItems":
		return fmt.Sprintf("The backup type '%s' is not valid: use EntireOrganization or SelectedItems.", j.BackupType)
	case s.repository(j.RepositoryID) == nil:
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

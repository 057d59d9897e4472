package vb365

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// A backup job's schedule (RESTJobSchedulePolicy): when the job runs, how
// often it retries, and in which hours of the week it may run (the backup
// window: 168 booleans, 24 per day from Sunday 00:00, true where a backup
// may run).

// Schedule types (RESTJobSchedulePolicy.type).
const (
	ScheduleDaily        = "Daily"
	SchedulePeriodically = "Periodically"
	ScheduleManualOnly   = "ManualOnly"
)

// ScheduleTypes, PeriodicIntervals and DailyTypes are the values the
// documents allow. PeriodicIntervals holds every version's: Hours12 only
// from v8 (SupportsHours12).
var (
	ScheduleTypes     = []string{ScheduleDaily, SchedulePeriodically, ScheduleManualOnly}
	PeriodicIntervals = []string{"Minutes5", "Minutes10", "Minutes15", "Minutes30", "Hours1", "Hours2", "Hours4", "Hours8", "Hours12"}
	DailyTypes        = []string{"Everyday", "Workdays", "Weekends", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
)

// WindowHours is the length of a backup window: 7 days of 24 hours.
const WindowHours = 7 * 24

// JobSchedule is a job's schedule. In a write, a zero field is not sent
// (the server keeps what it has); WindowEnabled is always sent. Fields the
// client does not manage (the periodic window, fields newer than the
// documents) are kept as the server answered them and sent back unchanged
// by UpdateBackupJob.
type JobSchedule struct {
	Type                      string
	PeriodicallyEvery         string
	PeriodicallyOffsetMinutes *int
	DailyType                 string
	// DailyTime is "HH:MM" ("HH:MM:SS" when the seconds are not zero),
	// however the server wrote it (NormalizeDailyTime).
	DailyTime        string
	RetryEnabled     *bool
	RetryNumber      *int
	RetryWaitMinutes *int
	WindowEnabled    bool
	// Window is the backup window, 168 hours from Sunday 00:00; nil when
	// the server sent none.
	Window []bool
	// WindowMinuteOffset is the window's minuteOffset (the documents call
	// it the offset from UTC).
	WindowMinuteOffset *int

	// raw is the policy as the server answered it.
	raw map[string]json.RawMessage
}

type scheduleWire struct {
	ScheduleEnabled           *bool       `json:"scheduleEnabled,omitempty"`
	Type                      string      `json:"type,omitempty"`
	PeriodicallyEvery         string      `json:"periodicallyEvery,omitempty"`
	PeriodicallyOffsetMinutes *int        `json:"periodicallyOffsetMinutes,omitempty"`
	DailyType                 string      `json:"dailyType,omitempty"`
	DailyTime                 string      `json:"dailyTime,omitempty"`
	BackupWindowEnabled       *bool       `json:"backupWindowEnabled,omitempty"`
	BackupWindowSettings      *windowWire `json:"backupWindowSettings,omitempty"`
	RetryEnabled              *bool       `json:"retryEnabled,omitempty"`
	RetryNumber               *int        `json:"retryNumber,omitempty"`
	RetryWaitInterval         *int        `json:"retryWaitInterval,omitempty"`
}

type windowWire struct {
	BackupWindow []bool `json:"backupWindow"`
	MinuteOffset *int   `json:"minuteOffset,omitempty"`
}

// decodeSchedule reads a schedulePolicy; null or absent is the zero
// schedule.
func decodeSchedule(raw json.RawMessage) (JobSchedule, error) {
	var s JobSchedule
	if len(raw) == 0 || string(raw) == "null" {
		return s, nil
	}
	if err := json.Unmarshal(raw, &s.raw); err != nil {
		return s, fmt.Errorf("schedulePolicy: %w", err)
	}
	var w scheduleWire
	if err := json.Unmarshal(raw, &w); err != nil {
		return s, fmt.Errorf("schedulePolicy: %w", err)
	}
	s.Type, s.PeriodicallyEvery, s.PeriodicallyOffsetMinutes = w.Type, w.PeriodicallyEvery, w.PeriodicallyOffsetMinutes
	s.DailyType, s.RetryEnabled, s.RetryNumber, s.RetryWaitMinutes = w.DailyType, w.RetryEnabled, w.RetryNumber, w.RetryWaitInterval
	if w.DailyTime != "" {
		t, err := NormalizeDailyTime(w.DailyTime)
		if err != nil {
			return s, fmt.Errorf("schedulePolicy.dailyTime: %w", err)
		}
		s.DailyTime = t
	}
	s.WindowEnabled = w.BackupWindowEnabled != nil && *w.BackupWindowEnabled
	if w.BackupWindowSettings != nil {
		s.Window, s.WindowMinuteOffset = w.BackupWindowSettings.BackupWindow, w.BackupWindowSettings.MinuteOffset
		if s.Window != nil && len(s.Window) != WindowHours {
			return s, fmt.Errorf("schedulePolicy.backupWindowSettings.backupWindow has %d hours, not %d", len(s.Window), WindowHours)
		}
	}
	return s, nil
}

// check refuses what no version accepts, and Hours12 where the version
// lacks it, before anything is sent.
func (s *JobSchedule) check(spec versionSpec, version APIVersion) error {
	if s.PeriodicallyEvery == "Hours12" && !spec.jobHours12 {
		return fmt.Errorf("%w: a backup job every 12 hours needs REST API v8, the client speaks %s", ErrUnsupported, version)
	}
	if s.WindowEnabled && len(s.Window) != WindowHours {
		return fmt.Errorf("vb365: a backup window has %d hours, not %d", WindowHours, len(s.Window))
	}
	if s.DailyTime != "" {
		if _, err := NormalizeDailyTime(s.DailyTime); err != nil {
			return fmt.Errorf("vb365: daily time: %w", err)
		}
	}
	return nil
}

// encode renders the policy to send: what the server answered (raw), with
// every field s sets written over it.
func (s *JobSchedule) encode() (map[string]json.RawMessage, error) {
	out := make(map[string]json.RawMessage, len(s.raw)+8)
	for k, v := range s.raw {
		out[k] = v
	}
	w := scheduleWire{
		Type: s.Type, PeriodicallyEvery: s.PeriodicallyEvery, PeriodicallyOffsetMinutes: s.PeriodicallyOffsetMinutes,
		DailyType: s.DailyType, RetryEnabled: s.RetryEnabled, RetryNumber: s.RetryNumber, RetryWaitInterval: s.RetryWaitMinutes,
		BackupWindowEnabled: &s.WindowEnabled,
	}
	if s.Type != "" {
		// The documents tie scheduleEnabled to periodic runs; a schedule
		// that runs at all has it on. Read answers do not use it.
		on := s.Type != ScheduleManualOnly
		w.ScheduleEnabled = &on
	}
	if s.DailyTime != "" {
		t, err := NormalizeDailyTime(s.DailyTime)
		if err != nil {
			return nil, err
		}
		if strings.Count(t, ":") == 1 {
			t += ":00"
		}
		w.DailyTime = t
	}
	if s.WindowEnabled || s.Window != nil {
		w.BackupWindowSettings = &windowWire{BackupWindow: s.Window, MinuteOffset: s.WindowMinuteOffset}
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, err
	}
	var set map[string]json.RawMessage
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, err
	}
	// Field names compare ignoring case, as the server binds them: a
	// field the server answered as "DailyTime" is replaced, not doubled.
	for k, v := range set {
		for old := range out {
			if strings.EqualFold(old, k) {
				delete(out, old)
			}
		}
		out[k] = v
	}
	return out, nil
}

// NormalizeDailyTime reads a daily start time as a server may write it,
// "22:00", "22:00:00", "22:00:00.0000000" or a date-time such as
// "0001-01-01T22:00:00" (the clock time as written, without converting a
// zone), and returns "HH:MM", or "HH:MM:SS" when the seconds are not zero.
func NormalizeDailyTime(s string) (string, error) {
	t := strings.TrimSpace(s)
	if i := strings.IndexAny(t, "Tt "); i >= 0 && strings.Count(t[:i], "-") == 2 {
		t = t[i+1:]
	}
	// Cut a zone (Z, +01:00, -05:00) and fractional seconds.
	if i := strings.IndexAny(t, "Zz+"); i >= 0 {
		t = t[:i]
	}
	if i := strings.LastIndex(t, "-"); i > 0 {
		t = t[:i]
	}
	if i := strings.Index(t, "."); i >= 0 {
		t = t[:i]
	}
	parts := strings.Split(t, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return "", fmt.Errorf("%q is not a time of day (HH:MM)", s)
	}
	limits := []int{23, 59, 59}
	n := make([]int, len(parts))
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || len(p) == 0 || len(p) > 2 || v < 0 || v > limits[i] {
			return "", fmt.Errorf("%q is not a time of day (HH:MM)", s)
		}
		n[i] = v
	}
	if len(n) == 3 && n[2] != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", n[0], n[1], n[2]), nil
	}
	return fmt.Sprintf("%02d:%02d", n[0], n[1]), nil
}

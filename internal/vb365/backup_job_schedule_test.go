package vb365

import (
	"encoding/json"
	"testing"
)

func TestNormalizeDailyTime(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"22:00", "22:00"},
		{"22:00:00", "22:00"},
		{"7:05", "07:05"},
		{"22:00:00.0000000", "22:00"},
		{"0001-01-01T22:00:00", "22:00"},
		{"0001-01-01T22:00:00Z", "22:00"},
		{"2026-03-01T06:30:00+01:00", "06:30"},
		{"2026-03-01T06:30:00-05:00", "06:30"},
		{"2026-03-01 06:30:00", "06:30"},
		{"06:30:15", "06:30:15"},
		{" 00:00 ", "00:00"},
	} {
		if got, err := NormalizeDailyTime(tc.in); err != nil || got != tc.want {
			t.Errorf("NormalizeDailyTime(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "22", "24:00", "22:60", "22:00:60", "ten past six", "22:00:00:00", "-1:00", "123:00"} {
		if got, err := NormalizeDailyTime(bad); err == nil {
			t.Errorf("NormalizeDailyTime(%q) = %q, want an error", bad, got)
		}
	}
}

// TestScheduleEncodeKeepsWhatItDoesNotManage: the fields of the server's
// policy that the schedule does not set are sent back as they were, with
// names that differ only in case replaced, not doubled.
func TestScheduleEncodeKeepsWhatItDoesNotManage(t *testing.T) {
	s, err := decodeSchedule(json.RawMessage(`{"type":"Daily","DailyTime":"22:00:00","periodicallyWindowEnabled":true,"futureField":{"a":1},"retryNumber":3}`))
	if err != nil || s.DailyTime != "22:00" || *s.RetryNumber != 3 {
		t.Fatalf("%+v, %v", s, err)
	}
	s.DailyTime, s.Type = "06:30", ScheduleDaily
	out, err := s.encode()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"type": `"Daily"`, "dailyTime": `"06:30:00"`, "periodicallyWindowEnabled": "true", "futureField": `{"a":1}`,
		"retryNumber": "3", "scheduleEnabled": "true", "backupWindowEnabled": "false"}
	if len(out) != len(want) {
		t.Fatalf("encoded %d fields, want %d: %v", len(out), len(want), out)
	}
	for k, v := range want {
		if string(out[k]) != v {
			t.Errorf("%s = %s, want %s", k, out[k], v)
		}
	}
}

func TestDecodeScheduleRefusesAShortWindow(t *testing.T) {
	if _, err := decodeSchedule(json.RawMessage(`{"backupWindowEnabled":true,"backupWindowSettings":{"backupWindow":[true,false]}}`)); err == nil {
		t.Fatal("a window of 2 hours was read")
	}
	if s, err := decodeSchedule(json.RawMessage(`null`)); err != nil || s.Type != "" {
		t.Fatalf("null: %+v, %v", s, err)
	}
}

package provider

import (
	"reflect"
	"strings"
	"testing"
)

func hoursOf(w []bool) []int {
	var out []int
	for i, on := range w {
		if on {
			out = append(out, i)
		}
	}
	return out
}

func TestWindowFromDays(t *testing.T) {
	for _, tc := range []struct {
		name  string
		days  map[string][]string
		hours []int // the allowed hours of the week, from Sunday 00:00
	}{
		{"nothing", map[string][]string{}, nil},
		{"Sunday's first hour", map[string][]string{"sunday": {"00:00-01:00"}}, []int{0}},
		{"Saturday's last hour", map[string][]string{"saturday": {"23:00-24:00"}}, []int{167}},
		{"Monday night and morning", map[string][]string{"monday": {"00:00-02:00", "22:00-24:00"}}, []int{24, 25, 46, 47}},
		{"whole Tuesday", map[string][]string{"tuesday": {"00:00-24:00"}}, seq(48, 72)},
		{"two days", map[string][]string{"wednesday": {"01:00-02:00"}, "friday": {"05:00-06:00"}}, []int{73, 125}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := windowFromDays(tc.days)
			if err != nil {
				t.Fatal(err)
			}
			if got := hoursOf(w); !reflect.DeepEqual(got, tc.hours) {
				t.Fatalf("hours %v, want %v", got, tc.hours)
			}
			back, err := windowToDays(w)
			if err != nil || !reflect.DeepEqual(back, tc.days) {
				t.Fatalf("back: %v, %v; want %v", back, err, tc.days)
			}
		})
	}
	if _, err := windowFromDays(map[string][]string{"someday": {"00:00-01:00"}}); err == nil {
		t.Error("someday was taken for a day")
	}
}

func seq(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// TestWindowToDays: any 168 hours read back in the one form that writes
// them, and that form writes them again.
func TestWindowToDays(t *testing.T) {
	all := make([]bool, 168)
	for i := range all {
		all[i] = true
	}
	every := map[string][]string{}
	for _, d := range windowDays {
		every[d] = []string{"00:00-24:00"}
	}
	alternate := make([]bool, 168)
	for i := range alternate {
		alternate[i] = i%2 == 0
	}
	for _, tc := range []struct {
		name string
		w    []bool
		want map[string][]string
	}{
		{"all", all, every},
		{"none", make([]bool, 168), map[string][]string{}},
		{"across midnight", func() []bool {
			w := make([]bool, 168)
			w[23], w[24] = true, true // Sunday 23:00 and Monday 00:00
			return w
		}(), map[string][]string{"sunday": {"23:00-24:00"}, "monday": {"00:00-01:00"}}},
	} {
		got, err := windowToDays(tc.w)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	days, err := windowToDays(alternate)
	if err != nil || len(days["friday"]) != 12 || days["friday"][0] != "00:00-01:00" || days["friday"][11] != "22:00-23:00" {
		t.Fatalf("alternate: %v, %v", days, err)
	}
	for _, d := range windowDays {
		if p := checkDayRanges(days[d]); p != "" {
			t.Errorf("%s read back as %v, which the check refuses: %s", d, days[d], p)
		}
	}
	back, _ := windowFromDays(days)
	if !reflect.DeepEqual(back, alternate) {
		t.Error("alternate hours do not survive the round trip")
	}
	if _, err := windowToDays(make([]bool, 24)); err == nil {
		t.Error("24 hours taken for a week")
	}
}

func TestCheckDayRanges(t *testing.T) {
	for _, ok := range [][]string{{"00:00-24:00"}, {"08:00-12:00", "13:00-18:00"}, {"00:00-01:00", "23:00-24:00"}} {
		if p := checkDayRanges(ok); p != "" {
			t.Errorf("%v: %s", ok, p)
		}
	}
	for _, tc := range []struct {
		ranges []string
		says   string
	}{
		{[]string{}, "leave the day out"},
		{[]string{"8-18"}, "HH:00-HH:00"},
		{[]string{"08:30-18:00"}, "whole hours"},
		{[]string{"08:00-25:00"}, "HH:00-HH:00"},
		{[]string{"18:00-08:00"}, "ends before it starts"},
		{[]string{"08:00-08:00"}, "ends before it starts"},
		{[]string{"08:00-12:00", "12:00-18:00"}, "one range, 08:00-18:00"},
		{[]string{"08:00-12:00", "10:00-18:00"}, "overlaps"},
		{[]string{"13:00-18:00", "08:00-12:00"}, "in order"},
	} {
		p := checkDayRanges(tc.ranges)
		if !strings.Contains(p, tc.says) {
			t.Errorf("%v: %q, want it to say %q", tc.ranges, p, tc.says)
		}
	}
}

func TestWindowAllowsAnything(t *testing.T) {
	w := make([]bool, 168)
	if windowAllowsAnything(w) {
		t.Fatal("an empty window allows something")
	}
	w[100] = true
	if !windowAllowsAnything(w) {
		t.Fatal("Thursday 04:00 is not allowed")
	}
}

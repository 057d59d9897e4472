package provider

import (
	"fmt"
	"strconv"
	"strings"
)

// A backup window as a person writes it: for each day of the week, the
// hours in which a backup may run, as ranges "HH:00-HH:00" (end up to
// 24:00). The wire has 168 booleans, 24 per day from Sunday 00:00. A day
// that is not written has no allowed hour. The ranges of a day are written
// in order and apart (08:00-12:00 and 12:00-18:00 are one range,
// 08:00-18:00): the form that reading the window back gives, so a plan
// after an apply is empty.

// windowDays are the days in the wire's order.
var windowDays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// parseHourRange reads "HH:00-HH:00".
func parseHourRange(s string) (start, end int, err error) {
	bad := fmt.Errorf("%q is not an hour range: write it as HH:00-HH:00, for example 08:00-18:00 (the window is in whole hours; 24:00 ends a day)", s)
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, bad
	}
	hour := func(t string) (int, bool) {
		h, m, ok := strings.Cut(t, ":")
		if !ok || m != "00" || len(h) != 2 {
			return 0, false
		}
		n, err := strconv.Atoi(h)
		return n, err == nil && n >= 0 && n <= 24
	}
	start, ok1 := hour(from)
	end, ok2 := hour(to)
	switch {
	case !ok1 || !ok2:
		return 0, 0, bad
	case start >= end:
		return 0, 0, fmt.Errorf("%q ends before it starts: a range lies within one day (split a night into the evening of one day and the morning of the next)", s)
	}
	return start, end, nil
}

func hourRange(start, end int) string { return fmt.Sprintf("%02d:00-%02d:00", start, end) }

// checkDayRanges says what is wrong with one day's ranges ("" when
// nothing): the form, the order, and ranges that overlap or touch.
func checkDayRanges(ranges []string) string {
	if len(ranges) == 0 {
		return "an empty list: leave the day out instead (a day that is not written has no allowed hour)"
	}
	prevEnd := -1
	for i, r := range ranges {
		start, end, err := parseHourRange(r)
		if err != nil {
			return err.Error()
		}
		switch {
		case i > 0 && start < prevEnd:
			return fmt.Sprintf("%q overlaps or comes before %q: write the ranges in order, apart", r, ranges[i-1])
		case i > 0 && start == prevEnd:
			first, _, _ := parseHourRange(ranges[i-1])
			return fmt.Sprintf("%q and %q touch: write them as one range, %s", ranges[i-1], r, hourRange(first, end))
		}
		prevEnd = end
	}
	return ""
}

// windowFromDays turns per-day ranges (keys from windowDays) into the 168
// booleans. The ranges must pass checkDayRanges.
func windowFromDays(days map[string][]string) ([]bool, error) {
	w := make([]bool, 7*24)
	for d, name := range windowDays {
		for _, r := range days[name] {
			start, end, err := parseHourRange(r)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			for h := start; h < end; h++ {
				w[d*24+h] = true
			}
		}
	}
	for name := range days {
		if !isWindowDay(name) {
			return nil, fmt.Errorf("%q is not a day of the week", name)
		}
	}
	return w, nil
}

func isWindowDay(name string) bool {
	for _, d := range windowDays {
		if d == name {
			return true
		}
	}
	return false
}

// windowToDays turns 168 booleans into per-day ranges, each day's in order
// and apart; a day without an allowed hour is left out.
func windowToDays(w []bool) (map[string][]string, error) {
	if len(w) != 7*24 {
		return nil, fmt.Errorf("a backup window has %d hours, not 168", len(w))
	}
	out := map[string][]string{}
	for d, name := range windowDays {
		hours := w[d*24 : d*24+24]
		for h := 0; h < 24; {
			if !hours[h] {
				h++
				continue
			}
			start := h
			for h < 24 && hours[h] {
				h++
			}
			out[name] = append(out[name], hourRange(start, h))
		}
	}
	return out, nil
}

// windowAllowsAnything reports whether a window allows at least one hour.
func windowAllowsAnything(w []bool) bool {
	for _, h := range w {
		if h {
			return true
		}
	}
	return false
}

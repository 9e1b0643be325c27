package monitor

import (
	"strings"
	"testing"
	"time"
)

func TestTrialWindow(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tr := Trial{Name: "t", Start: start, Days: 30}
	end := start.Add(30 * Day)
	tests := []struct {
		name     string
		at       time.Time
		contains bool
		status   TrialStatus
		day      int // DayNumber
		elapsed  int
		index    int
	}{
		{"one nanosecond before the start", start.Add(-time.Nanosecond), false, StatusScheduled, 0, 0, -1},
		{"a day and a bit before the start", start.Add(-25 * time.Hour), false, StatusScheduled, 0, 0, -2},
		{"first instant", start, true, StatusActive, 1, 0, 0},
		{"last instant of day 1", start.Add(Day - time.Nanosecond), true, StatusActive, 1, 0, 0},
		{"first instant of day 2", start.Add(Day), true, StatusActive, 2, 1, 1},
		{"last instant before the end", end.Add(-time.Nanosecond), true, StatusActive, 30, 29, 29},
		{"the end", end, false, StatusCompleted, 30, 30, 30},
		{"long after", end.Add(100 * Day), false, StatusCompleted, 30, 30, 130},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tr.Contains(tc.at); got != tc.contains {
				t.Errorf("Contains = %v, want %v", got, tc.contains)
			}
			if got := tr.Status(tc.at); got != tc.status {
				t.Errorf("Status = %q, want %q", got, tc.status)
			}
			if got := tr.DayNumber(tc.at); got != tc.day {
				t.Errorf("DayNumber = %d, want %d", got, tc.day)
			}
			if got := tr.ElapsedDays(tc.at); got != tc.elapsed {
				t.Errorf("ElapsedDays = %d, want %d", got, tc.elapsed)
			}
			if got := tr.DayIndex(tc.at); got != tc.index {
				t.Errorf("DayIndex = %d, want %d", got, tc.index)
			}
		})
	}
}

func TestParseCategory(t *testing.T) {
	for _, c := range Categories {
		got, err := ParseCategory(string(c))
		if err != nil || got != c {
			t.Errorf("ParseCategory(%q) = %q, %v", c, got, err)
		}
	}
	if _, err := ParseCategory("Shelling"); err == nil {
		t.Error("ParseCategory is case-sensitive: \"Shelling\" must be rejected")
	}
	_, err := ParseCategory("bombing")
	for _, c := range Categories {
		if err == nil || !strings.Contains(err.Error(), string(c)) {
			t.Errorf("ParseCategory error %v does not list %q", err, c)
		}
		if c.DefaultSeverity() == "" {
			t.Errorf("category %q has no default severity", c)
		}
	}
	if got := Category("bombing").DefaultSeverity(); got != "" {
		t.Errorf("DefaultSeverity of an unknown category = %q, want none", got)
	}
}

func TestTallyFreeDays(t *testing.T) {
	start := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	tr := Trial{Name: "t", Start: start, Days: 30}
	ty := NewTally()
	at := func(h float64) time.Time { return start.Add(time.Duration(h * float64(time.Hour))) }
	v := func(h float64) Violation {
		return Violation{Trial: "t", ZoneID: "z", Category: Shelling, OccurredAt: at(h), Day: tr.DayIndex(at(h))}
	}
	ty.Add([]Violation{v(1), v(2), v(50)}) // days 0, 0 and 2
	tests := []struct {
		now  float64
		free int
	}{
		{-5, 0},      // scheduled
		{10, 0},      // day 1 not over yet
		{24, 0},      // day 1 over, had violations
		{48, 1},      // day 2 over, clean
		{72, 1},      // day 3 over, had a violation
		{24 * 10, 8}, // 10 days over, 2 with violations
		{24 * 40, 28},
	}
	for _, tc := range tests {
		if got := ty.FreeDays(&tr, "z", at(tc.now)); got != tc.free {
			t.Errorf("FreeDays at +%vh = %d, want %d", tc.now, got, tc.free)
		}
	}
	if got := ty.Count("t", "z", Shelling); got != 3 {
		t.Errorf("Count = %d, want 3", got)
	}
	if got := ty.LastViolation("t", "z"); !got.Equal(at(50)) {
		t.Errorf("LastViolation = %v", got)
	}
}

package monitor

import (
	"time"
)

// Day is the length of one trial day.
const Day = 24 * time.Hour

// TrialStatus is where a trial stands in its lifecycle at some instant:
// scheduled, then active, then completed. Its values are the status label
// of ceasefire_trial_status.
type TrialStatus string

// Trial status values, in lifecycle order.
const (
	StatusScheduled TrialStatus = "scheduled" // before the start
	StatusActive    TrialStatus = "active"    // inside [Start, End)
	StatusCompleted TrialStatus = "completed" // from End on
)

// Statuses lists the trial statuses in lifecycle order.
var Statuses = []TrialStatus{StatusScheduled, StatusActive, StatusCompleted}

// Trial is one freeze-fire agreement in time: the zones it covers, its
// half-open window [Start, Start+Days) and the prohibited categories.
type Trial struct {
	Name         string
	Zones        []string // zone ids, already expanded from "*"
	Start        time.Time
	Days         int
	Prohibited   []Category
	BufferMeters float64 // an incident this close outside a zone also counts
}

// End returns the first instant after the trial window.
func (t *Trial) End() time.Time { return t.Start.Add(time.Duration(t.Days) * Day) }

// Contains reports whether ts falls in the half-open window [Start, End).
func (t *Trial) Contains(ts time.Time) bool {
	return !ts.Before(t.Start) && ts.Before(t.End())
}

// Prohibits reports whether incidents of category c violate the trial.
func (t *Trial) Prohibits(c Category) bool {
	for _, p := range t.Prohibited {
		if p == c {
			return true
		}
	}
	return false
}

// Status returns scheduled before Start, active inside the window and
// completed from End on.
func (t *Trial) Status(now time.Time) TrialStatus {
	switch {
	case now.Before(t.Start):
		return StatusScheduled
	case now.Before(t.End()):
		return StatusActive
	default:
		return StatusCompleted
	}
}

// DayIndex returns the 0-based trial day of ts; it is negative before the
// start and may exceed Days-1 after the end.
func (t *Trial) DayIndex(ts time.Time) int {
	d := ts.Sub(t.Start)
	if d < 0 {
		return int((d - Day + 1) / Day)
	}
	return int(d / Day)
}

// DayNumber returns the 1-based day of the trial at now as shown to people
// ("day 3 of 30"): 0 while scheduled, Days once completed.
func (t *Trial) DayNumber(now time.Time) int {
	switch t.Status(now) {
	case StatusScheduled:
		return 0
	case StatusCompleted:
		return t.Days
	}
	return t.DayIndex(now) + 1
}

// ElapsedDays returns how many whole trial days have ended by now, between 0
// and Days. A day counts as violation-free only once it has ended.
func (t *Trial) ElapsedDays(now time.Time) int {
	n := t.DayIndex(now)
	switch {
	case n < 0:
		return 0
	case n > t.Days:
		return t.Days
	}
	return n
}

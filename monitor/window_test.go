package monitor_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// TestTrialSeriesAtTheEdges scrapes the trial series at the first instant
// of the window, the last instant before its end and the end, with one
// violation on day 1 and one on day 30.
func TestTrialSeriesAtTheEdges(t *testing.T) {
	end := trialStart.Add(30 * monitor.Day)
	tests := []struct {
		name   string
		now    time.Time
		status monitor.TrialStatus
		day    int
		freeA  int // violation-free days of zone a
		freeB  int
	}{
		{"one nanosecond before the start", trialStart.Add(-time.Nanosecond), "scheduled", 0, 0, 0},
		{"the first instant", trialStart, "active", 1, 0, 0},
		{"the last instant of day 1", trialStart.Add(monitor.Day - time.Nanosecond), "active", 1, 0, 0},
		{"the first instant of day 2", trialStart.Add(monitor.Day), "active", 2, 0, 1},
		{"the last instant before the end", end.Add(-time.Nanosecond), "active", 30, 28, 29},
		{"the end", end, "completed", 30, 28, 30},
		{"a year after", end.Add(365 * monitor.Day), "completed", 30, 28, 30},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newFakeClock(tc.now)
			r, reg := clockRunner(t, store.NewMemory(), c, 0)
			_, err := r.Submit(context.Background(), "field", []monitor.Incident{
				{ID: "first", OccurredAt: trialStart, Lat: 0.5, Lon: 0.5, Category: monitor.Shelling},
				{ID: "last", OccurredAt: end.Add(-time.Nanosecond), Lat: 0.5, Lon: 0.5, Category: monitor.Shelling},
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var want strings.Builder
			want.WriteString(`
# HELP ceasefire_trial_day Day N of the trial (1-based) while active; 0 when scheduled, the length when completed.
# TYPE ceasefire_trial_day gauge
`)
			fmt.Fprintf(&want, "ceasefire_trial_day{trial=\"freeze\"} %d\n", tc.day)
			want.WriteString(`# HELP ceasefire_trial_status 1 for the current status of a trial, 0 for the others.
# TYPE ceasefire_trial_status gauge
`)
			for _, s := range monitor.Statuses {
				v := 0
				if s == tc.status {
					v = 1
				}
				fmt.Fprintf(&want, "ceasefire_trial_status{status=%q,trial=\"freeze\"} %d\n", s, v)
			}
			want.WriteString(`# HELP ceasefire_trial_violation_free_seconds Length of the trial days (86400 s each) that have ended without a violation in the zone.
# TYPE ceasefire_trial_violation_free_seconds gauge
`)
			fmt.Fprintf(&want, "ceasefire_trial_violation_free_seconds{trial=\"freeze\",zone_id=\"a\"} %d\n", tc.freeA*86400)
			fmt.Fprintf(&want, "ceasefire_trial_violation_free_seconds{trial=\"freeze\",zone_id=\"b\"} %d\n", tc.freeB*86400)
			if err := testutil.GatherAndCompare(reg, strings.NewReader(want.String()),
				"ceasefire_trial_day", "ceasefire_trial_status", "ceasefire_trial_violation_free_seconds"); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestIncidentsAtTheWindowEdges checks which event times violate the
// half-open window [start, start+30 days).
func TestIncidentsAtTheWindowEdges(t *testing.T) {
	end := trialStart.Add(30 * monitor.Day)
	tests := []struct {
		name    string
		at      time.Time
		violate bool
		day     int
	}{
		{"one nanosecond before the start", trialStart.Add(-time.Nanosecond), false, 0},
		{"the first instant", trialStart, true, 0},
		{"the last instant of day 1", trialStart.Add(monitor.Day - time.Nanosecond), true, 0},
		{"the first instant of day 2", trialStart.Add(monitor.Day), true, 1},
		{"the last instant before the end", end.Add(-time.Nanosecond), true, 29},
		{"the end", end, false, 0},
		{"the same instant in another zone offset", trialStart.In(time.FixedZone("UTC+3", 3*3600)), true, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []monitor.Violation
			// The clock reads a day after the window, so that no incident
			// here is one from the future.
			after := trialStart.Add(31 * monitor.Day)
			r := monitor.NewRunner(monitor.RunnerOptions{Store: store.NewMemory(), Now: func() time.Time { return after },
				OnViolations: func(vs []monitor.Violation) { got = append(got, vs...) }})
			r.SetEvaluator(testEvaluator(t))
			st, err := r.Submit(context.Background(), "field",
				[]monitor.Incident{{ID: "x", OccurredAt: tc.at, Lat: 0.5, Lon: 0.5, Category: monitor.Shelling}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if st.New != 1 {
				t.Errorf("%d stored, want the incident stored in any case", st.New)
			}
			if (len(got) == 1) != tc.violate {
				t.Fatalf("violations %+v, want violation %v", got, tc.violate)
			}
			if tc.violate && (got[0].Day != tc.day || got[0].ZoneID != "a" || !got[0].OccurredAt.Equal(tc.at)) {
				t.Errorf("violation %+v, want zone a, day %d, at %v", got[0], tc.day, tc.at)
			}
		})
	}
}

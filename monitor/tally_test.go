package monitor_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// violation returns a violation of trial "freeze" in zone on the given
// trial day, placed as p.
func violation(zone string, c monitor.Category, day int, p monitor.Placement, id string) monitor.Violation {
	return monitor.Violation{
		Trial: "freeze", ZoneID: zone, Category: c, Source: "s", IncidentID: id,
		OccurredAt: trialStart.Add(time.Duration(day)*monitor.Day + time.Hour), Placement: p, Day: day,
	}
}

func TestTallyAdd(t *testing.T) {
	tests := []struct {
		name          string
		add           [][]monitor.Violation // one slice per Add call
		zone          string
		cat           monitor.Category
		wantCount     int64
		wantAmbiguous int64
		wantDays      []int
		wantLast      time.Time
	}{
		{"nothing added", nil, "a", monitor.Shelling, 0, 0, nil, time.Time{}},
		{"an empty add", [][]monitor.Violation{{}}, "a", monitor.Shelling, 0, 0, nil, time.Time{}},
		{"one inside", [][]monitor.Violation{{violation("a", monitor.Shelling, 2, monitor.Inside, "1")}},
			"a", monitor.Shelling, 1, 0, []int{2}, trialStart.Add(2*monitor.Day + time.Hour)},
		{"buffer counts like inside", [][]monitor.Violation{{violation("a", monitor.Shelling, 0, monitor.Buffer, "1")}},
			"a", monitor.Shelling, 1, 0, []int{0}, trialStart.Add(time.Hour)},
		{"ambiguous is counted apart, with no day and no time", [][]monitor.Violation{{
			violation("a", monitor.Shelling, 4, monitor.Ambiguous, "1"),
			violation("a", monitor.Shelling, 5, monitor.Ambiguous, "2"),
		}}, "a", monitor.Shelling, 0, 2, nil, time.Time{}},
		{"the newest time wins, whatever the order of adds", [][]monitor.Violation{
			{violation("a", monitor.Shelling, 6, monitor.Inside, "1")},
			{violation("a", monitor.Shelling, 3, monitor.Inside, "2")},
		}, "a", monitor.Shelling, 2, 0, []int{3, 6}, trialStart.Add(6*monitor.Day + time.Hour)},
		{"one day counted once", [][]monitor.Violation{{
			violation("a", monitor.Shelling, 1, monitor.Inside, "1"),
			violation("a", monitor.ArmedClash, 1, monitor.Inside, "2"),
		}}, "a", monitor.Shelling, 1, 0, []int{1}, trialStart.Add(monitor.Day + time.Hour)},
		{"another zone is not counted", [][]monitor.Violation{{violation("b", monitor.Shelling, 1, monitor.Inside, "1")}},
			"a", monitor.Shelling, 0, 0, nil, time.Time{}},
		{"another category is not counted in this one", [][]monitor.Violation{{violation("a", monitor.ArmedClash, 1, monitor.Inside, "1")}},
			"a", monitor.Shelling, 0, 0, []int{1}, trialStart.Add(monitor.Day + time.Hour)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tl := monitor.NewTally()
			for _, vs := range tc.add {
				tl.Add(vs)
			}
			if got := tl.Count("freeze", tc.zone, tc.cat); got != tc.wantCount {
				t.Errorf("Count = %d, want %d", got, tc.wantCount)
			}
			if got := tl.AmbiguousCount("freeze", tc.zone, tc.cat); got != tc.wantAmbiguous {
				t.Errorf("AmbiguousCount = %d, want %d", got, tc.wantAmbiguous)
			}
			z := tl.Zone("freeze", tc.zone)
			if !slices.Equal(z.ViolationDays, tc.wantDays) {
				t.Errorf("days %v, want %v", z.ViolationDays, tc.wantDays)
			}
			if !z.Last.Equal(tc.wantLast) || !tl.LastViolation("freeze", tc.zone).Equal(tc.wantLast) {
				t.Errorf("last %v / %v, want %v", z.Last, tl.LastViolation("freeze", tc.zone), tc.wantLast)
			}
		})
	}
}

func TestTallyCountsSorted(t *testing.T) {
	tl := monitor.NewTally()
	tl.Add([]monitor.Violation{
		violation("b", monitor.Shelling, 0, monitor.Inside, "1"),
		violation("a", monitor.Shelling, 0, monitor.Inside, "2"),
		violation("a", monitor.ArmedClash, 0, monitor.Inside, "3"),
		violation("a", monitor.ArmedClash, 1, monitor.Inside, "4"),
		violation("a", monitor.AirStrike, 1, monitor.Ambiguous, "5"),
	})
	want := []monitor.CategoryCount{
		{Trial: "freeze", ZoneID: "a", Category: monitor.ArmedClash, Count: 2},
		{Trial: "freeze", ZoneID: "a", Category: monitor.Shelling, Count: 1},
		{Trial: "freeze", ZoneID: "b", Category: monitor.Shelling, Count: 1},
	}
	if got := tl.Counts(); !slices.Equal(got, want) {
		t.Errorf("Counts = %+v, want %+v", got, want)
	}
	if got := tl.Zone("freeze", "a").Count; got != 3 {
		t.Errorf("zone a count %d, want 3 of every category", got)
	}
}

func TestTallyFreeDaysAtTheEdges(t *testing.T) {
	tr := &monitor.Trial{Name: "freeze", Start: trialStart, Days: 30}
	tl := monitor.NewTally()
	tl.Add([]monitor.Violation{
		violation("a", monitor.Shelling, 0, monitor.Inside, "1"),
		violation("a", monitor.Shelling, 29, monitor.Inside, "2"),
		violation("a", monitor.Shelling, 3, monitor.Ambiguous, "3"), // no day
	})
	end := tr.End()
	tests := []struct {
		name string
		now  time.Time
		want int
	}{
		{"before the start", trialStart.Add(-time.Nanosecond), 0},
		{"first instant: no day has ended", trialStart, 0},
		{"last instant of day 1: it has not ended", trialStart.Add(monitor.Day - time.Nanosecond), 0},
		{"day 1 ended with a violation", trialStart.Add(monitor.Day), 0},
		{"day 2 ended free", trialStart.Add(2 * monitor.Day), 1},
		{"ambiguous day 4 counts as free", trialStart.Add(4 * monitor.Day), 3},
		{"last instant before the end: day 30 not ended", end.Add(-time.Nanosecond), 28},
		{"the end: day 30 had a violation", end, 28},
		{"long after the end", end.Add(90 * monitor.Day), 28},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tl.FreeDays(tr, "a", tc.now); got != tc.want {
				t.Errorf("FreeDays = %d, want %d", got, tc.want)
			}
			if got := tl.FreeDays(tr, "b", tc.now); got != tr.ElapsedDays(tc.now) {
				t.Errorf("zone b without violations: FreeDays = %d, want every ended day (%d)", got, tr.ElapsedDays(tc.now))
			}
		})
	}
}

// TestTallyRestore checks that Restore replaces what the tally held with
// the store's totals, retracted and ambiguous counts included, for both
// stores.
func TestTallyRestore(t *testing.T) {
	stores := []struct {
		name string
		open func(t *testing.T) monitor.Store
	}{
		{"memory", func(*testing.T) monitor.Store { return store.NewMemory() }},
		{"sqlite", func(t *testing.T) monitor.Store { return openDB(t) }},
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			s := st.open(t)
			ctx := context.Background()
			c := newFakeClock(trialStart.Add(5 * monitor.Day))
			r, _ := clockRunner(t, s, c, 0)
			incs := []monitor.Incident{
				report("r1", 1, 0.5, 0.5, monitor.Shelling),
				report("r2", 2, 0.5, 0.6, monitor.Shelling),
				report("r3", 2, 0.5, 1.5, monitor.ArmedClash),
			}
			if _, err := r.Submit(ctx, "field", incs, nil); err != nil {
				t.Fatal(err)
			}
			// r2 moves out of every zone: its violation is retracted.
			if _, err := r.Submit(ctx, "field", []monitor.Incident{report("r2", 2, 5, 5, monitor.Shelling)}, nil); err != nil {
				t.Fatal(err)
			}
			tl := monitor.NewTally()
			tl.Add([]monitor.Violation{violation("z", monitor.Shelling, 1, monitor.Inside, "stale")})
			if err := tl.Restore(ctx, s); err != nil {
				t.Fatal(err)
			}
			if got := tl.Count("freeze", "z", monitor.Shelling); got != 0 {
				t.Errorf("stale count %d survived Restore", got)
			}
			checks := []struct {
				name      string
				got, want int64
			}{
				{"shelling in a, ever", tl.Count("freeze", "a", monitor.Shelling), 2},
				{"shelling in a, retracted", tl.RetractedCount("freeze", "a", monitor.Shelling), 1},
				{"armed clash in b", tl.Count("freeze", "b", monitor.ArmedClash), 1},
				{"standing in a", tl.Zone("freeze", "a").Count, 1},
			}
			for _, ch := range checks {
				if ch.got != ch.want {
					t.Errorf("%s = %d, want %d", ch.name, ch.got, ch.want)
				}
			}
			if got := tl.Zone("freeze", "a").ViolationDays; !slices.Equal(got, []int{1}) {
				t.Errorf("days of a %v, want [1]: day 2 lost its only violation", got)
			}
			if got, want := tl.LastViolation("freeze", "a"), trialStart.Add(monitor.Day+time.Hour); !got.Equal(want) {
				t.Errorf("last violation in a %v, want %v", got, want)
			}
			// The runner's own tally agrees with a fresh restore.
			if got := r.Tally().Counts(); !slices.Equal(got, tl.Counts()) {
				t.Errorf("runner tally %+v, restored %+v", got, tl.Counts())
			}
		})
	}
}

// report returns a field report of id on trial day day at (lat, lon).
func report(id string, day int, lat, lon float64, c monitor.Category) monitor.Incident {
	return monitor.Incident{
		ID: id, OccurredAt: trialStart.Add(time.Duration(day)*monitor.Day + time.Hour),
		Lat: lat, Lon: lon, Category: c, Confidence: -1,
	}
}

package judge_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor/judge"
)

// every returns attempts every step over [from, to), failing (as a 503
// would) when fail says so.
func every(from, to time.Time, step time.Duration, fail func(time.Time) bool) []judge.Attempt {
	var out []judge.Attempt
	for t := from; t.Before(to); t = t.Add(step) {
		out = append(out, judge.Attempt{At: t, OK: !fail(t)})
	}
	return out
}

// observedDays returns the days observed, and the kinds of each, as
// strings.
func observedDays(days []judge.DayCoverage) (obs []int, kinds []string) {
	for _, d := range days {
		if d.Observed() {
			obs = append(obs, d.Day)
		}
		var ks []string
		for _, k := range d.Kinds {
			ks = append(ks, string(k))
		}
		kinds = append(kinds, fmt.Sprintf("%d:%s", d.Day, strings.Join(ks, ",")))
	}
	return obs, kinds
}

// TestCoverageFailingSource has a FIRMS source fetched every 30 minutes
// answer 503 for trial days 2, 3 and 4 of a week, beside an ACLED source
// fetched hourly that never fails: those three days are unobserved by the
// satellite kind, and observed only by event data.
func TestCoverageFailingSource(t *testing.T) {
	day := 24 * time.Hour
	now := trialStart.Add(7 * day)
	outage := func(at time.Time) bool {
		return !at.Before(trialStart.Add(2*day)) && at.Before(trialStart.Add(5*day))
	}
	firms := judge.SourceAttempts{Source: "firms", Kind: judge.Satellite, MaxGap: judge.MaxGapFor(30 * time.Minute),
		Attempts: every(trialStart.Add(-day), now, 30*time.Minute, outage)}
	acled := judge.SourceAttempts{Source: "acled", Kind: judge.EventData, MaxGap: judge.MaxGapFor(time.Hour),
		Attempts: every(trialStart, now, time.Hour, func(time.Time) bool { return false })}

	days, err := judge.Coverage(trialStart, 30, now, []judge.SourceAttempts{firms})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := observedDays(days)
	if want := []int{0, 1, 5, 6}; !slices.Equal(got, want) {
		t.Errorf("firms alone: observed days %v, want %v", got, want)
	}
	if obs, complete := judge.CompleteDays(days); obs != 4 || complete != 7 {
		t.Errorf("CompleteDays = %d of %d, want 4 of 7", obs, complete)
	}

	days, err = judge.Coverage(trialStart, 30, now, []judge.SourceAttempts{firms, acled})
	if err != nil {
		t.Fatal(err)
	}
	_, kinds := observedDays(days)
	want := []string{
		"0:satellite,event_data", "1:satellite,event_data", "2:event_data", "3:event_data",
		"4:event_data", "5:satellite,event_data", "6:satellite,event_data",
	}
	if !slices.Equal(kinds, want) {
		t.Errorf("kinds per day %q, want %q", kinds, want)
	}
}

// TestCoverageGaps checks the edges of one day: a stretch of exactly
// MaxGap is allowed, a nanosecond more is not, at the start, between
// successes and at the end of the day; a day without success is never
// observed; the running day is judged up to now.
func TestCoverageGaps(t *testing.T) {
	h := time.Hour
	at := func(offsets ...time.Duration) []judge.Attempt {
		var out []judge.Attempt
		for _, o := range offsets {
			out = append(out, judge.Attempt{At: trialStart.Add(o), OK: true})
		}
		return out
	}
	tests := []struct {
		name     string
		attempts []judge.Attempt
		now      time.Time
		want     bool
		maxGap   time.Duration // 0: 6h
	}{
		{"stretches of exactly the gap", at(12*h, 6*h, 18*h), trialStart.Add(24 * h), true, 0},
		{"start a nanosecond long", at(6*h+1, 12*h, 18*h), trialStart.Add(24 * h), false, 0},
		{"middle a nanosecond long", at(6*h, 12*h+1, 18*h+1), trialStart.Add(24 * h), false, 0},
		{"end a nanosecond long", at(6*h, 12*h, 18*h-1), trialStart.Add(24 * h), false, 0},
		{"success before the day counts", at(-h, 5*h, 11*h, 17*h, 23*h), trialStart.Add(24 * h), true, 0},
		{"success before the day too old", at(-2*h, 5*h, 11*h, 17*h, 23*h), trialStart.Add(24 * h), false, 0},
		{"success exactly at the start", at(0, 6*h, 12*h, 18*h), trialStart.Add(24 * h), true, 0},
		{"no success", nil, trialStart.Add(24 * h), false, 0},
		{"failures only", []judge.Attempt{{At: trialStart.Add(h)}, {At: trialStart.Add(2 * h)}}, trialStart.Add(24 * h), false, 0},
		{"running day up to now", at(h), trialStart.Add(5 * h), true, 0},
		{"running day, no success yet", nil, trialStart.Add(5 * h), false, 0},
		{"source fetched every two days, between fetches", at(-20*h, 30*h), trialStart.Add(24 * h), true, judge.MaxGapFor(48 * h)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			maxGap := cmp.Or(tt.maxGap, 6*h)
			src := judge.SourceAttempts{Source: "s", Kind: judge.Field, MaxGap: maxGap, Attempts: tt.attempts}
			days, err := judge.Coverage(trialStart, 30, tt.now, []judge.SourceAttempts{src})
			if err != nil {
				t.Fatal(err)
			}
			if len(days) != 1 {
				t.Fatalf("%d days, want 1", len(days))
			}
			if got := days[0].Observed(); got != tt.want {
				t.Errorf("observed %t, want %t", got, tt.want)
			}
			if days[0].Complete != !tt.now.Before(trialStart.Add(24*h)) {
				t.Errorf("complete %t at %v", days[0].Complete, tt.now)
			}
		})
	}
}

// TestCoverageDays checks which days are listed: those begun before now,
// at most the trial's days.
func TestCoverageDays(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name string
		now  time.Time
		want int
	}{
		{"before the start", trialStart.Add(-time.Second), 0},
		{"at the start", trialStart, 0},
		{"just after the start", trialStart.Add(time.Nanosecond), 1},
		{"at the second day", trialStart.Add(day), 1},
		{"long after the end", trialStart.Add(100 * day), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, err := judge.Coverage(trialStart, 3, tt.now, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(days) != tt.want {
				t.Errorf("%d days, want %d", len(days), tt.want)
			}
		})
	}
	bad := []judge.SourceAttempts{{Source: "s", Kind: judge.Field, MaxGap: 0}}
	if _, err := judge.Coverage(trialStart, 3, trialStart.Add(day), bad); err == nil {
		t.Error("a MaxGap of 0 was accepted")
	}
}

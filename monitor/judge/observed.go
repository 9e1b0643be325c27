package judge

import (
	"fmt"
	"slices"
	"time"
)

// Default coverage settings.
const (
	// DefaultMinDaysFraction is the least share of a trial's complete days
	// that must be observed for "held" to be said.
	DefaultMinDaysFraction = 0.8
	// DefaultPushMaxGap is the longest a push source may go without a
	// report while still observing.
	DefaultPushMaxGap = 24 * time.Hour
)

// Attempt is one fetch of a source, or one request received by a push
// source: when it happened and whether it succeeded (stored what it got,
// even nothing new).
type Attempt struct {
	At time.Time
	OK bool
}

// SourceAttempts is what Coverage needs of one source.
type SourceAttempts struct {
	Source string
	Kind   Kind
	// MaxGap is the longest stretch of a day without a successful attempt
	// that still leaves the day observed (> 0): MaxGapFor(interval) for a
	// fetched source, the configured expectation for a pushed one.
	MaxGap time.Duration
	// Attempts in any order; only successful ones count.
	Attempts []Attempt
}

// MaxGapFor returns the MaxGap of a source fetched every interval: twice
// the interval, so that one failed or late fetch is forgiven and two in a
// row are not.
func MaxGapFor(interval time.Duration) time.Duration { return 2 * interval }

// DayCoverage says which sources and kinds observed one trial day.
type DayCoverage struct {
	// Day is the 0-based trial day; Start its first instant.
	Day   int
	Start time.Time
	// Complete is false for the day still running at now, which is judged
	// over its part up to now.
	Complete bool
	// Sources lists the sources that observed the day, in input order;
	// Kinds their kinds, in the order of Kinds.
	Sources []string
	Kinds   []Kind
}

// Observed reports whether any source observed the day.
func (d DayCoverage) Observed() bool { return len(d.Sources) > 0 }

// Coverage returns, for each trial day begun before now (the trial's
// days from start, each 24 hours, the last one possibly still running),
// which sources and kinds observed it. Sources are not tied to zones, so
// the result holds for every zone of the trial.
//
// A source observes the day [a, b) — b is now for the running day — when
// at every instant of it the source's latest success is at most MaxGap
// old: the stretches from its latest success at or before a to the next,
// between successes, and from the last success to b are each at most
// MaxGap long (exactly MaxGap is allowed). A source with no success at or
// before a is measured from a, so the daemon's first fetch does not cost
// the day, but it must then succeed within the day. A source fetched
// less often than daily thus observes the days between its fetches.
// Failed attempts only mark time passing: a source that fails (say,
// answers 503) for longer than MaxGap leaves its days unobserved.
// Attempts should reach back MaxGap before start.
//
// days < 0 or a MaxGap not positive is an error.
func Coverage(start time.Time, days int, now time.Time, sources []SourceAttempts) ([]DayCoverage, error) {
	if days < 0 {
		return nil, fmt.Errorf("trial of %d days", days)
	}
	ok := make([][]time.Time, len(sources))
	for i, s := range sources {
		if s.MaxGap <= 0 {
			return nil, fmt.Errorf("source %s: maximum gap %v not positive", s.Source, s.MaxGap)
		}
		if _, err := ParseKind(string(s.Kind)); err != nil {
			return nil, fmt.Errorf("source %s: %w", s.Source, err)
		}
		for _, a := range s.Attempts {
			if a.OK {
				ok[i] = append(ok[i], a.At)
			}
		}
		slices.SortFunc(ok[i], func(x, y time.Time) int { return x.Compare(y) })
	}
	var out []DayCoverage
	for d := 0; d < days; d++ {
		a := start.Add(time.Duration(d) * 24 * time.Hour)
		if !a.Before(now) {
			break
		}
		b := a.Add(24 * time.Hour)
		day := DayCoverage{Day: d, Start: a, Complete: !b.After(now)}
		if !day.Complete {
			b = now
		}
		seen := map[Kind]bool{}
		for i, s := range sources {
			if observes(ok[i], a, b, s.MaxGap) {
				day.Sources = append(day.Sources, s.Source)
				seen[s.Kind] = true
			}
		}
		for _, k := range Kinds() {
			if seen[k] {
				day.Kinds = append(day.Kinds, k)
			}
		}
		out = append(out, day)
	}
	return out, nil
}

// observes reports whether the sorted success times ok observe [a, b)
// with no stretch longer than maxGap, as Coverage states.
func observes(ok []time.Time, a, b time.Time, maxGap time.Duration) bool {
	// i is the first success after a; ok[i-1], if any, the latest at or
	// before a.
	i, found := slices.BinarySearchFunc(ok, a, func(x, t time.Time) int { return x.Compare(t) })
	if found {
		i++
	}
	prev, seen := a, false
	if i > 0 {
		prev, seen = ok[i-1], true
	}
	for ; i < len(ok) && ok[i].Before(b); i++ {
		if ok[i].Sub(prev) > maxGap {
			return false
		}
		prev, seen = ok[i], true
	}
	return seen && b.Sub(prev) <= maxGap
}

// CompleteDays returns how many of days are complete, and how many of
// those were observed: the numbers the verdict's coverage test compares.
func CompleteDays(days []DayCoverage) (observed, complete int) {
	for _, d := range days {
		if d.Complete {
			complete++
			if d.Observed() {
				observed++
			}
		}
	}
	return observed, complete
}

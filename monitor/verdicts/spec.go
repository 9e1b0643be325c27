// Package verdicts computes the verdict on every zone of a trial from what
// the store holds: daily counts, fetch attempts and violation tiers. The
// HTTP API, the metrics and the status page all call Compute, so that they
// agree by construction. The statistics themselves are monitor/judge's.
package verdicts

import (
	"context"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// Level is the confidence level of the de-escalation intervals.
const Level = 0.95

// Spec is what the verdicts of a configuration rest on, besides the store.
// It is immutable once built; a reload builds a new one.
type Spec struct {
	Trials  []Trial
	Sources []Source
	// MinDaysFraction is coverage.min_days_fraction.
	MinDaysFraction float64
}

// Trial is a trial with its judging settings.
type Trial struct {
	monitor.Trial
	// PreDays is the length in days of the pre-trial period that the
	// de-escalation ratios compare the trial with.
	PreDays int
	// Background, when set, judges the zones' satellite detections against
	// their seasonal background; nil: no background test.
	Background *Background
}

// Background is a trial's background block, with its controls resolved.
type Background struct {
	Source   string
	Category monitor.Category
	Years    []int
	Controls []string // zone ids
	Alpha    float64
}

// Source is a configured source as coverage sees it.
type Source struct {
	Name string
	Kind judge.Kind
	// MaxGap is the longest stretch without a success that still observes
	// a day (judge.MaxGapFor of the schedule's interval, or
	// coverage.push_max_gap for a push source).
	MaxGap time.Duration
}

// Reader is the part of the store verdicts read.
type Reader interface {
	DailyCounts(ctx context.Context, from, to time.Time) ([]monitor.DailyCount, error)
	Attempts(ctx context.Context, from, to time.Time) ([]monitor.Attempt, error)
	TierCounts(ctx context.Context, trial string) ([]monitor.TierCount, error)
}

// kind returns the kind of source, and false when it is not configured.
func (s *Spec) kind(source string) (judge.Kind, bool) {
	for _, src := range s.Sources {
		if src.Name == source {
			return src.Kind, true
		}
	}
	return "", false
}

// Trial returns the trial named name.
func (s *Spec) Trial(name string) (*Trial, bool) {
	for i := range s.Trials {
		if s.Trials[i].Name == name {
			return &s.Trials[i], true
		}
	}
	return nil, false
}

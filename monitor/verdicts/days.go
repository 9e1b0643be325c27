package verdicts

import (
	"context"
	"errors"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// dayCoverage returns which sources observed each day of t begun before
// now (judge.Coverage), with the attempts it was judged from: those of
// the configured sources from the longest MaxGap before the start to now.
func dayCoverage(ctx context.Context, rd Reader, spec *Spec, t *Trial, now time.Time) ([]judge.DayCoverage, []monitor.Attempt, error) {
	var reach time.Duration
	for _, s := range spec.Sources {
		reach = max(reach, s.MaxGap)
	}
	attempts, err := rd.Attempts(ctx, t.Start.Add(-reach), now)
	if err != nil {
		return nil, nil, err
	}
	sources := make([]judge.SourceAttempts, len(spec.Sources))
	for i, s := range spec.Sources {
		sources[i] = judge.SourceAttempts{Source: s.Name, Kind: s.Kind, MaxGap: s.MaxGap}
		for _, a := range attempts {
			if a.Source == s.Name {
				sources[i].Attempts = append(sources[i].Attempts, judge.Attempt{At: a.At, OK: a.OK})
			}
		}
	}
	days, err := judge.Coverage(t.Start, t.Days, now, sources)
	if err != nil {
		return nil, nil, err
	}
	return days, attempts, nil
}

// backgroundTest runs t's background test on zone over the first days
// days of the trial, and of each reference year's window; cur and refs
// may hold counts of later days, which are left out. It returns the
// result, or nil and why there is none.
func backgroundTest(zone string, t *Trial, days int, cur []monitor.DailyCount,
	refs map[int][]monitor.DailyCount) (*judge.BackgroundResult, string) {
	b := t.Background
	inZone := func(c *monitor.DailyCount) bool {
		return c.ZoneID == zone && c.Source == b.Source && c.Category == b.Category
	}
	controls := func(c *monitor.DailyCount) bool {
		return c.Source == b.Source && c.Category == b.Category && contains(b.Controls, c.ZoneID)
	}
	span := time.Duration(days) * monitor.Day
	end := t.Start.Add(span)
	cut := firstDays(t.Start, days, cur)
	trial := judge.Sample{Start: t.Start, End: end, Zone: sum(cut, inZone), Controls: sum(cut, controls)}
	samples := make([]judge.Sample, 0, len(b.Years))
	for _, y := range b.Years {
		start := shiftYear(t.Start, y)
		ref := firstDays(start, days, refs[y])
		samples = append(samples, judge.Sample{Start: start, End: start.Add(span),
			Zone: sum(ref, inZone), Controls: sum(ref, controls)})
	}
	res, err := judge.Background(trial, samples, judge.BackgroundOptions{Alpha: b.Alpha})
	switch {
	case errors.Is(err, judge.ErrTooFewYears):
		return nil, "fewer than two reference years outside the trial window"
	case err != nil:
		return nil, err.Error()
	}
	return &res, ""
}

// firstDays returns the counts of the first days UTC days from the one
// start begins on (see monitor.DailyCount).
func firstDays(start time.Time, days int, counts []monitor.DailyCount) []monitor.DailyCount {
	end := monitor.DayOf(start).Add(time.Duration(days) * monitor.Day)
	var out []monitor.DailyCount
	for _, c := range counts {
		if c.Day.Before(end) {
			out = append(out, c)
		}
	}
	return out
}

package verdicts

import (
	"context"
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// Details is what the verdicts on a trial rest on, day by day and source
// by source, as of one instant: the trial report draws it. It is read and
// judged as ComputeTrial reads and judges, so the two agree by
// construction.
type Details struct {
	// Days are the trial days begun before the instant, with the sources
	// that observed each (judge.Coverage); the verdicts' coverage counts
	// the complete ones observed (judge.CompleteDays).
	Days []judge.DayCoverage
	// Sources is the coverage of each judged source, in spec order.
	Sources []SourceCoverage
	// Thermal is the background test day by day, nil when the trial has
	// no background.
	Thermal *ThermalSeries
}

// SourceCoverage is one source's share of a trial's coverage.
type SourceCoverage struct {
	Source string
	Kind   judge.Kind
	// ObservedDays of CompleteDays (the trial's complete days) the source
	// observed.
	ObservedDays, CompleteDays int
	// OK and Failed count the source's attempts from the trial's start to
	// the instant (or the trial's end, if earlier).
	OK, Failed int
	// LastSuccess is the newest successful attempt read (reaching back
	// the longest MaxGap before the start); zero when there is none.
	LastSuccess time.Time
}

// ThermalSeries is a trial's background test repeated over its first 1,
// 2, … complete days, zone by zone: what the verdicts test over all the
// complete days, as it built up.
type ThermalSeries struct {
	Source   string
	Category monitor.Category
	// Zones are the trial's zones, in its order.
	Zones []ZoneThermal
}

// ZoneThermal is one zone's thermal series.
type ZoneThermal struct {
	ZoneID string
	// Daily counts the zone's detections on each complete day.
	Daily []int
	// ToDate[d] is the background test over the first d+1 complete days,
	// nil when it could not be made (Note says why): the last is the one
	// of the zone's verdict.
	ToDate []*judge.BackgroundResult
	Note   string
}

// TrialDetails returns the details of the verdicts on t at now.
func TrialDetails(ctx context.Context, rd Reader, spec *Spec, t *Trial, now time.Time) (*Details, error) {
	days, attempts, err := dayCoverage(ctx, rd, spec, t, now)
	if err != nil {
		return nil, fmt.Errorf("coverage of trial %s: %w", t.Name, err)
	}
	d := &Details{Days: days, Sources: sourceCoverage(spec, t, days, attempts, now)}
	if t.Background == nil {
		return d, nil
	}
	if d.Thermal, err = thermalSeries(ctx, rd, t, t.ElapsedDays(now)); err != nil {
		return nil, fmt.Errorf("thermal series of trial %s: %w", t.Name, err)
	}
	return d, nil
}

// sourceCoverage counts, for each source of spec, the complete days it
// observed and its attempts during t up to now.
func sourceCoverage(spec *Spec, t *Trial, days []judge.DayCoverage, attempts []monitor.Attempt, now time.Time) []SourceCoverage {
	out := make([]SourceCoverage, len(spec.Sources))
	end := t.End()
	if now.Before(end) {
		end = now
	}
	for i, s := range spec.Sources {
		c := SourceCoverage{Source: s.Name, Kind: s.Kind}
		for _, d := range days {
			if d.Complete {
				c.CompleteDays++
				if contains(d.Sources, s.Name) {
					c.ObservedDays++
				}
			}
		}
		for _, a := range attempts {
			if a.Source != s.Name {
				continue
			}
			if a.OK && a.At.After(c.LastSuccess) {
				c.LastSuccess = a.At
			}
			if a.At.Before(t.Start) || a.At.After(end) {
				continue
			}
			if a.OK {
				c.OK++
			} else {
				c.Failed++
			}
		}
		out[i] = c
	}
	return out
}

// thermalSeries reads the counts of t's days elapsed and of its reference
// windows, and tests each zone over the first 1 … days of them.
func thermalSeries(ctx context.Context, rd Reader, t *Trial, days int) (*ThermalSeries, error) {
	b := t.Background
	ts := &ThermalSeries{Source: b.Source, Category: b.Category}
	var cur []monitor.DailyCount
	var refs map[int][]monitor.DailyCount
	if days > 0 {
		var err error
		if cur, err = rd.DailyCounts(ctx, t.Start, t.Start.Add(time.Duration(days)*monitor.Day)); err != nil {
			return nil, err
		}
		if refs, err = referenceCounts(ctx, rd, t, days); err != nil {
			return nil, err
		}
	}
	first := monitor.DayOf(t.Start)
	for _, zone := range t.Zones {
		z := ZoneThermal{ZoneID: zone, Daily: make([]int, days), ToDate: make([]*judge.BackgroundResult, days)}
		for _, c := range cur {
			if c.ZoneID == zone && c.Source == b.Source && c.Category == b.Category {
				if i := int(c.Day.Sub(first) / monitor.Day); i >= 0 && i < days {
					z.Daily[i] += int(c.Count)
				}
			}
		}
		for d := 1; d <= days; d++ {
			z.ToDate[d-1], z.Note = backgroundTest(zone, t, d, cur, refs)
		}
		if days == 0 {
			z.Note = "no complete day yet"
		}
		ts.Zones = append(ts.Zones, z)
	}
	return ts, nil
}

package verdicts

import (
	"context"
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// Compute returns the verdicts on every zone of every trial of spec at
// now, trials and zones in configuration order.
func Compute(ctx context.Context, rd Reader, spec *Spec, now time.Time) ([]judge.Verdict, error) {
	var out []judge.Verdict
	for i := range spec.Trials {
		vs, err := ComputeTrial(ctx, rd, spec, &spec.Trials[i], now)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

// ComputeTrial returns the verdict on every zone of t at now, in the
// order of t.Zones. Counts are of UTC days (see monitor.DailyCount): the
// days elapsed are the complete trial days, taken as the UTC days they
// begin on, which they are when the trial starts at midnight UTC. The
// pre-trial period is the PreDays before the start; each reference year's
// window is the days elapsed shifted to that year (29 February to 1 March).
// Before the first day completes there is no background test and no
// de-escalation ratio.
func ComputeTrial(ctx context.Context, rd Reader, spec *Spec, t *Trial, now time.Time) ([]judge.Verdict, error) {
	observed, complete, err := coverage(ctx, rd, spec, t, now)
	if err != nil {
		return nil, fmt.Errorf("coverage of trial %s: %w", t.Name, err)
	}
	tiers, err := rd.TierCounts(ctx, t.Name)
	if err != nil {
		return nil, err
	}
	days := t.ElapsedDays(now)
	var cur, pre []monitor.DailyCount
	var refs map[int][]monitor.DailyCount
	if days > 0 {
		end := t.Start.Add(time.Duration(days) * monitor.Day)
		counts, err := rd.DailyCounts(ctx, t.Start.AddDate(0, 0, -t.PreDays), end)
		if err != nil {
			return nil, err
		}
		for _, c := range counts {
			if c.Day.Before(monitor.DayOf(t.Start)) {
				pre = append(pre, c)
			} else {
				cur = append(cur, c)
			}
		}
		if refs, err = referenceCounts(ctx, rd, t, days); err != nil {
			return nil, err
		}
	}
	out := make([]judge.Verdict, 0, len(t.Zones))
	for _, zone := range t.Zones {
		in := judge.VerdictInput{Trial: t.Name, ZoneID: zone, ObservedDays: observed, CompleteDays: complete,
			MinDaysFraction: spec.MinDaysFraction}
		spec.countTiers(&in, tiers)
		if days > 0 {
			spec.deescalation(&in, t, days, pre, cur)
			thermal(&in, t, days, cur, refs)
			thermalDeescalation(&in, t, days, pre, cur)
		} else if t.Background != nil {
			in.ThermalNote = "no complete day yet"
		}
		v, err := judge.Decide(in)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// coverage returns how many of the complete days of t were observed.
func coverage(ctx context.Context, rd Reader, spec *Spec, t *Trial, now time.Time) (observed, complete int, err error) {
	days, _, err := dayCoverage(ctx, rd, spec, t, now)
	if err != nil {
		return 0, 0, err
	}
	observed, complete = judge.CompleteDays(days)
	return observed, complete, nil
}

// countTiers fills in's violation counts from the tier counts of its trial.
func (s *Spec) countTiers(in *judge.VerdictInput, tiers []monitor.TierCount) {
	for _, c := range tiers {
		if c.ZoneID != in.ZoneID {
			continue
		}
		kind, _ := s.kind(c.Source)
		switch {
		case c.Tier == string(judge.Corroborated):
			in.Corroborated += int(c.Count)
		case kind == judge.Satellite:
			in.SingleSatellite += int(c.Count)
		default:
			in.Single += int(c.Count)
		}
	}
}

// referenceCounts returns the daily counts of the background's reference
// windows, by year.
func referenceCounts(ctx context.Context, rd Reader, t *Trial, days int) (map[int][]monitor.DailyCount, error) {
	if t.Background == nil {
		return nil, nil
	}
	out := map[int][]monitor.DailyCount{}
	for _, y := range t.Background.Years {
		start := shiftYear(t.Start, y)
		counts, err := rd.DailyCounts(ctx, start, start.Add(time.Duration(days)*monitor.Day))
		if err != nil {
			return nil, err
		}
		out[y] = counts
	}
	return out, nil
}

// shiftYear returns t in year y (29 February becomes 1 March).
func shiftYear(t time.Time, y int) time.Time {
	return time.Date(y, t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// deescalation sets in's event-rate ratio: incidents of prohibited
// categories from sources that are not satellites, during the days elapsed
// against the pre-trial period.
func (s *Spec) deescalation(in *judge.VerdictInput, t *Trial, days int, pre, cur []monitor.DailyCount) {
	events := func(c *monitor.DailyCount) bool {
		kind, ok := s.kind(c.Source)
		return c.ZoneID == in.ZoneID && (!ok || kind != judge.Satellite) && t.Prohibits(c.Category)
	}
	r, err := judge.CompareRates(judge.Exposure{Count: sum(pre, events), Days: float64(t.PreDays)},
		judge.Exposure{Count: sum(cur, events), Days: float64(days)}, Level)
	if err == nil {
		in.Deescalation = &r
	}
}

// thermal sets in's background test over the days elapsed.
func thermal(in *judge.VerdictInput, t *Trial, days int, cur []monitor.DailyCount, refs map[int][]monitor.DailyCount) {
	if t.Background == nil {
		return
	}
	in.Thermal, in.ThermalNote = backgroundTest(in.ZoneID, t, days, cur, refs)
}

// thermalDeescalation sets in's thermal rate ratio relative to the
// controls, pre-trial period against the days elapsed.
func thermalDeescalation(in *judge.VerdictInput, t *Trial, days int, pre, cur []monitor.DailyCount) {
	b := t.Background
	if b == nil {
		return
	}
	zone := func(c *monitor.DailyCount) bool {
		return c.ZoneID == in.ZoneID && c.Source == b.Source && c.Category == b.Category
	}
	controls := func(c *monitor.DailyCount) bool {
		return c.Source == b.Source && c.Category == b.Category && contains(b.Controls, c.ZoneID)
	}
	before, during := float64(t.PreDays), float64(days)
	r, err := judge.CompareRatesWithControls(
		judge.Exposure{Count: sum(pre, zone), Days: before}, judge.Exposure{Count: sum(cur, zone), Days: during},
		judge.Exposure{Count: sum(pre, controls), Days: before}, judge.Exposure{Count: sum(cur, controls), Days: during}, Level)
	if err == nil {
		in.ThermalDeescalation = &r
	}
}

// sum adds the counts that match.
func sum(counts []monitor.DailyCount, match func(*monitor.DailyCount) bool) int {
	n := 0
	for i := range counts {
		if match(&counts[i]) {
			n += int(counts[i].Count)
		}
	}
	return n
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

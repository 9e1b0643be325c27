package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

func compareViolations(a, b monitor.Violation) int {
	return cmp.Or(a.OccurredAt.Compare(b.OccurredAt), cmp.Compare(a.ZoneID, b.ZoneID),
		cmp.Compare(a.Source, b.Source), cmp.Compare(a.IncidentID, b.IncidentID))
}

// tierOf returns the tier of v's incident, "single" when none is known.
func tierOf(tiers map[[2]string]string, v monitor.Violation) string {
	if t, ok := tiers[[2]string{v.Source, v.IncidentID}]; ok && t != "" {
		return t
	}
	return string(judge.Single)
}

// add counts v, of tier, in the zone.
func (z *Zone) add(v monitor.Violation, tier string) {
	if v.Placement == monitor.Ambiguous {
		z.Ambiguous++
		return
	}
	z.Violations++
	if v.Placement == monitor.Buffer {
		z.Buffer++
	} else {
		z.Inside++
	}
	at := v.OccurredAt.UTC()
	if z.First == nil || at.Before(*z.First) {
		z.First = &at
	}
	if z.Last == nil || at.After(*z.Last) {
		z.Last = &at
	}
	if v.Day >= 0 && v.Day < len(z.PerDay) {
		z.PerDay[v.Day]++
		if tier == string(judge.Corroborated) {
			z.PerDayCorroborated[v.Day]++
		}
	}
	for i := range z.ByCategory {
		if z.ByCategory[i].Category == v.Category {
			z.ByCategory[i].Count++
			return
		}
	}
	z.ByCategory = append(z.ByCategory, CategoryCount{v.Category, 1})
	slices.SortFunc(z.ByCategory, func(a, b CategoryCount) int {
		return cmp.Compare(slices.Index(monitor.Categories, a.Category), slices.Index(monitor.Categories, b.Category))
	})
}

func (r *Report) total() {
	r.Totals.ShownDays = len(r.Days)
	hot := make([]bool, len(r.Days))
	for _, z := range r.Zones {
		r.Totals.Violations += z.Violations
		r.Totals.Ambiguous += z.Ambiguous
		if z.Violations > 0 {
			r.Totals.ZonesWithViolations++
		}
		for d, n := range z.PerDay {
			hot[d] = hot[d] || n > 0
			if n == 0 && r.Days[d].State == "elapsed" {
				r.Totals.QuietZoneDays++
			}
		}
	}
	for _, h := range hot {
		if h {
			r.Totals.DaysWithViolations++
		}
	}
}

// days returns the trial days that have begun by asOf.
func days(t *monitor.Trial, asOf time.Time) []Day {
	n := min(t.DayIndex(asOf)+1, t.Days)
	out := make([]Day, 0, max(n, 0))
	for i := range max(n, 0) {
		state := "elapsed"
		if !asOf.Before(t.Start.Add(time.Duration(i)*monitor.Day)) && asOf.Before(t.Start.Add(time.Duration(i+1)*monitor.Day)) {
			state = "in_progress"
		}
		out = append(out, Day{Day: i + 1, Date: t.Start.Add(time.Duration(i) * monitor.Day).UTC().Format(time.DateOnly),
			State: state, Coverage: NotJudged, ObservedBy: []string{}})
	}
	return out
}

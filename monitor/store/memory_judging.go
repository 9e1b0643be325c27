package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// memoryJudging is what Memory keeps for monitor.JudgingStore. Memory.mu
// guards it.
type memoryJudging struct {
	incidents map[[2]uint64]*memoryIncident
	counts    countDeltas
	attempts  []monitor.Attempt
	// tiers holds the tiers set of standing violations; a violation
	// without one is single. As in DB, a tier belongs to the violation: an
	// update sets those standing when it is applied, one added later starts
	// single, and one retracted loses its tier.
	tiers map[tierKey]string
}

// memoryIncident is a stored incident as judging needs it.
type memoryIncident struct {
	source, id string
	at         time.Time
	lon, lat   float64
	category   string
	zones      []string
}

// tierKey names one violation.
type tierKey struct{ trial, zone, source, id string }

// tierOf returns the key of v.
func tierOf(v *monitor.Violation) tierKey { return tierKey{v.Trial, v.ZoneID, v.Source, v.IncidentID} }

func newMemoryJudging() memoryJudging {
	return memoryJudging{incidents: map[[2]uint64]*memoryIncident{}, counts: countDeltas{}, tiers: map[tierKey]string{}}
}

// count records the incident of it under k and adds it to the counts.
func (j *memoryJudging) count(k [2]uint64, it *monitor.Item, source string) {
	inc := &it.Incident
	mi := &memoryIncident{source: source, id: inc.ID, at: inc.OccurredAt.UTC(), lon: inc.Lon, lat: inc.Lat,
		category: string(inc.Category), zones: slices.Clone(it.Zones)}
	j.incidents[k] = mi
	j.counts.addZones(mi.zones, unixDay(mi.at), source, mi.category, 1)
}

// uncount takes back the counts of the incident under k, unless it was
// deleted already, and forgets it.
func (j *memoryJudging) uncount(k [2]uint64, deleted bool) {
	mi := j.incidents[k]
	if mi == nil {
		return
	}
	if !deleted {
		j.counts.addZones(mi.zones, unixDay(mi.at), mi.source, mi.category, -1)
	}
	delete(j.incidents, k)
}

// setTiers applies tiers, of incidents of source unless they name another,
// to the standing violations, in order. m.mu must be held for writing.
func (m *Memory) setTiers(source string, tiers []monitor.TierUpdate) {
	if len(tiers) == 0 {
		return
	}
	type incidentTrial struct{ trial, source, id string }
	standing := map[incidentTrial][]tierKey{}
	for i := range m.violations {
		v := &m.violations[i]
		k := incidentTrial{v.Trial, v.Source, v.IncidentID}
		standing[k] = append(standing[k], tierOf(v))
	}
	for _, u := range tiers {
		for _, k := range standing[incidentTrial{u.Trial, cmp.Or(u.Source, source), u.IncidentID}] {
			m.judging.tiers[k] = u.Tier
		}
	}
}

// tier returns the tier of a standing violation.
func (j *memoryJudging) tier(v *monitor.Violation) string {
	if t, ok := j.tiers[tierOf(v)]; ok {
		return t
	}
	return tierSingle
}

// AddCounts adds counts to the daily counts.
func (m *Memory) AddCounts(ctx context.Context, counts []monitor.DailyCount) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return fmt.Errorf("add daily counts: %w", errClosed)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("add daily counts: %w", err)
	}
	for _, n := range counts {
		m.judging.counts[countKey{day: unixDay(n.Day), zone: n.ZoneID, source: n.Source, category: string(n.Category)}] += n.Count
	}
	return nil
}

// DailyCounts returns the non-zero daily counts of the UTC days in
// [from, to), as DB does.
func (m *Memory) DailyCounts(_ context.Context, from, to time.Time) ([]monitor.DailyCount, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, fmt.Errorf("read daily counts: %w", errClosed)
	}
	lo, hi := unixDay(from), unixDay(to)
	var out []monitor.DailyCount
	for k, n := range m.judging.counts {
		if n != 0 && k.day >= lo && k.day < hi {
			out = append(out, monitor.DailyCount{ZoneID: k.zone, Source: k.source, Category: monitor.Category(k.category),
				Day: fromUnixDay(k.day), Count: n})
		}
	}
	slices.SortFunc(out, func(a, b monitor.DailyCount) int {
		return cmp.Or(a.Day.Compare(b.Day), cmp.Compare(a.ZoneID, b.ZoneID), cmp.Compare(a.Source, b.Source),
			cmp.Compare(a.Category, b.Category))
	})
	return out, nil
}

// RecordAttempt stores one fetch or push attempt.
func (m *Memory) RecordAttempt(_ context.Context, a monitor.Attempt) error {
	if err := checkTime(a.At); err != nil {
		return fmt.Errorf("record attempt of %s: %w", a.Source, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return fmt.Errorf("record attempt of %s: %w", a.Source, errClosed)
	}
	a.At = a.At.UTC()
	m.judging.attempts = append(m.judging.attempts, a)
	return nil
}

// Attempts returns the attempts with At in [from, to], oldest first.
func (m *Memory) Attempts(_ context.Context, from, to time.Time) ([]monitor.Attempt, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, fmt.Errorf("read attempts: %w", errClosed)
	}
	var out []monitor.Attempt
	for _, a := range m.judging.attempts {
		if !a.At.Before(from) && !a.At.After(to) {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b monitor.Attempt) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Source, b.Source))
	})
	return out, nil
}

// TierCounts returns the standing, not ambiguous violations of trial by
// zone, source and tier.
func (m *Memory) TierCounts(_ context.Context, trial string) ([]monitor.TierCount, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, fmt.Errorf("count violations of %s by tier: %w", trial, errClosed)
	}
	counts := map[monitor.TierCount]int64{}
	for i := range m.violations {
		v := &m.violations[i]
		if v.Trial == trial && v.Placement != monitor.Ambiguous {
			counts[monitor.TierCount{Trial: trial, ZoneID: v.ZoneID, Source: v.Source, Tier: m.judging.tier(v)}]++
		}
	}
	out := make([]monitor.TierCount, 0, len(counts))
	for k, n := range counts {
		k.Count = n
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b monitor.TierCount) int {
		return cmp.Or(cmp.Compare(a.ZoneID, b.ZoneID), cmp.Compare(a.Source, b.Source), cmp.Compare(a.Tier, b.Tier))
	})
	return out, nil
}

// Located returns the incidents not deleted with event time in [from, to],
// marking those with a standing violation of trial.
func (m *Memory) Located(_ context.Context, from, to time.Time, trial string) ([]monitor.Located, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, fmt.Errorf("read incidents of %s: %w", trial, errClosed)
	}
	violating := map[[2]string]bool{} // source, id
	for i := range m.violations {
		if v := &m.violations[i]; v.Trial == trial {
			violating[[2]string{v.Source, v.IncidentID}] = true
		}
	}
	var out []monitor.Located
	for k, mi := range m.judging.incidents {
		if m.ids[k] == deletedContent || mi.at.Before(from) || mi.at.After(to) {
			continue
		}
		out = append(out, monitor.Located{Source: mi.source, ID: mi.id, At: mi.at, Lon: mi.lon, Lat: mi.lat,
			Violation: violating[[2]string{mi.source, mi.id}]})
	}
	slices.SortFunc(out, func(a, b monitor.Located) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// ViolationsOf returns the standing violations of trial by the incident
// (source, id), in zone order.
func (m *Memory) ViolationsOf(_ context.Context, trial, source, id string) ([]monitor.Violation, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, fmt.Errorf("read violations of %s/%s: %w", source, id, errClosed)
	}
	var out []monitor.Violation
	for _, v := range m.violations {
		if v.Trial == trial && v.Source == source && v.IncidentID == id {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b monitor.Violation) int { return cmp.Compare(a.ZoneID, b.ZoneID) })
	return out, nil
}

// PruneAttempts deletes the attempts before since that lie in none of the
// windows keep (edges kept), and returns how many it deleted.
func (m *Memory) PruneAttempts(_ context.Context, since time.Time, keep [][2]time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return 0, fmt.Errorf("prune attempts: %w", errClosed)
	}
	kept := m.judging.attempts[:0]
	for _, a := range m.judging.attempts {
		in := !a.At.Before(since)
		for _, w := range keep {
			in = in || (!a.At.Before(w[0]) && !a.At.After(w[1]))
		}
		if in {
			kept = append(kept, a)
		}
	}
	n := int64(len(m.judging.attempts) - len(kept))
	m.judging.attempts = kept
	return n, nil
}

// Memory is a monitor.JudgingStore.
var _ monitor.JudgingStore = (*Memory)(nil)

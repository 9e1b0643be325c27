package monitor

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/ceasefired/ceasefired/alerts"
)

// Tally keeps the violation aggregates the metrics and the landing page
// show: counts per (trial, zone, category), the newest violation per (trial,
// zone) and the trial days with violations. It is restored from the store at
// start, so that a restart neither loses nor double-counts, and then fed the
// violations each commit newly stored. Safe for concurrent use.
type Tally struct {
	mu        sync.RWMutex
	counts    map[alerts.Key]int64 // ever stored, retracted included
	retracted map[alerts.Key]int64
	ambiguous map[alerts.Key]int64
	last      map[zoneKey]time.Time
	days      map[zoneKey]map[int]struct{}
}

type zoneKey struct{ Trial, ZoneID string }

// NewTally returns an empty tally.
func NewTally() *Tally {
	return &Tally{
		counts:    map[alerts.Key]int64{},
		retracted: map[alerts.Key]int64{},
		ambiguous: map[alerts.Key]int64{},
		last:      map[zoneKey]time.Time{},
		days:      map[zoneKey]map[int]struct{}{},
	}
}

// Restore loads the stored aggregates, replacing what the tally held.
func (t *Tally) Restore(ctx context.Context, s Store) error {
	totals, err := s.Totals(ctx)
	if err != nil {
		return err
	}
	days, err := s.Days(ctx)
	if err != nil {
		return err
	}
	n := NewTally()
	for _, v := range totals {
		n.counts[v.Key()] += v.Count
		n.ambiguous[v.Key()] += v.Ambiguous
		n.retracted[v.Key()] += v.Retracted
		k := zoneKey{v.Trial, v.ZoneID}
		if v.Last.After(n.last[k]) {
			n.last[k] = v.Last
		}
	}
	for _, d := range days {
		n.addDay(zoneKey{d.Trial, d.ZoneID}, d.Day)
	}
	t.mu.Lock()
	t.counts, t.retracted, t.ambiguous, t.last, t.days = n.counts, n.retracted, n.ambiguous, n.last, n.days
	t.mu.Unlock()
	return nil
}

func (t *Tally) addDay(k zoneKey, day int) {
	set := t.days[k]
	if set == nil {
		set = map[int]struct{}{}
		t.days[k] = set
	}
	set[day] = struct{}{}
}

// Add counts violations that were newly stored; ambiguous placements are
// counted apart.
func (t *Tally) Add(vs []Violation) {
	if len(vs) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, v := range vs {
		if v.Placement == Ambiguous {
			t.ambiguous[v.Key()]++
			continue
		}
		t.counts[v.Key()]++
		k := zoneKey{v.Trial, v.ZoneID}
		if v.OccurredAt.After(t.last[k]) {
			t.last[k] = v.OccurredAt
		}
		t.addDay(k, v.Day)
	}
}

// Count returns the number of violations ever stored for one (trial, zone,
// category), retracted ones included, so that it only grows.
func (t *Tally) Count(trial, zoneID string, c Category) int64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.counts[alerts.Key{Trial: trial, ZoneID: zoneID, Category: string(c)}]
}

// RetractedCount returns how many of Count have been retracted.
func (t *Tally) RetractedCount(trial, zoneID string, c Category) int64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.retracted[alerts.Key{Trial: trial, ZoneID: zoneID, Category: string(c)}]
}

// AmbiguousCount returns the number of ambiguous placements of one (trial,
// zone, category).
func (t *Tally) AmbiguousCount(trial, zoneID string, c Category) int64 {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.ambiguous[alerts.Key{Trial: trial, ZoneID: zoneID, Category: string(c)}]
}

// ZoneSummary is the state of one zone within one trial.
type ZoneSummary struct {
	Trial, ZoneID string
	Count         int64     // standing violations of every category
	Last          time.Time // event time of the newest violation; zero if none
	// ViolationDays is the number of trial days (0-based, any day) with at
	// least one violation.
	ViolationDays []int
}

// Zone returns the summary of zoneID in trial.
func (t *Tally) Zone(trial, zoneID string) ZoneSummary {
	t.mu.RLock()
	defer t.mu.RUnlock()
	k := zoneKey{trial, zoneID}
	z := ZoneSummary{Trial: trial, ZoneID: zoneID, Last: t.last[k]}
	for ck, n := range t.counts {
		if ck.Trial == trial && ck.ZoneID == zoneID {
			z.Count += n - t.retracted[ck]
		}
	}
	for d := range t.days[k] {
		z.ViolationDays = append(z.ViolationDays, d)
	}
	sort.Ints(z.ViolationDays)
	return z
}

// CategoryCount is one (trial, zone, category) count.
type CategoryCount struct {
	Trial, ZoneID string
	Category      Category
	Count         int64
}

// Counts returns every non-zero count, sorted by trial, zone and category.
func (t *Tally) Counts() []CategoryCount {
	t.mu.RLock()
	out := make([]CategoryCount, 0, len(t.counts))
	for k, n := range t.counts {
		out = append(out, CategoryCount{k.Trial, k.ZoneID, Category(k.Category), n})
	}
	t.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Trial != b.Trial {
			return a.Trial < b.Trial
		}
		if a.ZoneID != b.ZoneID {
			return a.ZoneID < b.ZoneID
		}
		return a.Category < b.Category
	})
	return out
}

// FreeDays returns how many of the trial days that have ended by now had no
// violation in the zone.
func (t *Tally) FreeDays(tr *Trial, zoneID string, now time.Time) int {
	elapsed := tr.ElapsedDays(now)
	t.mu.RLock()
	defer t.mu.RUnlock()
	bad := 0
	for d := range t.days[zoneKey{tr.Name, zoneID}] {
		if d >= 0 && d < elapsed {
			bad++
		}
	}
	return elapsed - bad
}

// LastViolation returns the event time of the newest violation of a zone in
// a trial, or the zero time.
func (t *Tally) LastViolation(trial, zoneID string) time.Time {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.last[zoneKey{trial, zoneID}]
}

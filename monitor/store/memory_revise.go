package store

import (
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// deletedContent marks a deleted incident in Memory.ids; contentHash never
// returns it.
const deletedContent = 0

// contentHash hashes the fields of inc that a revision may change. The
// result is never deletedContent.
func contentHash(h *maphash.Hash, inc *monitor.Incident) uint64 {
	h.Reset()
	var buf [8]byte
	for _, f := range []float64{float64(inc.OccurredAt.UnixNano()), inc.Lon, inc.Lat, inc.UncertaintyM, inc.Confidence} {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(f))
		h.Write(buf[:])
	}
	h.WriteString(string(inc.Category))
	h.WriteByte(0)
	h.WriteString(inc.Raw)
	return h.Sum64() | 1
}

// revise settles the violations of a revised (or, with no violations,
// deleted) incident like DB does: standing violations the item does not
// produce with the same category and placement are retracted, new ones
// added, kept ones updated in place. It appends the retracted ones to
// res.Retracted, by trial and zone as DB reads them, and returns the added
// ones, which a commit reports after those of its new incidents, as DB
// does. m.mu must be held for writing.
func (m *Memory) revise(res *monitor.CommitResult, it *monitor.Item, source string) (added []monitor.Violation) {
	next := uniqueViolations(nil, it, source)
	var kept, standing []monitor.Violation
	for _, o := range m.violations {
		if o.Source != source || o.IncidentID != it.Incident.ID {
			kept = append(kept, o)
		} else {
			standing = append(standing, o)
		}
	}
	slices.SortFunc(standing, byTrialZone)
	touched := map[monitor.ViolationDay]bool{} // (trial, zone) pairs, Day unused
	for _, o := range standing {
		i := slices.IndexFunc(next, func(n monitor.Violation) bool { return n.Trial == o.Trial && n.ZoneID == o.ZoneID })
		if i >= 0 && next[i].Category == o.Category && next[i].Placement == o.Placement {
			kept = append(kept, next[i])
			next = slices.Delete(next, i, i+1)
		} else {
			res.Retracted = append(res.Retracted, o)
			delete(m.judging.tiers, tierOf(&o))
			if o.Placement != monitor.Ambiguous {
				m.totals[o.Key()].Retracted++
			}
		}
		touched[monitor.ViolationDay{Trial: o.Trial, ZoneID: o.ZoneID}] = true
	}
	m.violations = kept
	for pair := range touched {
		m.recount(pair.Trial, pair.ZoneID)
	}
	for _, v := range next {
		m.add(v)
	}
	return next
}

// byTrialZone orders violations by trial, then zone id, as DB reads the
// standing violations of an incident (ORDER BY trial, zone_id: bytewise).
func byTrialZone(a, b monitor.Violation) int {
	return cmp.Or(strings.Compare(a.Trial, b.Trial), strings.Compare(a.ZoneID, b.ZoneID))
}

// recount rebuilds the days and newest times of one (trial, zone) from the
// standing violations, after some were retracted.
func (m *Memory) recount(trial, zone string) {
	for d := range m.days {
		if d.Trial == trial && d.ZoneID == zone {
			delete(m.days, d)
		}
	}
	for k, t := range m.totals {
		if k.Trial == trial && k.ZoneID == zone {
			t.Last = time.Time{}
		}
	}
	for _, v := range m.violations {
		if v.Trial != trial || v.ZoneID != zone || v.Placement == monitor.Ambiguous {
			continue
		}
		m.days[monitor.ViolationDay{Trial: trial, ZoneID: zone, Day: v.Day}] = struct{}{}
		if t := m.totals[v.Key()]; v.OccurredAt.After(t.Last) {
			t.Last = v.OccurredAt
		}
	}
}

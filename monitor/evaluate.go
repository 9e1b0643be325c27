package monitor

import (
	"fmt"

	"github.com/ceasefired/ceasefired/geo"
)

// Evaluator decides which trials an incident violates. It is immutable after
// NewEvaluator and safe for concurrent use; a reload builds a new one.
type Evaluator struct {
	index  *geo.Index
	trials []evalTrial
	limits Limits
	// config and zones (by zone index) are the digests of the files the
	// evaluator was built from, recorded in every violation.
	config [32]byte
	zones  [][32]byte
}

type evalTrial struct {
	Trial
	covers []bool // by zone index
}

// NewEvaluator binds trials to the zones of index. Every zone id of every
// trial must exist in the index. It admits incidents by the default limits
// (see WithLimits).
func NewEvaluator(index *geo.Index, trials []Trial) (*Evaluator, error) {
	e := &Evaluator{index: index, limits: Limits{MaxFutureSkew: DefaultMaxFutureSkew}}
	n := len(index.Zones())
	for _, t := range trials {
		et := evalTrial{Trial: t, covers: make([]bool, n)}
		for _, id := range t.Zones {
			i, ok := index.Lookup(id)
			if !ok {
				return nil, fmt.Errorf("trial %q: unknown zone id %q", t.Name, id)
			}
			et.covers[i] = true
		}
		e.trials = append(e.trials, et)
	}
	return e, nil
}

// WithVersions returns a copy of e that records in every violation the
// SHA-256 config of the config file and, for each zone id in zones, that
// of the zone file it was read from.
func (e *Evaluator) WithVersions(config [32]byte, zones map[string][32]byte) *Evaluator {
	c := *e
	c.config = config
	c.zones = make([][32]byte, len(e.index.Zones()))
	for i, z := range e.index.Zones() {
		c.zones[i] = zones[z.ID]
	}
	return &c
}

// Index returns the zone index the evaluator matches against.
func (e *Evaluator) Index() *geo.Index { return e.index }

// Trials returns the trials in configuration order. The caller must not
// modify them.
func (e *Evaluator) Trials() []Trial {
	out := make([]Trial, len(e.trials))
	for i := range e.trials {
		out[i] = e.trials[i].Trial
	}
	return out
}

// scratch holds per-call buffers so that Evaluate does not allocate on the
// common path.
type scratch struct {
	inside []int
	near   []geo.Near
}

// Evaluate appends to dst the violations inc produces: for every trial whose
// window contains inc.OccurredAt and that prohibits inc.Category, one per
// covered zone that contains the point (Placement Inside; a point on the
// boundary is inside) or, for a point outside, whose boundary lies within
// the trial's BufferMeters (Buffer) or, beyond that, within BufferMeters +
// inc.UncertaintyM (Ambiguous: the incident may or may not have been in the
// zone or buffer). Ambiguous placements are recorded as evidence but are not
// counted as violations nor alerted on.
func (e *Evaluator) Evaluate(inc *Incident, dst []Violation) []Violation {
	var s scratch
	return e.evaluate(inc, dst, &s)
}

func (e *Evaluator) evaluate(inc *Incident, dst []Violation, s *scratch) []Violation {
	located := false
	for ti := range e.trials {
		t := &e.trials[ti]
		if !t.Contains(inc.OccurredAt) || !t.Prohibits(inc.Category) {
			continue
		}
		if !located {
			s.inside = e.index.Locate(inc.Lon, inc.Lat, s.inside[:0])
			located = true
		}
		for _, z := range s.inside {
			if t.covers[z] {
				dst = append(dst, e.violation(t, inc, z, Inside))
			}
		}
		if reach := t.BufferMeters + inc.UncertaintyM; reach > 0 {
			s.near = e.index.Within(inc.Lon, inc.Lat, reach, s.near[:0])
			for _, n := range s.near {
				if !t.covers[n.Zone] {
					continue
				}
				p := Buffer
				if n.Meters > t.BufferMeters {
					p = Ambiguous
				}
				dst = append(dst, e.violation(t, inc, n.Zone, p))
			}
		}
	}
	return dst
}

func (e *Evaluator) violation(t *evalTrial, inc *Incident, zone int, p Placement) Violation {
	return Violation{
		Trial:       t.Name,
		ZoneID:      e.index.Zones()[zone].ID,
		Category:    inc.Category,
		Source:      inc.Source,
		IncidentID:  inc.ID,
		OccurredAt:  inc.OccurredAt,
		Lon:         inc.Lon,
		Lat:         inc.Lat,
		Placement:   p,
		Day:         t.DayIndex(inc.OccurredAt),
		ZoneVersion: e.zoneVersion(zone),
		Config:      e.config,
	}
}

func (e *Evaluator) zoneVersion(zone int) [32]byte {
	if zone < len(e.zones) {
		return e.zones[zone]
	}
	return [32]byte{}
}

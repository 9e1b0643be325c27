package monitor

import (
	"fmt"
	"slices"

	"github.com/ceasefired/ceasefired/geo"
)

// Evaluator decides which trials an incident violates. It is immutable after
// NewEvaluator and safe for concurrent use; a reload builds a new one. Its
// zones may have several versions (NewVersionedEvaluator): every incident
// is judged against the versions in force at its OccurredAt.
type Evaluator struct {
	epochs []epoch // by from, ascending; never empty
	trials []evalTrial
	limits Limits
	// config is the digest of the config file the evaluator was built
	// from, recorded in every violation.
	config [32]byte
}

// evalTrial is a trial as the evaluator holds it; the zones it covers are
// kept per epoch (epoch.covers), as zone indexes differ between epochs.
type evalTrial struct {
	Trial
}

// NewEvaluator binds trials to the zones of index, one version each in
// force from the beginning of time, with zero digests (see WithVersions).
// Every zone id of every trial must exist in the index. It admits
// incidents by the default limits (see WithLimits).
func NewEvaluator(index *geo.Index, trials []Trial) (*Evaluator, error) {
	ep := epoch{index: index, digests: make([][32]byte, len(index.Zones()))}
	return newEvaluator([]epoch{ep}, trials)
}

// NewVersionedEvaluator binds trials to the zone versions: each incident
// is matched against, for every zone id, the version with the latest From
// not after the incident's time (none before the zone's first version),
// and its violations record that version's Digest. Every zone id of every
// trial must have a version; two versions of one id may not share a From.
func NewVersionedEvaluator(versions []ZoneVersion, trials []Trial) (*Evaluator, error) {
	if len(versions) == 0 {
		return nil, fmt.Errorf("no zones")
	}
	epochs, err := buildEpochs(versions)
	if err != nil {
		return nil, err
	}
	return newEvaluator(epochs, trials)
}

// newEvaluator binds trials to the zones of every epoch. The last epoch
// holds every zone id, since a zone once in force stays so.
func newEvaluator(epochs []epoch, trials []Trial) (*Evaluator, error) {
	e := &Evaluator{epochs: epochs, limits: Limits{MaxFutureSkew: DefaultMaxFutureSkew}}
	last := epochs[len(epochs)-1].index
	for _, t := range trials {
		for _, id := range t.Zones {
			if _, ok := last.Lookup(id); !ok {
				return nil, fmt.Errorf("trial %q: unknown zone id %q", t.Name, id)
			}
		}
		e.trials = append(e.trials, evalTrial{Trial: t})
	}
	for i := range e.epochs {
		ep := &e.epochs[i]
		n := len(ep.index.Zones())
		ep.covers = make([][]bool, len(trials))
		for ti, t := range trials {
			ep.covers[ti] = make([]bool, n)
			for _, id := range t.Zones {
				if z, ok := ep.index.Lookup(id); ok {
					ep.covers[ti][z] = true
				}
			}
		}
	}
	return e, nil
}

// WithVersions returns a copy of e that records in every violation the
// SHA-256 config of the config file and, for each zone id in zones, the
// digest given, whatever the version (zones nil: the digests of the
// versions).
func (e *Evaluator) WithVersions(config [32]byte, zones map[string][32]byte) *Evaluator {
	c := *e
	c.config = config
	if zones == nil {
		return &c
	}
	c.epochs = slices.Clone(e.epochs)
	for i := range c.epochs {
		ep := &c.epochs[i]
		ep.digests = make([][32]byte, len(ep.index.Zones()))
		for z, zone := range ep.index.Zones() {
			ep.digests[z] = zones[zone.ID]
		}
	}
	return &c
}

// Index returns the index of the zones as in force last: the latest
// version of every zone id. Incidents are matched against IndexAt their
// time instead.
func (e *Evaluator) Index() *geo.Index { return e.epochs[len(e.epochs)-1].index }

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
	for ti := range e.trials {
		if t := &e.trials[ti]; t.Contains(inc.OccurredAt) && t.Prohibits(inc.Category) {
			ep := e.epochAt(inc.OccurredAt)
			if ep == nil {
				return dst
			}
			s.inside = ep.index.Locate(inc.Lon, inc.Lat, s.inside[:0])
			return e.evaluateLocated(inc, dst, ep, ti, s)
		}
	}
	return dst
}

// evaluateWithZones appends to vdst what evaluate appends and to zdst what
// appendZoneIDs appends, locating the point once.
func (e *Evaluator) evaluateWithZones(inc *Incident, vdst []Violation, zdst []string, s *scratch) ([]Violation, []string) {
	ep := e.epochAt(inc.OccurredAt)
	if ep == nil {
		return vdst, zdst
	}
	s.inside = ep.index.Locate(inc.Lon, inc.Lat, s.inside[:0])
	zones := ep.index.Zones()
	for _, z := range s.inside {
		zdst = append(zdst, zones[z].ID)
	}
	return e.evaluateLocated(inc, vdst, ep, 0, s), zdst
}

// evaluateLocated is evaluate from trial from on, s.inside holding the
// zones of ep that contain the point.
func (e *Evaluator) evaluateLocated(inc *Incident, dst []Violation, ep *epoch, from int, s *scratch) []Violation {
	for ti := from; ti < len(e.trials); ti++ {
		t := &e.trials[ti]
		if !t.Contains(inc.OccurredAt) || !t.Prohibits(inc.Category) {
			continue
		}
		covers := ep.covers[ti]
		for _, z := range s.inside {
			if covers[z] {
				dst = append(dst, e.violation(ep, t, inc, z, Inside))
			}
		}
		if reach := t.BufferMeters + inc.UncertaintyM; reach > 0 {
			s.near = ep.index.Within(inc.Lon, inc.Lat, reach, s.near[:0])
			for _, n := range s.near {
				if !covers[n.Zone] {
					continue
				}
				p := Buffer
				if n.Meters > t.BufferMeters {
					p = Ambiguous
				}
				dst = append(dst, e.violation(ep, t, inc, n.Zone, p))
			}
		}
	}
	return dst
}

// violation is the violation of trial t by inc in zone (an index in ep).
func (e *Evaluator) violation(ep *epoch, t *evalTrial, inc *Incident, zone int, p Placement) Violation {
	return Violation{
		Trial:       t.Name,
		ZoneID:      ep.index.Zones()[zone].ID,
		Category:    inc.Category,
		Source:      inc.Source,
		IncidentID:  inc.ID,
		OccurredAt:  inc.OccurredAt,
		Lon:         inc.Lon,
		Lat:         inc.Lat,
		Placement:   p,
		Day:         t.DayIndex(inc.OccurredAt),
		ZoneVersion: ep.digests[zone],
		Config:      e.config,
	}
}

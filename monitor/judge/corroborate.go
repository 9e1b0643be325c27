package judge

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Tier is how well a violation is supported by sources of different kinds.
type Tier string

// The tiers of a violation.
const (
	// Single means no source of another kind saw an incident near it.
	Single Tier = "single"
	// Corroborated means a source of another kind has an incident within
	// the corroboration distance and window of it.
	Corroborated Tier = "corroborated"
)

// Default corroboration settings.
const (
	// DefaultCorroborationDistanceM is how close, in meters, an incident
	// of another kind must be to corroborate a violation.
	DefaultCorroborationDistanceM = 5000
	// DefaultCorroborationWindow is how close in event time it must be.
	DefaultCorroborationWindow = 6 * time.Hour
)

// Report is an incident as corroboration sees it. (Source, ID) is its
// identity, as in the store.
type Report struct {
	Source, ID string
	Kind       Kind
	// At is the event time.
	At time.Time
	// Lon and Lat are WGS84 degrees.
	Lon, Lat float64
	// Violation marks an incident that is a violation of the trial; only
	// violations have a tier, every incident can corroborate.
	Violation bool
}

// TierChange is a change of one violation's tier. From is "" when the
// incident was not a standing violation before (it is new, or was not a
// violation); To is "" when it no longer is one (deleted, or revised into
// a non-violation).
type TierChange struct {
	Source, ID string
	From, To   Tier
}

// CorroborationOptions configure a Corroborator.
type CorroborationOptions struct {
	// DistanceM is the greatest geodesic distance in meters (> 0, finite)
	// at which an incident corroborates a violation; the edge counts.
	DistanceM float64
	// Window is the greatest difference of event times (≥ 0) at which an
	// incident corroborates a violation; the edge counts.
	Window time.Duration
	// Start and End are the trial's half-open window [Start, End).
	// Violations must fall in it; incidents more than Window outside it
	// can corroborate nothing and are not kept.
	Start, End time.Time
}

// Corroborator assigns tiers to the violations of one trial, incrementally:
// incidents are added (or revised, by adding again under the same
// identity) and removed in any order, and each call returns the tier
// changes it caused. Which incident arrived first does not matter: the
// tiers after any sequence of calls are those of the incidents standing,
// as if they had all arrived at once. A violation is Corroborated while at
// least one standing incident of another kind lies within DistanceM meters
// (geo.DistanceMeters, WGS84) and Window of event time of it, edges
// included; else Single.
//
// Memory is bounded by the incidents whose event time lies within Window
// of the trial window, the only ones that can matter; others are not kept.
// A Corroborator is not safe for concurrent use: one goroutine owns it.
type Corroborator struct {
	opts     CorroborationOptions
	bandDeg  float64
	slotSpan time.Duration
	byKey    map[reportKey]*entry
	// cells holds the entries by latitude band of width bandDeg, time
	// slot of length slotSpan and kind, so that a search reads nine cells
	// of each other kind rather than every entry: many reports of one
	// kind at one place (a busy day of field reports) never scan each
	// other.
	cells map[cell][]*entry
}

// cell is a latitude band, a time slot and a source kind.
type cell struct {
	band, slot int64
	kind       Kind
}

type reportKey struct{ source, id string }

type entry struct {
	r       Report
	key     reportKey
	cell    cell
	pos     int // index in cells[cell]
	support int // standing incidents of another kind within reach
}

// minMeridianDegreeM is a lower bound, in meters, of the length of one
// degree of latitude on WGS84 (110,574 m at the equator): two points whose
// latitudes differ by more than d/minMeridianDegreeM degrees are more than
// d meters apart, as no path between two parallels is shorter than the
// meridian arc.
const minMeridianDegreeM = 110000

// NewCorroborator returns an empty Corroborator, or an error when opts is
// invalid.
func NewCorroborator(opts CorroborationOptions) (*Corroborator, error) {
	if !(opts.DistanceM > 0) || math.IsInf(opts.DistanceM, 1) {
		return nil, fmt.Errorf("corroboration distance %v m not positive and finite", opts.DistanceM)
	}
	if opts.Window < 0 {
		return nil, fmt.Errorf("corroboration window %v is negative", opts.Window)
	}
	if !opts.Start.Before(opts.End) {
		return nil, fmt.Errorf("trial window [%v, %v) is empty", opts.Start, opts.End)
	}
	return &Corroborator{
		opts:     opts,
		bandDeg:  opts.DistanceM / minMeridianDegreeM,
		slotSpan: max(opts.Window, time.Second),
		byKey:    map[reportKey]*entry{},
		cells:    map[cell][]*entry{},
	}, nil
}

// Add records r, replacing the incident of the same (Source, ID) if there
// is one (a revision), and returns every tier change it caused, r's own
// included. An incident whose event time lies more than Window outside
// the trial window is not kept (a revision moving one out removes it). A
// violation outside the trial window, a coordinate that is not finite or
// not in range, or a kind that is not one of Kinds, is an error, and
// nothing changes.
func (c *Corroborator) Add(r Report) ([]TierChange, error) {
	if err := c.check(r); err != nil {
		return nil, err
	}
	k := reportKey{r.Source, r.ID}
	old := c.byKey[k]
	if !c.keeps(r.At) {
		if old == nil {
			return nil, nil
		}
		return c.Remove(r.Source, r.ID), nil
	}
	e := &entry{r: r, key: k, cell: c.cellOf(r)}
	var oldNear []*entry
	if old != nil {
		oldNear = c.near(old)
	}
	newNear := c.near(e)
	before := c.tiers(old, oldNear, newNear)
	if old != nil {
		c.unlink(old, oldNear)
	}
	c.link(e, newNear)
	return c.changes(before, e), nil
}

// Remove deletes the incident (source, id), if kept, and returns the tier
// changes it caused: the demotions of violations it alone corroborated,
// and its own change to "" when it was a violation.
func (c *Corroborator) Remove(source, id string) []TierChange {
	old := c.byKey[reportKey{source, id}]
	if old == nil {
		return nil
	}
	near := c.near(old)
	before := c.tiers(old, near, nil)
	c.unlink(old, near)
	return c.changes(before, nil)
}

// Tier returns the tier of the violation (source, id), and false when no
// such violation is kept.
func (c *Corroborator) Tier(source, id string) (Tier, bool) {
	e := c.byKey[reportKey{source, id}]
	if e == nil || !e.r.Violation {
		return "", false
	}
	return e.tier(), true
}

// Len returns the number of incidents kept.
func (c *Corroborator) Len() int { return len(c.byKey) }

func (e *entry) tier() Tier {
	if e.support > 0 {
		return Corroborated
	}
	return Single
}

func (c *Corroborator) check(r Report) error {
	if _, err := ParseKind(string(r.Kind)); err != nil {
		return fmt.Errorf("incident %s/%s: %w", r.Source, r.ID, err)
	}
	if math.IsNaN(r.Lon) || math.IsNaN(r.Lat) || math.Abs(r.Lat) > 90 || math.Abs(r.Lon) > 180 {
		return fmt.Errorf("incident %s/%s: coordinate (%v, %v) out of range", r.Source, r.ID, r.Lon, r.Lat)
	}
	if r.Violation && (r.At.Before(c.opts.Start) || !r.At.Before(c.opts.End)) {
		return fmt.Errorf("incident %s/%s: %w", r.Source, r.ID, errViolationOutside)
	}
	return nil
}

var errViolationOutside = errors.New("violation outside the trial window")

// keeps reports whether an incident at t can corroborate a violation of
// the trial: t within Window of [Start, End).
func (c *Corroborator) keeps(t time.Time) bool {
	return !t.Before(c.opts.Start.Add(-c.opts.Window)) && !t.After(c.opts.End.Add(c.opts.Window))
}

// cellOf returns the cell of r. Two incidents within reach are in the
// same or neighbouring bands, since bands are at least DistanceM wide, and
// in the same or neighbouring slots, since slots are at least Window long.
func (c *Corroborator) cellOf(r Report) cell {
	d := r.At.Sub(c.opts.Start) // kept incidents are within Window of the trial: no overflow
	slot := int64(d / c.slotSpan)
	if d%c.slotSpan < 0 {
		slot--
	}
	return cell{band: int64(math.Floor(r.Lat / c.bandDeg)), slot: slot, kind: r.Kind}
}

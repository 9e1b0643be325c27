package monitor

import (
	"fmt"
	"slices"
	"time"

	"github.com/ceasefired/ceasefired/geo"
)

// ZoneVersion is one version of a zone: its geometry in force from From
// until the From of the next version of the same zone id, or forever when
// there is none.
type ZoneVersion struct {
	Zone geo.Zone
	// From is when the version takes effect; zero means from the
	// beginning of time.
	From time.Time
	// Digest identifies the version (the SHA-256 of its zone file): every
	// violation judged under it records it.
	Digest [32]byte
}

// epoch is a span of time in which the same zone versions are in force:
// from its from until the next epoch's.
type epoch struct {
	from    time.Time // zero for the beginning of time
	index   *geo.Index
	digests [][32]byte // by zone index
	covers  [][]bool   // by trial, then by zone index
}

// buildEpochs splits time at the distinct From of versions and builds, for
// each span, the index of the versions in force: for every zone id the
// version with the latest From not after the span's start. Zones keep the
// order in which their ids first appear in versions. The first epoch
// starts at the earliest From; before it no zone is in force. Two versions
// of one id with the same From are an error.
func buildEpochs(versions []ZoneVersion) ([]epoch, error) {
	order := map[string]int{} // id → rank of first appearance
	var froms []time.Time
	for _, v := range versions {
		if _, ok := order[v.Zone.ID]; !ok {
			order[v.Zone.ID] = len(order)
		}
		froms = append(froms, v.From)
	}
	slices.SortFunc(froms, time.Time.Compare)
	froms = slices.CompactFunc(froms, time.Time.Equal)
	epochs := make([]epoch, 0, len(froms))
	for _, from := range froms {
		inForce := make([]*ZoneVersion, len(order)) // by rank
		for i := range versions {
			v := &versions[i]
			if v.From.After(from) {
				continue
			}
			r := order[v.Zone.ID]
			if cur := inForce[r]; cur != nil && cur.From.Equal(v.From) {
				return nil, fmt.Errorf("zone %q: two versions from %s", v.Zone.ID, v.From.UTC().Format(time.RFC3339))
			}
			if cur := inForce[r]; cur == nil || v.From.After(cur.From) {
				inForce[r] = v
			}
		}
		ep := epoch{from: from}
		var zones []geo.Zone
		for _, v := range inForce {
			if v != nil {
				zones = append(zones, v.Zone)
				ep.digests = append(ep.digests, v.Digest)
			}
		}
		ix, err := geo.NewIndex(zones)
		if err != nil {
			return nil, fmt.Errorf("zones from %s: %w", from.UTC().Format(time.RFC3339), err)
		}
		ep.index = ix
		epochs = append(epochs, ep)
	}
	return epochs, nil
}

// epochAt returns the epoch in force at t, nil before the first: a binary
// search that does not allocate.
func (e *Evaluator) epochAt(t time.Time) *epoch {
	lo, hi := 0, len(e.epochs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if e.epochs[m].from.After(t) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	if lo == 0 {
		return nil
	}
	return &e.epochs[lo-1]
}

// IndexAt returns the index of the zone versions in force at t, nil when
// no zone is in force yet.
func (e *Evaluator) IndexAt(t time.Time) *geo.Index {
	if ep := e.epochAt(t); ep != nil {
		return ep.index
	}
	return nil
}

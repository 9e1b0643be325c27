package main

import (
	"fmt"
	"hash/maphash"
	"sort"

	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// violationKey identifies a violation within a trial.
type violationKey struct{ zone, source, incident string }

type incidentKey struct{ source, id string }

// logIndex is what the export needs of the log: where the latest leaf of
// each of the trial's violations and retractions, of every version, and
// (by hash) of every incident is.
type logIndex struct {
	violations  map[violationKey]int64
	retracted   map[violationKey]int64
	retractions []int64
	// incidents holds, by a 64-bit hash of (source, id), the latest
	// incident leaf of that hash: the incident's own latest leaf unless
	// another incident with the same hash was logged after it, which
	// incident finds out. Keeping the keys instead cost 0.6 GB more at the
	// peak of a log of 1.26 million incidents (docs/evidence.md).
	incidents map[uint64]int64
	hash      func(incidentKey) uint64
	versions  map[evidence.Digest]int64
	leaves    map[int64][]byte // of the trial's violations and retractions
}

// scanLog reads the log's first size leaves and indexes those the export
// of trial needs.
func scanLog(log evidence.Storage, size int64, trial string) (*logIndex, error) {
	seed := maphash.MakeSeed()
	return scanLogHashed(log, size, trial, func(k incidentKey) uint64 { return maphash.Comparable(seed, k) })
}

// scanLogHashed is scanLog with the hash of incident keys given (tests
// give one that collides).
func scanLogHashed(log evidence.Storage, size int64, trial string, hash func(incidentKey) uint64) (*logIndex, error) {
	x := &logIndex{violations: map[violationKey]int64{}, retracted: map[violationKey]int64{},
		incidents: map[uint64]int64{}, hash: hash, versions: map[evidence.Digest]int64{}, leaves: map[int64][]byte{}}
	err := eachLeaf(log, 0, size, func(at int64, d []byte, l evidence.Leaf) {
		switch l := l.(type) {
		case evidence.Incident:
			x.incidents[hash(incidentKey{l.Source, l.ID})] = at
		case evidence.Violation:
			if l.Trial == trial {
				x.violations[violationKey{l.ZoneID, l.Source, l.IncidentID}] = at
				x.leaves[at] = d
			}
		case evidence.Retraction:
			if l.Trial == trial {
				x.retracted[violationKey{l.ZoneID, l.Source, l.IncidentID}] = at
				x.retractions = append(x.retractions, at)
				x.leaves[at] = d
			}
		case evidence.Version:
			x.versions[l.SHA256] = at
		}
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// eachLeaf calls fn with every leaf of the log in [from, to), decoded, in
// order.
func eachLeaf(log evidence.Storage, from, to int64, fn func(at int64, data []byte, l evidence.Leaf)) error {
	const chunk = 4096
	for start := from; start < to; start += chunk {
		data, err := log.ReadLeaves(start, min(chunk, to-start))
		if err != nil {
			return err
		}
		for i, d := range data {
			l, err := evidence.Decode(d)
			if err != nil {
				return fmt.Errorf("leaf %d: %w", start+int64(i), err)
			}
			fn(start+int64(i), d, l)
		}
	}
	return nil
}

// incident returns the latest leaf of the incident k, and false when the
// log holds none.
func (x *logIndex) incident(log evidence.Storage, k incidentKey) (at int64, data []byte, ok bool, err error) {
	at, ok = x.incidents[x.hash(k)]
	if !ok {
		return 0, nil, false, nil
	}
	leaves, err := log.ReadLeaves(at, 1)
	if err != nil {
		return 0, nil, false, err
	}
	if l, err := evidence.Decode(leaves[0]); err == nil && isIncident(l, k) {
		return at, leaves[0], true, nil
	}
	// Another incident of the same hash was logged later: k's own latest
	// leaf, if any, lies before it.
	latest := int64(-1)
	err = eachLeaf(log, 0, at, func(i int64, d []byte, l evidence.Leaf) {
		if isIncident(l, k) {
			latest, data = i, d
		}
	})
	if err != nil || latest < 0 {
		return 0, nil, false, err
	}
	return latest, data, true, nil
}

// isIncident reports whether l is a leaf of the incident k.
func isIncident(l evidence.Leaf, k incidentKey) bool {
	inc, ok := l.(evidence.Incident)
	return ok && inc.Source == k.source && inc.ID == k.id
}

// standing returns the trial's violations whose latest leaf no retraction
// follows, ordered by key.
func (x *logIndex) standing() []violationKey {
	var out []violationKey
	for k, at := range x.violations {
		if r, ok := x.retracted[k]; !ok || r < at {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.zone+"\x00"+a.source+"\x00"+a.incident < b.zone+"\x00"+b.source+"\x00"+b.incident
	})
	return out
}

package main

import (
	"fmt"
	"sort"

	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// violationKey identifies a violation within a trial.
type violationKey struct{ zone, source, incident string }

type incidentKey struct{ source, id string }

// logIndex is what the export needs of the log: where the latest leaf of
// each of the trial's violations, retractions, and of every incident and
// version is.
type logIndex struct {
	violations  map[violationKey]int64
	retracted   map[violationKey]int64
	retractions []int64
	incidents   map[incidentKey]int64
	versions    map[evidence.Digest]int64
	leaves      map[int64][]byte // of the trial's violations and retractions
}

func scanLog(log evidence.Storage, size int64, trial string) (*logIndex, error) {
	x := &logIndex{violations: map[violationKey]int64{}, retracted: map[violationKey]int64{},
		incidents: map[incidentKey]int64{}, versions: map[evidence.Digest]int64{}, leaves: map[int64][]byte{}}
	const chunk = 4096
	for start := int64(0); start < size; start += chunk {
		data, err := log.ReadLeaves(start, min(chunk, size-start))
		if err != nil {
			return nil, err
		}
		for i, d := range data {
			at := start + int64(i)
			l, err := evidence.Decode(d)
			if err != nil {
				return nil, fmt.Errorf("leaf %d: %w", at, err)
			}
			switch l := l.(type) {
			case evidence.Incident:
				x.incidents[incidentKey{l.Source, l.ID}] = at
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
		}
	}
	return x, nil
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

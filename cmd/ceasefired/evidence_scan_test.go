package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// TestLogIndexIncidents: the export finds the latest leaf of each
// incident, and no leaf of one never logged, whether the hash of the keys
// tells them apart or not (every key colliding, or two of three).
func TestLogIndexIncidents(t *testing.T) {
	var log evidence.MemoryStorage
	inc := func(source, id string, hour int) evidence.Leaf {
		return evidence.Incident{Source: source, ID: id, OccurredAt: time.Date(2026, 12, 1, hour, 0, 0, 0, time.UTC), Confidence: -1}
	}
	// a is revised (two leaves), b and c follow; b's latest leaf comes
	// after c's only leaf.
	leaves := []evidence.Leaf{inc("s", "a", 1), inc("s", "b", 2), inc("s", "a", 3), inc("t", "c", 4), inc("s", "b", 5)}
	if _, err := evidence.Append(&log, leaves...); err != nil {
		t.Fatal(err)
	}
	want := map[incidentKey]int64{{"s", "a"}: 2, {"s", "b"}: 4, {"t", "c"}: 3}
	hashes := map[string]func(incidentKey) uint64{
		"apart":    nil, // scanLog's own
		"all same": func(incidentKey) uint64 { return 7 },
		"a with c": func(k incidentKey) uint64 {
			if k.id == "b" {
				return 1
			}
			return 2
		},
	}
	for name, hash := range hashes {
		var x *logIndex
		var err error
		if hash == nil {
			x, err = scanLog(&log, 5, "trial")
		} else {
			x, err = scanLogHashed(&log, 5, "trial", hash)
		}
		if err != nil {
			t.Fatal(err)
		}
		for k, at := range want {
			got, data, ok, err := x.incident(&log, k)
			if err != nil || !ok || got != at {
				t.Errorf("%s: incident %v = %d, %v, %v; want leaf %d", name, k, got, ok, err, at)
				continue
			}
			leaf, _ := log.ReadLeaves(at, 1)
			if !bytes.Equal(data, leaf[0]) {
				t.Errorf("%s: incident %v: data of another leaf", name, k)
			}
		}
		for _, k := range []incidentKey{{"s", "c"}, {"t", "a"}, {"s", "never"}} {
			if at, _, ok, err := x.incident(&log, k); ok || err != nil {
				t.Errorf("%s: incident %v = %d, %v, %v; want none", name, k, at, ok, err)
			}
		}
	}
}

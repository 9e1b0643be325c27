package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/evidence"
)

// fullStore is what both implementations offer.
type fullStore interface {
	monitor.Store
	monitor.JudgingStore
	PutState(ctx context.Context, key string, value []byte) error
	GetState(ctx context.Context, key string) ([]byte, bool, error)
	AppendEvidence(ctx context.Context, leaves ...evidence.Leaf) (int64, error)
	Evidence(ctx context.Context) evidence.Storage
}

// implementation opens a fresh, empty store of one kind for a test.
type implementation struct {
	name string
	open func(t *testing.T) fullStore
}

// implementations lists the stores the conformance suite runs against.
func implementations() []implementation {
	return []implementation{
		{"sqlite", func(t *testing.T) fullStore { return openTestDB(t, t.TempDir()) }},
		{"memory", func(t *testing.T) fullStore {
			m := NewMemory()
			t.Cleanup(func() { m.Close() })
			return m
		}},
	}
}

// openTestDB opens the database in dir and closes it when the test ends
// (closing twice is harmless for tests that close it themselves). A dir
// without a database gets a copy of an empty one that Open created once
// for the package: migrating from nothing, which every Open of a new
// folder does, then runs once and not in each of a hundred tests, where
// under the race detector it took a third of the package's time.
// TestOpen opens a new folder with Open itself.
func openTestDB(t *testing.T, dir string) *DB {
	t.Helper()
	testenv.WriteOnce(t, filepath.Join(dir, FileName), "an empty store", func(dir string) (string, error) {
		db, err := Open(dir, Options{})
		if err != nil {
			return "", err
		}
		return filepath.Join(dir, FileName), db.Close()
	})
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open(%q): %v", dir, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// logHead returns the evidence log of s and its head, and fails the test
// when the head cannot be read.
func logHead(t *testing.T, s fullStore) (evidence.Storage, tlog.Tree) {
	t.Helper()
	log := s.Evidence(context.Background())
	head, err := evidence.Head(log)
	if err != nil {
		t.Fatal(err)
	}
	return log, head
}

// sameLogs checks that db's evidence log passes its audit and ends at the
// head of mem's.
func sameLogs(t *testing.T, db *DB, mem *Memory) {
	t.Helper()
	log, head := logHead(t, db)
	if err := evidence.Audit(log, head); err != nil {
		t.Errorf("audit: %v", err)
	}
	_, memHead := logHead(t, mem)
	if head != memHead {
		t.Errorf("log head %d %v, memory store's %d %v", head.N, head.Hash, memHead.N, memHead.Hash)
	}
}

// t0 is the start of the test trial.
var t0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// incident returns a thermal anomaly of source at t0+offset with a
// realistic raw FIRMS line of about 120 bytes.
func incident(source, id string, offset time.Duration) monitor.Incident {
	at := t0.Add(offset)
	return monitor.Incident{
		Source:       source,
		ID:           id,
		OccurredAt:   at,
		Lon:          37.80,
		Lat:          48.01,
		UncertaintyM: 375,
		Category:     monitor.ThermalAnomaly,
		Confidence:   80,
		Raw: fmt.Sprintf("48.01234,37.80123,331.45,0.39,0.36,%s,%s,N20,VIIRS,n,2.0NRT,289.12,4.87,N,id=%s",
			at.Format("2006-01-02"), at.Format("1504"), id),
	}
}

// violation returns the violation of inc in trial and zone.
func violation(inc monitor.Incident, trial, zone string) monitor.Violation {
	return monitor.Violation{
		Trial:      trial,
		ZoneID:     zone,
		Category:   inc.Category,
		Source:     inc.Source,
		IncidentID: inc.ID,
		OccurredAt: inc.OccurredAt,
		Lon:        inc.Lon,
		Lat:        inc.Lat,
		Placement:  monitor.Inside,
		Day:        int(inc.OccurredAt.Sub(t0) / (24 * time.Hour)),
	}
}

// item returns inc with one violation per zone of trial "t".
func item(inc monitor.Incident, zones ...string) monitor.Item {
	it := monitor.Item{Incident: inc}
	for _, z := range zones {
		it.Violations = append(it.Violations, violation(inc, "t", z))
	}
	return it
}

// numberedBatch returns batch k of source: n incidents "k-0" … "k-(n-1)",
// each with one violation in zone "Z", and cursor "doc-k" = "v-k".
func numberedBatch(source string, k, n int) *monitor.Batch {
	b := &monitor.Batch{
		Source:      source,
		CursorKey:   fmt.Sprintf("doc-%d", k),
		CursorValue: fmt.Sprintf("v-%d", k),
		Items:       make([]monitor.Item, n),
	}
	for i := range n {
		inc := incident(source, fmt.Sprintf("%d-%d", k, i), time.Duration(k*n+i)*time.Second)
		b.Items[i] = item(inc, "Z")
	}
	return b
}

// mustCommit commits b and fails the test on error.
func mustCommit(t *testing.T, s monitor.Store, b *monitor.Batch) monitor.CommitResult {
	t.Helper()
	res, err := s.Commit(context.Background(), b)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return res
}

// count returns s.IncidentCount and fails the test on error.
func count(t *testing.T, s monitor.Store) int64 {
	t.Helper()
	n, err := s.IncidentCount(context.Background())
	if err != nil {
		t.Fatalf("IncidentCount: %v", err)
	}
	return n
}

// violationIDs returns "trial/zone/source/incident" of each violation.
func violationIDs(vs []monitor.Violation) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Trial + "/" + v.ZoneID + "/" + v.Source + "/" + v.IncidentID
	}
	return out
}

// sameViolation reports whether a and b are equal, comparing times as
// instants.
func sameViolation(a, b monitor.Violation) bool {
	at, bt := a.OccurredAt, b.OccurredAt
	a.OccurredAt, b.OccurredAt = time.Time{}, time.Time{}
	return a == b && at.Equal(bt)
}

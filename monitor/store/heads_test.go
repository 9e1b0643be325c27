package store

import (
	"slices"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// TestStoresLogAlike commits batches that mix new, revised, duplicate and
// deleted incidents, several violations each, to the SQLite, memory and
// dry-run stores: each commit reports the same violations and retractions
// in the same order, and the SQLite and memory logs end at the same head.
func TestStoresLogAlike(t *testing.T) {
	db, mem := openTestDB(t, t.TempDir()), NewMemory()
	defer mem.Close()
	a, b, c, d := incident("s", "a", time.Hour), incident("s", "b", 2*time.Hour), incident("s", "c", 3*time.Hour), incident("s", "d", 4*time.Hour)
	e, f := incident("s", "e", 5*time.Hour), incident("s", "f", 6*time.Hour)
	buffered := func(it monitor.Item) monitor.Item {
		for i := range it.Violations {
			it.Violations[i].Placement = monitor.Buffer
		}
		return it
	}
	revised := func(inc monitor.Incident, lon float64) monitor.Incident {
		inc.Lon, inc.Raw = lon, inc.Raw+",revised"
		return inc
	}
	batches := []*monitor.Batch{
		{Source: "s", Items: []monitor.Item{item(a, "Z1", "Z2"), item(b, "Z1", "Z3"), item(c, "Z4")}},
		{Source: "s", Items: []monitor.Item{
			item(revised(c, 38.1), "Z6", "Z7"), // two added, one retracted
			item(d, "Z1"),                      // new
			item(a, "Z1", "Z2"),                // duplicate
			item(revised(a, 38.2), "Z2", "Z5"), // Z1 retracted, Z2 kept, Z5 added
		}, Deleted: []string{"b"}}, // Z1 and Z3 retracted
		{Source: "s", Items: []monitor.Item{item(b, "Z3"), item(revised(d, 38.3))}, Deleted: []string{"a"}},
		// New twice (the first wins), new and deleted in one batch, and a
		// kept zone whose placement changes (retracted and added).
		{Source: "s", Items: []monitor.Item{item(e, "Z1"), item(revised(e, 38.4), "Z2"), item(f, "Z8"),
			buffered(item(revised(b, 38.5), "Z3"))}, Deleted: []string{"f", "e"}},
		{Source: "s", Items: []monitor.Item{item(revised(e, 38.6), "Z1", "Z1", "Z9"), item(a, "Z1")}},
		// A revision that adds a violation, deleted in the same batch.
		{Source: "s", Items: []monitor.Item{item(revised(d, 38.7), "Z10")}, Deleted: []string{"d"}},
	}
	dry := NewDryRun()
	defer dry.Close()
	for i, batch := range batches {
		want := mustCommit(t, mem, batch)
		for name, s := range map[string]monitor.Store{"sqlite": db, "dry run": dry} {
			got := mustCommit(t, s, batch)
			if g, w := violationIDs(got.Violations), violationIDs(want.Violations); !slices.Equal(g, w) {
				t.Errorf("batch %d, %s: violations %v, memory store %v", i, name, g, w)
			}
			if g, w := violationIDs(got.Retracted), violationIDs(want.Retracted); !slices.Equal(g, w) {
				t.Errorf("batch %d, %s: retracted %v, memory store %v", i, name, g, w)
			}
			if got.New != want.New || got.Revised != want.Revised || got.Duplicate != want.Duplicate || got.Deleted != want.Deleted {
				t.Errorf("batch %d, %s: %s, memory store %s", i, name, counts(got), counts(want))
			}
		}
	}
	sameLogs(t, db, mem)
}

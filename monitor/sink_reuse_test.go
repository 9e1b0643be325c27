package monitor_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// checkingStore checks, as each batch is committed, that every item's
// violations and zones are its own, and keeps a copy of them by incident.
type checkingStore struct {
	monitor.Store
	t     *testing.T
	mu    sync.Mutex
	zones map[string][]string // incident id → zone ids, as committed
}

func (c *checkingStore) Commit(ctx context.Context, b *monitor.Batch) (monitor.CommitResult, error) {
	c.mu.Lock()
	for i := range b.Items {
		it := &b.Items[i]
		var zones []string
		for _, v := range it.Violations {
			if v.IncidentID != it.Incident.ID {
				c.t.Errorf("item %s carries a violation of %s", it.Incident.ID, v.IncidentID)
			}
			zones = append(zones, v.ZoneID)
		}
		if !slices.Equal(zones, it.Zones) {
			c.t.Errorf("item %s: violations in %q, zones %q", it.Incident.ID, zones, it.Zones)
		}
		c.zones[it.Incident.ID] = slices.Clone(it.Zones)
	}
	c.mu.Unlock()
	return c.Store.Commit(ctx, b)
}

// TestBatchesReuseMemory ingests one document in batches of several sizes:
// the violations and zone ids of a batch's items are built in buffers that
// the next batch reuses, and each item must still see only its own, with
// the same result whatever the batch size.
func TestBatchesReuseMemory(t *testing.T) {
	var body strings.Builder
	body.WriteString("id,time,lat,lon,category\n")
	// In zone a, in zone b, on their shared edge (both), outside: runs of
	// one to two violations, so that the buffers grow within a batch.
	for i, lon := range []string{"0.5", "1.5", "1.0", "5.0", "0.25", "1.0", "1.75"} {
		for j := range 13 {
			fmt.Fprintf(&body, "r%d-%d,2026-12-02T%02d:00:00Z,0.5,%s,shelling\n", i, j, j, lon)
		}
	}
	var want map[string][]string
	for _, tc := range []struct {
		size   int
		behind bool // RunnerOptions.CommitBehind: two sets of buffers in turn
	}{{1000, false}, {1, false}, {2, false}, {3, false}, {7, false}, {64, false}, {1, true}, {3, true}, {7, true}} {
		size := tc.size
		t.Run(fmt.Sprintf("batch=%d/behind=%v", size, tc.behind), func(t *testing.T) {
			c := &checkingStore{Store: store.NewMemory(), t: t, zones: map[string][]string{}}
			var printed []string
			r := monitor.NewRunner(monitor.RunnerOptions{
				Store: c, BatchSize: size, CommitBehind: tc.behind,
				Now: func() time.Time { return trialStart.AddDate(0, 0, 3) },
				OnViolations: func(vs []monitor.Violation) {
					for _, v := range vs {
						printed = append(printed, v.IncidentID+" "+v.ZoneID)
					}
				},
			})
			r.SetEvaluator(testEvaluator(t))
			src := memSource("reports", "")
			st, err := r.Ingest(context.Background(), src.Name, src.Decoder, memDoc("d", "", body.String()))
			if err != nil {
				t.Fatal(err)
			}
			if st.New != 91 {
				t.Errorf("stored %d incidents, want 91", st.New)
			}
			if want == nil {
				want = c.zones
				if len(printed) != 13*8 {
					t.Fatalf("%d violations, want %d", len(printed), 13*8)
				}
				return
			}
			for id, zones := range want {
				if !slices.Equal(c.zones[id], zones) {
					t.Errorf("%s: zones %q, want %q", id, c.zones[id], zones)
				}
			}
		})
	}
}

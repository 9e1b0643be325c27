package monitor_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// TestNoTally: with NoTally the runner stores and reports violations as
// always but leaves its aggregates alone, also when a revision retracts.
func TestNoTally(t *testing.T) {
	first := "id,time,lat,lon,category\nr1,2026-12-02T10:00:00Z,0.5,0.5,shelling\nr2,2026-12-02T11:00:00Z,0.5,1.5,shelling\n"
	// r1 moves out of every zone: its violation is retracted.
	revised := "id,time,lat,lon,category\nr1,2026-12-02T10:00:00Z,5.0,5.0,shelling\n"
	for _, off := range []bool{false, true} {
		t.Run(fmt.Sprintf("NoTally=%v", off), func(t *testing.T) {
			var stored, retracted int
			r := monitor.NewRunner(monitor.RunnerOptions{
				Store: store.NewMemory(), NoTally: off,
				Now:           func() time.Time { return trialStart.AddDate(0, 0, 3) },
				OnViolations:  func(vs []monitor.Violation) { stored += len(vs) },
				OnRetractions: func(vs []monitor.Violation) { retracted += len(vs) },
			})
			r.SetEvaluator(testEvaluator(t))
			src := memSource("reports", "")
			for i, body := range []string{first, revised} {
				if _, err := r.Ingest(context.Background(), src.Name, src.Decoder, memDoc(fmt.Sprint("d", i), "", body)); err != nil {
					t.Fatal(err)
				}
			}
			if stored != 2 || retracted != 1 {
				t.Errorf("%d violations stored, %d retracted; want 2 and 1", stored, retracted)
			}
			want := int64(1)
			if off {
				want = 0
			}
			if got := r.Tally().Count("freeze", "b", monitor.Shelling); got != want {
				t.Errorf("tally of zone b: %d, want %d", got, want)
			}
		})
	}
}

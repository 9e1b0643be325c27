package monitor_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/store"
)

const reviseHeader = "id,time,lat,lon,category\n"

// TestRevisionsAndRetractions feeds a source documents that revise and
// delete incidents, on both stores, and checks after each document the
// standing and retracted counts, the stats and the metrics; then that a
// restart restores the same series.
func TestRevisionsAndRetractions(t *testing.T) {
	type counts struct{ a, aRetracted, b, bRetracted int64 }
	steps := []struct {
		name    string
		body    string
		deleted []string
		want    monitor.DocStats
		counts  counts
		freeA   int // violation-free ended days of zone a (3 have ended)
	}{
		{"first document", reviseHeader +
			"x1,2026-12-01T10:00:00Z,0.5,0.5,shelling\n" +
			"x2,2026-12-02T10:00:00Z,0.5,0.5,shelling\n" +
			"x3,2026-12-02T10:00:00Z,0.5,1.5,shelling\n", nil,
			monitor.DocStats{Rows: 3, New: 3, Violations: 3, Inside: 3}, counts{2, 0, 1, 0}, 1},
		{"the same again changes nothing", reviseHeader +
			"x1,2026-12-01T10:00:00Z,0.5,0.5,shelling\n", nil,
			monitor.DocStats{Rows: 1, Duplicate: 1}, counts{2, 0, 1, 0}, 1},
		{"x1 moves from a to b", reviseHeader +
			"x1,2026-12-01T10:00:00Z,0.5,1.5,shelling\n", nil,
			monitor.DocStats{Rows: 1, Revised: 1, Violations: 1, Inside: 1, Retracted: 1}, counts{2, 1, 2, 0}, 2},
		{"x1 moves back: a new violation in a", reviseHeader +
			"x1,2026-12-01T10:00:00Z,0.5,0.5,shelling\n", nil,
			monitor.DocStats{Rows: 1, Revised: 1, Violations: 1, Inside: 1, Retracted: 1}, counts{3, 1, 2, 1}, 1},
		{"x2 deleted", reviseHeader, []string{"x2", "unknown"},
			monitor.DocStats{Revised: 1, Retracted: 1}, counts{3, 2, 2, 1}, 2},
		{"x2 deleted again changes nothing", reviseHeader, []string{"x2"},
			monitor.DocStats{}, counts{3, 2, 2, 1}, 2},
		{"x2 comes back", reviseHeader +
			"x2,2026-12-02T10:00:00Z,0.5,0.5,shelling\n", nil,
			monitor.DocStats{Rows: 1, Revised: 1, Violations: 1, Inside: 1}, counts{4, 2, 2, 1}, 1},
	}
	stores := []struct {
		name string
		open func(t *testing.T) monitor.Store
	}{
		{"memory", func(*testing.T) monitor.Store { return store.NewMemory() }},
		{"sqlite", func(t *testing.T) monitor.Store { return openDB(t) }},
	}
	now := trialStart.Add(3*monitor.Day + 1)
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			s := st.open(t)
			r, reg := clockRunner(t, s, newFakeClock(now), 0)
			tr := &monitor.Trial{Name: "freeze", Start: trialStart, Days: 30}
			for i, step := range steps {
				doc := memDoc("d", "c"+string(rune('0'+i)), step.body)
				doc.Deleted = step.deleted
				got, err := r.Ingest(context.Background(), "feed", memSource("", "").Decoder, doc)
				if err != nil {
					t.Fatalf("%s: %v", step.name, err)
				}
				got.Rejected = nil
				if !equalStats(got, step.want) {
					t.Errorf("%s: stats %+v, want %+v", step.name, got, step.want)
				}
				tl := r.Tally()
				c := counts{
					tl.Count("freeze", "a", monitor.Shelling), tl.RetractedCount("freeze", "a", monitor.Shelling),
					tl.Count("freeze", "b", monitor.Shelling), tl.RetractedCount("freeze", "b", monitor.Shelling),
				}
				if c != step.counts {
					t.Errorf("%s: counts %+v, want %+v", step.name, c, step.counts)
				}
				if got := tl.FreeDays(tr, "a", now); got != step.freeA {
					t.Errorf("%s: free days in a %d, want %d", step.name, got, step.freeA)
				}
			}
			// A restart restores the same series from the store.
			names := []string{"ceasefire_violations_total", "ceasefire_violations_retracted_total",
				"ceasefire_trial_violation_free_seconds", "ceasefire_zone_last_violation_timestamp_seconds"}
			reg2 := prometheus.NewPedanticRegistry()
			r2 := monitor.NewRunner(monitor.RunnerOptions{Store: s, Registerer: reg2, Now: func() time.Time { return now }})
			if err := r2.Restore(context.Background()); err != nil {
				t.Fatal(err)
			}
			r2.SetEvaluator(testEvaluator(t))
			want := gatherText(t, reg, names...)
			if strings.Count(want, "metric") < 8 {
				t.Fatalf("too few series gathered:\n%s", want)
			}
			if got := gatherText(t, reg2, names...); got != want {
				t.Errorf("after a restart:\n%s\nbefore:\n%s", got, want)
			}
			if got := testutil.ToFloat64(counter(t, reg, "ceasefire_incidents_revised_total")); got != 4 {
				t.Errorf("revised counter %v, want 4", got)
			}
		})
	}
}

// equalStats compares DocStats without their reject maps.
func equalStats(a, b monitor.DocStats) bool {
	a.Rejected, b.Rejected = nil, nil
	return a.Rows == b.Rows && a.New == b.New && a.Duplicate == b.Duplicate && a.Revised == b.Revised &&
		a.Violations == b.Violations && a.Inside == b.Inside && a.Buffer == b.Buffer &&
		a.Ambiguous == b.Ambiguous && a.Retracted == b.Retracted && a.Skipped == b.Skipped
}

// gatherText returns the exposition text of the named families of reg.
func gatherText(t *testing.T, reg *prometheus.Registry, names ...string) string {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, mf := range mfs {
		for _, n := range names {
			if mf.GetName() == n {
				sb.WriteString(mf.String())
				sb.WriteByte('\n')
			}
		}
	}
	return sb.String()
}

package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// located returns inc, counted in zones, with violations of trial "t" in
// violating.
func located(inc monitor.Incident, zones []string, violating ...string) monitor.Item {
	it := item(inc, violating...)
	it.Zones = zones
	return it
}

// countsOf returns the daily counts of [from, to) as "day zone source category=n".
func countsOf(t *testing.T, s fullStore, from, to time.Time) []string {
	t.Helper()
	cs, err := s.DailyCounts(context.Background(), from, to)
	if err != nil {
		t.Fatalf("DailyCounts: %v", err)
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = fmt.Sprintf("%s %s %s %s=%d", c.Day.Format("01-02"), c.ZoneID, c.Source, c.Category, c.Count)
	}
	return out
}

func testDailyCounts(t *testing.T, s fullStore) {
	ctx := context.Background()
	a := incident("s", "a", time.Hour)
	b := incident("s", "b", 2*time.Hour)
	c := incident("s", "c", 25*time.Hour)
	mustCommit(t, s, &monitor.Batch{Source: "s", Items: []monitor.Item{
		located(a, []string{"Z1", "Z2"}, "Z1"), located(b, []string{"Z1"}), located(c, []string{"Z1", "Z1"}),
		located(a, []string{"Z1", "Z2"}), // repeated in the batch: counted once
	}})
	mustCommit(t, s, &monitor.Batch{Source: "s", Items: []monitor.Item{located(b, []string{"Z1"})}}) // duplicate
	if err := s.AddCounts(ctx, []monitor.DailyCount{
		{ZoneID: "Z3", Source: "archive", Category: monitor.ThermalAnomaly, Day: t0.Add(-48 * time.Hour), Count: 7},
		{ZoneID: "Z3", Source: "archive", Category: monitor.ThermalAnomaly, Day: t0.Add(-47 * time.Hour), Count: 2},
	}); err != nil {
		t.Fatalf("AddCounts: %v", err)
	}
	all := func() []string { return countsOf(t, s, t0.Add(-72*time.Hour), t0.Add(72*time.Hour)) }
	want := []string{
		"11-29 Z3 archive thermal_anomaly=9",
		"12-01 Z1 s thermal_anomaly=2", "12-01 Z2 s thermal_anomaly=1",
		"12-02 Z1 s thermal_anomaly=1",
	}
	if got := all(); !slices.Equal(got, want) {
		t.Fatalf("counts after new incidents:\n got %q\nwant %q", got, want)
	}
	if got := countsOf(t, s, t0.Add(time.Hour), t0.Add(25*time.Hour)); len(got) != 2 {
		t.Errorf("counts of [t0+1h, t0+25h) = %q, want the two of day 12-01 (days are whole)", got)
	}

	// A revision moves b to the next day and another zone; a deletion
	// takes a back; deleting again changes nothing.
	moved := incident("s", "b", 26*time.Hour)
	mustCommit(t, s, &monitor.Batch{Source: "s", Items: []monitor.Item{located(moved, []string{"Z2"})}, Deleted: []string{"a"}})
	mustCommit(t, s, &monitor.Batch{Source: "s", Deleted: []string{"a", "unknown"}})
	want = []string{"11-29 Z3 archive thermal_anomaly=9", "12-02 Z1 s thermal_anomaly=1", "12-02 Z2 s thermal_anomaly=1"}
	if got := all(); !slices.Equal(got, want) {
		t.Fatalf("counts after revision and deletion:\n got %q\nwant %q", got, want)
	}
	// A deleted incident sent again counts again.
	mustCommit(t, s, &monitor.Batch{Source: "s", Items: []monitor.Item{located(a, []string{"Z2"})}})
	if got := all(); !slices.Contains(got, "12-01 Z2 s thermal_anomaly=1") {
		t.Errorf("counts after re-sending a deleted incident: %q", got)
	}
}

func testTiers(t *testing.T, s fullStore) {
	ctx := context.Background()
	a := incident("s", "a", time.Hour)
	b := incident("s", "b", 2*time.Hour)
	d := incident("s", "d", 4*time.Hour) // later than the windows of Located below
	// A later update of a violation wins, whichever tier it sets, on new
	// incidents as on stored ones.
	mustCommit(t, s, &monitor.Batch{Source: "s", Items: []monitor.Item{item(a, "Z1", "Z2"), item(b, "Z1"), item(d, "Z2")},
		Tiers: []monitor.TierUpdate{{Trial: "t", IncidentID: "a", Tier: "single"}, {Trial: "t", IncidentID: "d", Tier: "corroborated"},
			{Trial: "t", IncidentID: "a", Tier: "corroborated"}, {Trial: "t", IncidentID: "d", Tier: "single"}}})
	amb := item(incident("s", "c", 3*time.Hour), "Z1")
	amb.Violations[0].Placement = monitor.Ambiguous
	mustCommit(t, s, &monitor.Batch{Source: "s", Items: []monitor.Item{amb}})
	tiers := func() []string {
		cs, err := s.TierCounts(ctx, "t")
		if err != nil {
			t.Fatalf("TierCounts: %v", err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%s %s %s=%d", c.ZoneID, c.Source, c.Tier, c.Count))
		}
		return out
	}
	want := []string{"Z1 s corroborated=1", "Z1 s single=1", "Z2 s corroborated=1", "Z2 s single=1"}
	if got := tiers(); !slices.Equal(got, want) {
		t.Fatalf("tiers:\n got %q\nwant %q", got, want)
	}
	mustCommit(t, s, &monitor.Batch{Source: "s", Deleted: []string{"b"},
		Tiers: []monitor.TierUpdate{{Trial: "t", IncidentID: "a", Tier: "single"}}})
	if got, want := tiers(), []string{"Z1 s single=1", "Z2 s single=2"}; !slices.Equal(got, want) {
		t.Fatalf("tiers after deletion and demotion:\n got %q\nwant %q", got, want)
	}
	loc, err := s.Located(ctx, t0, t0.Add(2*time.Hour), "t")
	if err != nil {
		t.Fatalf("Located: %v", err)
	}
	if len(loc) != 1 || loc[0].ID != "a" || !loc[0].Violation || !loc[0].At.Equal(a.OccurredAt) || loc[0].Lat != a.Lat {
		t.Errorf("Located = %+v, want only a, a violation (b is deleted, c is later)", loc)
	}
	if loc, _ := s.Located(ctx, t0, t0.Add(3*time.Hour), "other"); len(loc) != 2 || loc[0].Violation {
		t.Errorf("Located of another trial = %+v, want a and c, no violations", loc)
	}
}

func testAttempts(t *testing.T, s fullStore) {
	ctx := context.Background()
	for i, ok := range []bool{true, false, true} {
		if err := s.RecordAttempt(ctx, monitor.Attempt{Source: "f", At: t0.Add(time.Duration(i) * time.Hour), OK: ok}); err != nil {
			t.Fatalf("RecordAttempt: %v", err)
		}
	}
	if err := s.RecordAttempt(ctx, monitor.Attempt{Source: "f"}); err == nil {
		t.Error("RecordAttempt of the zero time succeeded")
	}
	// Two old attempts: one in a kept window (edge included), one not.
	for _, at := range []time.Time{t0.Add(-48 * time.Hour), t0.Add(-30 * time.Hour)} {
		if err := s.RecordAttempt(ctx, monitor.Attempt{Source: "f", At: at, OK: true}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.PruneAttempts(ctx, t0, [][2]time.Time{{t0.Add(-50 * time.Hour), t0.Add(-48 * time.Hour)}})
	if err != nil || n != 1 {
		t.Errorf("PruneAttempts = %d, %v; want the one at t0-30h", n, err)
	}
	if old, _ := s.Attempts(ctx, t0.Add(-72*time.Hour), t0.Add(-time.Hour)); len(old) != 1 || !old[0].At.Equal(t0.Add(-48*time.Hour)) {
		t.Errorf("old attempts after pruning = %+v, want the one at t0-48h", old)
	}
	got, err := s.Attempts(ctx, t0.Add(time.Hour), t0.Add(2*time.Hour))
	if err != nil {
		t.Fatalf("Attempts: %v", err)
	}
	want := []monitor.Attempt{{Source: "f", At: t0.Add(time.Hour)}, {Source: "f", At: t0.Add(2 * time.Hour), OK: true}}
	if len(got) != len(want) {
		t.Fatalf("Attempts = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Source != want[i].Source || !got[i].At.Equal(want[i].At) || got[i].OK != want[i].OK {
			t.Errorf("attempt %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

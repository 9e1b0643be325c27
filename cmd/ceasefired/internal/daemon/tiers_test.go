package daemon

import (
	"context"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/verdicts"
)

// TestAlertTiers: a lone thermal detection does not alert; a corroborated
// one does, and so do event-data and field violations of either tier,
// each with its tier as the label tier; a promotion after the fact makes a
// thermal detection alert and turns a firing alert's tier to corroborated.
func TestAlertTiers(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	v := func(id, zone string, c monitor.Category, tier string) monitor.Violation {
		x := violationAt(id, zone, now.Add(-time.Minute), monitor.Inside)
		x.Category, x.Tier = c, tier
		return x
	}
	a := newTestAlerting(t, openTestStore(t, t.TempDir()), now)
	a.observe([]monitor.Violation{
		v("t-single", "north", monitor.ThermalAnomaly, "single"),
		v("t-corr", "east", monitor.ThermalAnomaly, "corroborated"),
		v("s-single", "south", monitor.Shelling, "single"),
		v("s-corr", "west", monitor.Shelling, "corroborated"),
	})
	tiers := func() map[string]string {
		out := map[string]string{}
		for _, al := range a.manager.Active() {
			out[al.Labels["zone_id"]+" "+al.Labels["category"]] = al.Labels["tier"]
		}
		return out
	}
	want := map[string]string{"east thermal_anomaly": "corroborated", "south shelling": "single", "west shelling": "corroborated"}
	if got := tiers(); !equalMaps(got, want) {
		t.Fatalf("alerts by zone and category → tier: %v, want %v", got, want)
	}
	a.promote([]monitor.Violation{
		v("t-single", "north", monitor.ThermalAnomaly, "corroborated"),
		v("s-single", "south", monitor.Shelling, "corroborated"),
	})
	want["north thermal_anomaly"], want["south shelling"] = "corroborated", "corroborated"
	if got := tiers(); !equalMaps(got, want) {
		t.Fatalf("after promotions: %v, want %v", got, want)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

// TestRecoveredAlertTiers: after a crash, the violations recovered from the
// store carry their stored tier: a corroborated thermal detection alerts,
// a single one does not.
func TestRecoveredAlertTiers(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	db := openTestStore(t, t.TempDir())
	thermal := func(id, zone string) monitor.Violation {
		v := violationAt(id, zone, now.Add(-time.Minute), monitor.Inside)
		v.Category = monitor.ThermalAnomaly
		return v
	}
	commitViolations(t, db, thermal("lone", "north"), thermal("seen", "east"))
	if _, err := db.Commit(context.Background(), &monitor.Batch{Source: "spool",
		Tiers: []monitor.TierUpdate{{Trial: "t1", IncidentID: "seen", Tier: "corroborated"}}}); err != nil {
		t.Fatal(err)
	}
	a := newTestAlerting(t, db, now)
	active := a.manager.Active()
	if len(active) != 1 || active[0].Labels["zone_id"] != "east" || active[0].Labels["tier"] != "corroborated" {
		t.Errorf("recovered alerts %+v, want only east's, tier corroborated", active)
	}
}

// TestAlerted: which violations count for an alert, when stored and when
// retracted alike.
func TestAlerted(t *testing.T) {
	for _, tc := range []struct {
		name      string
		category  monitor.Category
		placement monitor.Placement
		tier      string
		want      bool
	}{
		{"shelling single", monitor.Shelling, monitor.Inside, "single", true},
		{"shelling not judged", monitor.Shelling, monitor.Buffer, "", true},
		{"shelling ambiguous", monitor.Shelling, monitor.Ambiguous, "corroborated", false},
		{"thermal single", monitor.ThermalAnomaly, monitor.Inside, "single", false},
		{"thermal not judged", monitor.ThermalAnomaly, monitor.Inside, "", false},
		{"thermal corroborated", monitor.ThermalAnomaly, monitor.Inside, "corroborated", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := monitor.Violation{Category: tc.category, Placement: tc.placement, Tier: tc.tier}
			if got := alerted(&v); got != tc.want {
				t.Errorf("alerted = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestAttemptWindows: each trial keeps its attempts from the longest
// maximum gap before its start to its end.
func TestAttemptWindows(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	spec := &verdicts.Spec{
		Trials:  []verdicts.Trial{{Trial: monitor.Trial{Name: "a", Start: start, Days: 2}}},
		Sources: []verdicts.Source{{Name: "f", MaxGap: 2 * time.Hour}, {Name: "p", MaxGap: 24 * time.Hour}},
	}
	got := attemptWindows(spec)
	if len(got) != 1 || !got[0][0].Equal(start.Add(-24*time.Hour)) || !got[0][1].Equal(start.Add(48*time.Hour)) {
		t.Errorf("attemptWindows = %v, want [start-24h, start+48h]", got)
	}
}

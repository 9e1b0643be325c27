package daemon

import (
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
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

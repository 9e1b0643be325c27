package monitor

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/geo"
)

// BenchmarkEvaluateUncertainty evaluates one incident against the 27
// Natural Earth oblasts, all in one trial, by its uncertainty: the cost of
// an item grows with the area its uncertainty reaches, which the point
// feeds' cap (50 km by default) bounds.
//
//	go test -run '^$' -bench EvaluateUncertainty ./monitor/
func BenchmarkEvaluateUncertainty(b *testing.B) {
	data, err := os.ReadFile(testenv.SharedData(b, "zones/ua_oblasts_naturalearth_10m.geojson"))
	if err != nil {
		b.Fatal(err)
	}
	zones, _, err := geo.Load(data, "oblasts", geo.LoadOptions{IDProperty: "iso_3166_2"})
	if err != nil {
		b.Fatal(err)
	}
	ix, err := geo.NewIndex(zones)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var ids []string
	for _, z := range ix.Zones() {
		ids = append(ids, z.ID)
	}
	ev, err := NewEvaluator(ix, []Trial{{Name: "all", Zones: ids, Start: start, Days: 30, Prohibited: []Category{Shelling}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		lon, lat float64
		unc      float64
	}{
		{"Donetsk/0m", 37.8, 48.0, 0},
		{"Donetsk/50km", 37.8, 48.0, 50e3},
		{"Donetsk/2e7m", 37.8, 48.0, 2e7},
		{"Pacific/50km", -150, 0, 50e3},
		{"Pacific/2e7m", -150, 0, 2e7},
	} {
		b.Run(tc.name, func(b *testing.B) {
			inc := Incident{Lon: tc.lon, Lat: tc.lat, UncertaintyM: tc.unc, Category: Shelling, OccurredAt: start.Add(time.Hour)}
			var s scratch
			var dst []Violation
			for i := 0; i < b.N; i++ {
				dst = ev.evaluate(&inc, dst[:0], &s)
			}
			b.ReportMetric(float64(len(dst)), "violations")
		})
	}
}

// BenchmarkEvaluateVersions evaluates one incident in Donetsk against the
// 27 Natural Earth oblasts listed again at each of k dates before the
// trial (k epochs): picking the version in force is a binary search over
// the epochs, so the cost should barely grow with k.
//
//	go test -run '^$' -bench EvaluateVersions ./monitor/
func BenchmarkEvaluateVersions(b *testing.B) {
	data, err := os.ReadFile(testenv.SharedData(b, "zones/ua_oblasts_naturalearth_10m.geojson"))
	if err != nil {
		b.Fatal(err)
	}
	zones, _, err := geo.Load(data, "oblasts", geo.LoadOptions{IDProperty: "iso_3166_2"})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var ids []string
	for _, z := range zones {
		ids = append(ids, z.ID)
	}
	trials := []Trial{{Name: "all", Zones: ids, Start: start, Days: 30, Prohibited: []Category{Shelling}}}
	for _, k := range []int{1, 4, 16} {
		var versions []ZoneVersion
		for i := range k {
			for _, z := range zones {
				versions = append(versions, ZoneVersion{Zone: z, From: start.AddDate(0, 0, i-k)})
			}
		}
		ev, err := NewVersionedEvaluator(versions, trials)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("epochs=%d", k), func(b *testing.B) {
			inc := Incident{Lon: 37.8, Lat: 48.0, Category: Shelling, OccurredAt: start.Add(time.Hour)}
			var s scratch
			var dst []Violation
			for b.Loop() {
				dst = ev.evaluate(&inc, dst[:0], &s)
			}
			if len(dst) != 1 {
				b.Fatalf("%d violations, want 1", len(dst))
			}
		})
	}
}

package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/ceasefired/ceasefired/configs/testenv"
)

// TestReplayFIRMSWeek replays the real FIRMS week against each of the three
// real oblast files and compares the per-zone violation counts with two
// independent references: orb's planar ray-cast (boundary counts as
// inside, like ours) over the same rows, and the shapely counts published
// with the data.
func TestReplayFIRMSWeek(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the other slow tests
	week := testenv.SharedData(t, "incidents/firms_modis_ukraine_week_2022-03-18_2022-03-24_sp.csv")
	tests := []struct {
		file, idProperty string
		inside           int            // shapely: points inside any zone
		shapely          map[string]int // by zone id
	}{
		{"ua_oblasts_naturalearth_10m.geojson", "iso_3166_2", 3608,
			map[string]int{"UA-14": 438, "UA-09": 123, "UA-23": 111, "UA-65": 53, "UA-63": 52}},
		{"ua_adm1_geoboundaries_gbopen_2017.geojson", "shapeISO", 3615,
			map[string]int{"UA-14": 442, "UA-09": 125, "UA-23": 111, "UA-65": 63, "UA-63": 52}},
		{"ua_oblasts_minregion_2020.geojson", "ADMIN_1", 3615, map[string]int{
			"Донецька область": 442, "Луганська область": 125, "Запорізька область": 111,
			"Херсонська область": 63, "Харківська область": 52}},
	}
	for i, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			if testenv.Race && i > 0 {
				// The replays run without the detector; the reference's
				// ray-cast, run here, is single-goroutine work that the
				// detector slows tenfold. CI checks all three without it.
				t.Skip("one zone file under the race detector")
			}
			zonesFile := testenv.SharedData(t, "zones/"+tc.file)
			got := replayWeek(t, week, zonesFile, tc.idProperty)
			ref := orbReferenceCols(t, week, zonesFile, tc.idProperty, "latitude", "longitude")
			total := 0
			for id := range union(got, ref) {
				total += got[id]
				if got[id] != ref[id] {
					t.Errorf("zone %s: replay %d, orb reference %d", id, got[id], ref[id])
				}
			}
			// No point of this week lies on a boundary, so shapely's
			// strict-interior counts must agree exactly too.
			for id, n := range tc.shapely {
				if got[id] != n {
					t.Errorf("zone %s: replay %d, shapely %d", id, got[id], n)
				}
			}
			if total != tc.inside {
				t.Errorf("violations in all %d, shapely's points inside any zone %d", total, tc.inside)
			}
			t.Logf("%d violations over %d zones equal orb's ray-cast and shapely", total, len(got))
		})
	}
}

// replayWeek runs `replay --dry-run` of the FIRMS week over one trial of
// every zone of zonesFile and returns the violations per zone id.
func replayWeek(t *testing.T, week, zonesFile, idProperty string) map[string]int {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "replay.yml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`zones:
  - file: %s
    id_property: %s
trials:
  - name: week
    zones: ["*"]
    start: 2022-03-18T00:00:00Z
    days: 7
    prohibited: [thermal_anomaly]
sources:
  - name: firms
    format: firms
    path: /nonexistent/*.csv
    schedule: "@hourly"
    firms: {drop_types: []}
`, zonesFile, idProperty)), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCmd(t, "replay", "--config.file="+cfg, "--dry-run", week)
	if code != 0 {
		t.Fatalf("replay exit %d:\n%s", code, stderr)
	}
	for _, want := range []string{"rows read:   3782", "rejected:    0", "incidents:   3782 new", "rows/s:"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, stderr)
		}
	}
	got := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var raw map[string]any
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			t.Fatalf("bad JSON line %q: %v", line, err)
		}
		for _, k := range []string{"trial", "zone_id", "category", "source", "incident_id", "occurred_at", "lon", "lat"} {
			if _, ok := raw[k]; !ok {
				t.Fatalf("line lacks %q: %s", k, line)
			}
		}
		got[raw["zone_id"].(string)]++
	}
	return got
}

func union(a, b map[string]int) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// orbReferenceCols counts, per zone (named by the feature property
// idProperty), the rows of a CSV file whose coordinates, in the named
// columns, orb's planar.MultiPolygonContains places in the zone.
func orbReferenceCols(t *testing.T, csvPath, zonesPath, idProperty, latCol, lonCol string) map[string]int {
	t.Helper()
	data, err := os.ReadFile(zonesPath)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any
			Geometry   struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatal(err)
	}
	type zone struct {
		id string
		mp orb.MultiPolygon
		b  orb.Bound
	}
	var zones []zone
	for _, f := range fc.Features {
		var mp [][][][2]float64
		if f.Geometry.Type == "Polygon" {
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				t.Fatal(err)
			}
			mp = append(mp, p)
		} else {
			if err := json.Unmarshal(f.Geometry.Coordinates, &mp); err != nil {
				t.Fatal(err)
			}
		}
		var m orb.MultiPolygon
		for _, p := range mp {
			var poly orb.Polygon
			for _, r := range p {
				var ring orb.Ring
				for _, c := range r {
					ring = append(ring, orb.Point{c[0], c[1]})
				}
				poly = append(poly, ring)
			}
			m = append(m, poly)
		}
		zones = append(zones, zone{f.Properties[idProperty].(string), m, m.Bound()})
	}
	fh, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rd := csv.NewReader(fh)
	rd.LazyQuotes = true
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := map[string]int{}
	for _, r := range rows[1:] {
		lat, _ := strconv.ParseFloat(r[col[latCol]], 64)
		lon, _ := strconv.ParseFloat(r[col[lonCol]], 64)
		p := orb.Point{lon, lat}
		for _, z := range zones {
			if z.b.Contains(p) && planar.MultiPolygonContains(z.mp, p) {
				out[z.id]++
			}
		}
	}
	return out
}

// TestReplayUCDP replays both real UCDP GED files (every event kept, even
// those placed only at country level) against the Natural Earth oblasts
// over one long trial, and compares the per-zone counts of incidents
// inside each zone with orb's ray-cast over the same rows and with the
// shapely counts published with the data.
func TestReplayUCDP(t *testing.T) {
	t.Parallel() // waits on real processes or reads large files; runs beside the other slow tests
	zonesFile := testenv.SharedData(t, "zones/ua_oblasts_naturalearth_10m.geojson")
	tests := []struct {
		file    string
		rows    int
		inside  int            // shapely: events inside any zone
		shapely map[string]int // per zone
	}{
		{"incidents/ucdp_ged_ukraine_2014-01-22_2022-02-23.csv", 3077, 3072,
			map[string]int{"UA-14": 2333, "UA-09": 729, "UA-23": 0, "UA-65": 0, "UA-63": 0}},
		{"incidents/ucdp_ged_ukraine_2014-2023_mixed-date-formats.csv", 3883, 3851,
			map[string]int{"UA-14": 2672, "UA-09": 762, "UA-23": 53, "UA-65": 141, "UA-63": 125}},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			data := testenv.SharedData(t, tc.file)
			dir := t.TempDir()
			cfg := filepath.Join(dir, "ucdp.yml")
			if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`zones:
  - {file: %s, id_property: iso_3166_2}
trials:
  - {name: all, zones: ["*"], start: 2014-01-01T00:00:00Z, days: 3650, prohibited: [armed_clash, other]}
sources:
  - name: ucdp
    format: ucdp
    path: /nonexistent/*.csv
    schedule: "@daily"
    ucdp: {keep_not_spatial: true}
`, zonesFile)), 0o644); err != nil {
				t.Fatal(err)
			}
			stdout, stderr, code := runCmd(t, "replay", "--config.file="+cfg, "--dry-run", data)
			if code != 0 {
				t.Fatalf("replay exit %d:\n%s", code, stderr)
			}
			if want := fmt.Sprintf("incidents:   %d new", tc.rows); !strings.Contains(stderr, want) {
				t.Fatalf("summary lacks %q:\n%s", want, stderr)
			}
			got := map[string]int{}
			total := 0
			for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
				var v struct {
					ZoneID    string `json:"zone_id"`
					Placement string `json:"placement"`
				}
				if err := json.Unmarshal([]byte(line), &v); err != nil {
					t.Fatal(err)
				}
				if v.Placement == "inside" {
					got[v.ZoneID]++
					total++
				}
			}
			ref := orbReferenceCols(t, data, zonesFile, "iso_3166_2", "latitude", "longitude")
			for id, n := range ref {
				if got[id] != n {
					t.Errorf("zone %s: replay %d inside, orb reference %d", id, got[id], n)
				}
			}
			// shapely's contains is strict interior: points on a boundary
			// may differ, and none did here.
			for id, n := range tc.shapely {
				if got[id] != n {
					t.Errorf("zone %s: replay %d inside, shapely %d", id, got[id], n)
				}
			}
			if total != tc.inside {
				t.Errorf("inside any zone: replay %d, shapely %d", total, tc.inside)
			}
			t.Logf("%d of %d events inside a zone, equal to orb and shapely", total, tc.rows)
		})
	}
}

// TestReplaySummarySplitsPlacements replays two small files, the second
// revising one incident of the first, and checks that the summary counts
// inside, buffer and ambiguous placements apart, and prints revisions and
// retractions.
func TestReplaySummarySplitsPlacements(t *testing.T) {
	dir := t.TempDir()
	zones := filepath.Join(dir, "zones.geojson")
	if err := os.WriteFile(zones, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},
"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "replay.yml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`zones:
  - {file: %s, id_property: id}
trials:
  - {name: t, zones: [a], start: 2026-12-01T00:00:00Z, days: 30, prohibited: [shelling], buffer_meters: 5000}
sources:
  - name: reports
    format: csv
    path: %s/*.csv
    schedule: "@daily"
    uncertainty_meters: 20000
    csv: {id: id, time: time, lat: lat, lon: lon, category: category}
`, zones, dir)), 0o644); err != nil {
		t.Fatal(err)
	}
	// At latitude 0.5 a degree of longitude is about 111 km: 1.03 lies
	// 3.3 km outside the zone (in the buffer), 1.1 about 11 km (ambiguous
	// with 20 km of uncertainty) and 3.0 far from it.
	first := filepath.Join(dir, "first.csv")
	if err := os.WriteFile(first, []byte(`id,time,lat,lon,category
in1,2026-12-02T10:00:00Z,0.5,0.5,shelling
in2,2026-12-02T11:00:00Z,0.5,0.6,shelling
buf,2026-12-02T12:00:00Z,0.5,1.03,shelling
amb,2026-12-02T13:00:00Z,0.5,1.1,shelling
far,2026-12-02T14:00:00Z,0.5,3.0,shelling
`), 0o644); err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(dir, "second.csv")
	if err := os.WriteFile(second, []byte(`id,time,lat,lon,category
in1,2026-12-02T10:00:00Z,0.5,3.0,shelling
in2,2026-12-02T11:00:00Z,0.5,0.6,shelling
`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCmd(t, "replay", "--config.file="+cfg, "--dry-run", first, second)
	if code != 0 {
		t.Fatalf("replay exit %d:\n%s", code, stderr)
	}
	for _, want := range []string{
		"incidents:   5 new, 1 duplicate",
		"revised:     1 ",
		"violations:  3 (2 inside, 1 buffer)",
		"ambiguous:   1 ",
		"retracted:   1 ",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, stderr)
		}
	}
}

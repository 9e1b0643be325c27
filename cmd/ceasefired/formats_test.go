package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestFeedFormats runs one source of each event format through the daemon
// and checks that each lands in the right zone and category.
func TestFeedFormats(t *testing.T) {
	dir := t.TempDir()
	zones, _ := filepath.Abs("../../configs/demo/zones.geojson")
	files := map[string]string{
		"reports.jsonl": `{"id":"j1","time":"2026-03-01T10:00:00Z","lat":48.61,"lon":37.25,"category":"shelling"}
{"id":"j2","time":"2026-03-01T11:00:00Z","lat":91,"lon":37.25,"category":"shelling"}
`,
		"points.geojson": `{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[38.5,48.4]},"properties":{"id":"g1","time":"2026-03-02T00:00:00Z","category":"air_strike"}}]}`,
		"acled.csv": `event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp
XYZ1,2026-03-03,2026,1,Political violence,Battles,Armed clash,A,,1,B,,2,12,,804,Europe,Ukraine,Z,,,Place,47.75,37.40,1,Src,National,invented,0,,1772500000
XYZ2,2026-03-03,2026,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,A,,1,,,0,10,,804,Europe,Ukraine,Z,,,Place,47.80,37.50,3,Src,National,invented,0,,1772500000
`,
		"ucdp.csv": `id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob
900001,X,2026,1,Clear,1,1,1,Invented,1,1,A - B,1,1,A,1,1,B,1,,,,,,1,Place,,,,48.30,38.20,POINT (38.2 48.3),1,Ukraine,369,Europe,1,1,2026-03-04,2026-03-04,0,0,0,1,1,1,1,369,
`,
	}
	for name, body := range files {
		if err := os.MkdirAll(filepath.Join(dir, "in"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "in", name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "c.yml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`zones:
  - {file: %s, id_property: sector_id}
trials:
  - {name: t, zones: ["*"], start: 2026-03-01T00:00:00Z, prohibited: [shelling, air_strike, armed_clash]}
sources:
  - {name: jsonl, format: jsonl, path: in/*.jsonl, schedule: "@every 1s"}
  - {name: geojson, format: geojson, path: in/*.geojson, schedule: "@every 1s"}
  - {name: acled, format: acled, path: in/acled.csv, schedule: "@every 1s"}
  - {name: ucdp, format: ucdp, path: in/ucdp.csv, schedule: "@every 1s"}
`, zones)), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startDaemon(t, cfg, filepath.Join(dir, "data"))
	s := p.settledMetrics(t, 15*time.Second, "every source fetched", func(s map[string]float64) bool {
		for _, src := range []string{"jsonl", "geojson", "acled", "ucdp"} {
			if s[`ceasefire_source_last_success_timestamp_seconds{source="`+src+`"}`] == 0 {
				return false
			}
		}
		return true
	})
	want := map[string]float64{
		`ceasefire_violations_total{category="shelling",trial="t",zone_id="north"}`:    1,
		`ceasefire_violations_total{category="air_strike",trial="t",zone_id="east"}`:   1,
		`ceasefire_violations_total{category="armed_clash",trial="t",zone_id="south"}`: 1,
		`ceasefire_violations_total{category="armed_clash",trial="t",zone_id="east"}`:  1,
		`ceasefire_incidents_rejected_total{reason="coordinate_range",source="jsonl"}`: 1,
		`ceasefire_incidents_rejected_total{reason="not_spatial",source="acled"}`:      1,
		`ceasefire_incidents_ingested_total{source="ucdp"}`:                            1,
		`ceasefire_violations_total{category="shelling",trial="t",zone_id="south"}`:    0,
	}
	for series, v := range want {
		if s[series] != v {
			t.Errorf("%s = %v, want %v", series, s[series], v)
		}
	}
}

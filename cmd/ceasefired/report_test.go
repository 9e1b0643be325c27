package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor/store"
)

// reportTrial is the fixture trial: 7 days over the demo's three zones,
// started 5 days and some hours ago, so that day 6 is in progress.
const reportTrial = "watch"

// reportFixture is a daemon with a real store holding the fixture trial's
// violations: inside, in the second part of a MultiPolygon, in the buffer,
// and one ambiguous (from a source whose points are uncertain by 3 km);
// and heat detections in north and a control zone, in the trial and in
// two reference years, for the thermal background.
type reportFixture struct {
	config, storage string
	daemon          *proc
	violations      int // listed in the report, ambiguous included
}

func newReportFixture(t *testing.T) *reportFixture {
	t.Helper()
	dir := t.TempDir()
	zones, _ := filepath.Abs("../../configs/demo/zones.geojson")
	start := time.Now().UTC().Add(-5*24*time.Hour - 3*time.Hour).Truncate(time.Hour)
	at := func(h int) string { return start.Add(time.Duration(h) * time.Hour).Format(time.RFC3339) }
	// Heat detections on day 2, of the trial and of two reference years,
	// in north and in the control zone: the thermal background.
	heat := func(year, n int, lat, lon string) string {
		// Noon of the second UTC day, which daily counts are kept by.
		t := start.Truncate(24*time.Hour).AddDate(year-start.Year(), 0, 0).Add(36 * time.Hour).Format(time.RFC3339)
		var rows string
		for i := range n {
			rows += fmt.Sprintf("h%d-%s-%d,%s,%s,%s,thermal_anomaly\n", year, lat, i, t, lat, lon)
		}
		return rows
	}
	thermal := heat(2023, 2, "48.61", "37.25") + heat(2023, 10, "49.60", "39.60") + heat(2024, 3, "48.61", "37.25") +
		heat(2024, 12, "49.60", "39.60") + heat(start.Year(), 4, "48.61", "37.25") + heat(start.Year(), 11, "49.60", "39.60")
	for _, f := range []struct{ folder, body string }{
		{"field", "id,time,lat,lon,category\n" +
			"r1," + at(2) + ",48.61,37.25,shelling\n" +
			"r2," + at(30) + ",48.40,38.50,armed_clash\n" +
			"r3," + at(54) + ",47.25,37.40,air_strike\n" +
			"r4," + at(80) + ",48.90,36.995,shelling\n" +
			"r5," + at(81) + ",48.75,37.50,shelling\n" + // in the hole: no zone
			"r6," + at(-10) + ",48.61,37.25,shelling\n" + // before the start
			thermal},
		{"vague", "id,time,lat,lon,category\n" + "v1," + at(100) + ",48.90,36.97,explosion\n"},
	} {
		if err := os.MkdirAll(filepath.Join(dir, f.folder), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.folder, "feed.csv"), []byte(f.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	control := filepath.Join(dir, "control.geojson")
	if err := os.WriteFile(control, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"ctl"},`+
		`"geometry":{"type":"Polygon","coordinates":[[[39.5,49.5],[39.7,49.5],[39.7,49.7],[39.5,49.7],[39.5,49.5]]]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "ceasefired.yml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`zones:
  - {file: %s, id_property: sector_id, name_property: name}
  - {file: %s, id_property: id}
trials:
  - {name: %s, zones: [north, east, south], start: %s, days: 7, buffer_meters: 1000, prohibited: [shelling, air_strike, armed_clash, explosion],
     background: {source: field, years: [2023, 2024], controls: [ctl]}}
sources:
  - {name: field, format: csv, path: field/*.csv, schedule: "@every 1s", csv: {id: id, lat: lat, lon: lon, time: time, category: category}}
  - {name: vague, format: csv, path: vague/*.csv, schedule: "@every 1s", uncertainty_meters: 3000, csv: {id: id, lat: lat, lon: lon, time: time, category: category}}
`, zones, control, reportTrial, start.Format(time.RFC3339))), 0o644); err != nil {
		t.Fatal(err)
	}
	f := &reportFixture{config: cfg, storage: filepath.Join(dir, "data"), violations: 5}
	f.daemon = startDaemon(t, cfg, f.storage)
	waitFor(t, 20*time.Second, "the fixture's violations in the report", func() bool {
		resp, err := http.Get(f.daemon.url + "/api/v1/trials/" + reportTrial + "/report")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var r struct{ Violations []json.RawMessage }
		return json.NewDecoder(resp.Body).Decode(&r) == nil && len(r.Violations) == f.violations
	})
	return f
}

func (f *reportFixture) args(extra ...string) []string {
	return append([]string{"report", "--config.file=" + f.config, "--storage.path=" + f.storage, "--trial=" + reportTrial}, extra...)
}

// TestReportMatchesAPI: `report --format=json`, run while the daemon holds
// the store, writes the bytes the daemon serves; CSV has one row per
// violation.
func TestReportMatchesAPI(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the others
	f := newReportFixture(t)
	api := httpGet(t, f.daemon.url+"/api/v1/trials/"+reportTrial+"/report")
	out, errOut, code := runCmd(t, f.args("--format=json")...)
	if code != 0 {
		t.Fatalf("report exited %d: %s", code, errOut)
	}
	if again := httpGet(t, f.daemon.url+"/api/v1/trials/"+reportTrial+"/report"); again != api {
		t.Fatal("the store changed between the two reads; the fixture should be still")
	}
	if out != api {
		t.Errorf("report --format=json differs from the API:\n--- cli\n%s\n--- api\n%s", out, api)
	}
	var rep struct {
		Verdicts struct{ State string }
		Totals   struct{ Violations, Ambiguous int }
		Zones    []struct{ Verdict *struct{ Verdict string } }
		Days     []struct{ Coverage string }
		Coverage []struct{ Source string }
		Thermal  *struct {
			Zones []struct {
				ZoneID string `json:"zone_id"`
				Days   []struct {
					Observed       int      `json:"observed"`
					ObservedToDate int      `json:"observed_to_date"`
					ExpectedToDate *float64 `json:"expected_to_date"`
				}
			}
		}
		Violations []struct{ Record, Tier string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Verdicts.State != "judged" {
		t.Errorf("verdicts state %q, want judged", rep.Verdicts.State)
	}
	for i, z := range rep.Zones {
		if z.Verdict == nil || z.Verdict.Verdict == "" {
			t.Errorf("zone %d carries no verdict", i)
		}
	}
	if rep.Totals.Violations != 4 || rep.Totals.Ambiguous != 1 || len(rep.Days) != 6 {
		t.Errorf("totals %+v and %d days, want 4 counted, 1 ambiguous, 6 days", rep.Totals, len(rep.Days))
	}
	// The daemon started hours after the trial: no day was observed.
	for i, d := range rep.Days {
		if d.Coverage != "not_observed" {
			t.Errorf("day %d coverage %q, want not_observed", i+1, d.Coverage)
		}
	}
	if len(rep.Coverage) != 2 || rep.Coverage[0].Source != "field" || rep.Violations[0].Tier != "single" {
		t.Errorf("coverage %+v and first tier %q, want field and vague, single", rep.Coverage, rep.Violations[0].Tier)
	}
	// north's heat: 4 detections on day 2, against 2 and 3 in the
	// reference years, with 11 in the control zone against 10 and 12.
	if th := rep.Thermal; th == nil || len(th.Zones) != 3 || th.Zones[0].ZoneID != "north" || len(th.Zones[0].Days) != 5 ||
		th.Zones[0].Days[1].Observed != 4 || th.Zones[0].Days[4].ObservedToDate != 4 || th.Zones[0].Days[4].ExpectedToDate == nil {
		t.Errorf("thermal series = %+v, want north with 4 detections on day 2 of 5, tested against its background", th)
	}
	if raw := httpGet(t, f.daemon.url+rep.Violations[0].Record); !strings.Contains(raw, `"id": "r1"`) || !strings.Contains(raw, `\"lat\":\"48.61\"`) {
		t.Errorf("raw record of the first violation:\n%s", raw)
	}

	landing := httpGet(t, f.daemon.url+"/")
	if !strings.Contains(landing, `http-equiv="refresh"`) || strings.Count(landing, `<path class="zone`) != 3 ||
		strings.Count(landing, `class="marker"`) != f.violations || strings.Count(landing, `<td class="cell`) != 3*6 ||
		len(regexp.MustCompile(`<td class="cell[^"]* unobserved`).FindAllString(landing, -1)) != 3*6 {
		t.Errorf("the status page lacks the refresh, or the map and strip (greyed: no day observed) of the active trial:\n%s", landing)
	}

	out, errOut, code = runCmd(t, f.args("--format=csv")...)
	if code != 0 {
		t.Fatalf("report --format=csv exited %d: %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != f.violations+1 || rows[0][0] != "trial" {
		t.Errorf("CSV: %d rows (want header + %d), %v:\n%s", len(rows), f.violations, err, out)
	}

	md, errOut, code := runCmd(t, f.args("--format=md", "--web.external-url=http://verify.example:9797/")...)
	if code != 0 || !strings.Contains(md, "](http://verify.example:9797/api/v1/incidents/field/r1)") {
		t.Errorf("report --format=md with --web.external-url: exit %d, %s\n%s", code, errOut, md)
	}

	outFile := filepath.Join(t.TempDir(), "report.html")
	if _, errOut, code := runCmd(t, f.args("--format=html", "--out="+outFile)...); code != 0 {
		t.Fatalf("report --out exited %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(outFile); !strings.Contains(string(b), "<svg class=\"map\"") {
		t.Error("--out file holds no map")
	}
}

// TestReportBadInput: every mistake gets an error that says what is wrong.
func TestReportBadInput(t *testing.T) {
	t.Parallel() // waits on real processes; runs beside the others
	f := newReportFixture(t)
	empty := t.TempDir()
	db, err := store.Open(empty, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown trial", []string{"report", "--config.file=" + f.config, "--storage.path=" + f.storage, "--trial=nope"},
			`unknown trial "nope": the config names "watch"`},
		{"no store", []string{"report", "--config.file=" + f.config, "--storage.path=" + t.TempDir(), "--trial=" + reportTrial},
			"no store in"},
		{"store without the trial's data", []string{"report", "--config.file=" + f.config, "--storage.path=" + empty, "--trial=" + reportTrial},
			"the store holds nothing yet"},
		{"unwritable --out", f.args("--out=" + filepath.Join(t.TempDir(), "missing", "r.html")), "write --out"},
		{"unknown format", f.args("--format=pdf"), "enum value must be one of html,md,json,csv"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runCmd(t, tt.args...)
			if code == 0 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want an error with %q", code, errOut, tt.want)
			}
		})
	}
	t.Run("unknown trial over HTTP", func(t *testing.T) {
		for _, path := range []string{"/trials/nope", "/api/v1/trials/nope/report", "/api/v1/incidents/field/nope"} {
			resp, err := http.Get(f.daemon.url + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %s, want 404", path, resp.Status)
			}
		}
	})
}

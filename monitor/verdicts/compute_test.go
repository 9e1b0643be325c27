package verdicts_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ceasefired/ceasefired/geo"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
	"github.com/ceasefired/ceasefired/monitor/judge"
	"github.com/ceasefired/ceasefired/monitor/store"
	"github.com/ceasefired/ceasefired/monitor/verdicts"
)

var start = time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)

const zonesJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
{"type":"Feature","properties":{"id":"b"},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}}]}`

func trial() monitor.Trial {
	return monitor.Trial{Name: "freeze", Zones: []string{"a"}, Start: start, Days: 30,
		Prohibited: []monitor.Category{monitor.Shelling, monitor.ThermalAnomaly}}
}

func evaluator(t *testing.T) *monitor.Evaluator {
	t.Helper()
	zones, _, err := geo.Load([]byte(zonesJSON), "zones.geojson", geo.LoadOptions{IDProperty: "id"})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := geo.NewIndex(zones)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := monitor.NewEvaluator(ix, []monitor.Trial{trial()})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// flakyFetcher answers 503 while down says so, else an empty document.
type flakyFetcher struct{ down func() bool }

func (f flakyFetcher) Fetch(context.Context, map[string]string) ([]monitor.Document, error) {
	if f.down() {
		return nil, errors.New("HTTP 503 Service Unavailable")
	}
	return nil, nil
}

// TestCoverageThroughRunner runs an hourly FIRMS source that answers 503
// for trial days 2 to 4 through the runner on an injected clock: three of
// the ten complete days are unobserved, 0.7 < 0.8, so the verdict is
// insufficient_coverage; an event-data source fetched beside it keeps
// every day observed and the zone held.
func TestCoverageThroughRunner(t *testing.T) {
	ctx := context.Background()
	now := start.Add(-time.Hour)
	clock := func() time.Time { return now }
	s := store.NewMemory()
	r := monitor.NewRunner(monitor.RunnerOptions{Store: s, Now: clock})
	r.SetEvaluator(evaluator(t))
	dec, err := ingest.NewCSV(ingest.CSVOptions{Lat: "lat", Lon: "lon", Time: "time", ID: "id", Category: "category"})
	if err != nil {
		t.Fatal(err)
	}
	down := func() bool { d := int(now.Sub(start) / monitor.Day); return d >= 1 && d <= 3 }
	firms := &monitor.Source{Name: "firms", Fetcher: flakyFetcher{down}, Decoder: dec}
	acled := &monitor.Source{Name: "acled", Fetcher: flakyFetcher{func() bool { return false }}, Decoder: dec}
	for ; now.Before(start.Add(10*monitor.Day + time.Minute)); now = now.Add(time.Hour) {
		_ = r.Fetch(ctx, firms)
		if err := r.Fetch(ctx, acled); err != nil {
			t.Fatal(err)
		}
	}
	hourly := judge.MaxGapFor(time.Hour)
	firmsOnly := &verdicts.Spec{Trials: []verdicts.Trial{{Trial: trial(), PreDays: 30}},
		Sources: []verdicts.Source{{Name: "firms", Kind: judge.Satellite, MaxGap: hourly}}, MinDaysFraction: 0.8}
	vs, err := verdicts.Compute(ctx, s, firmsOnly, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].Verdict != judge.InsufficientCoverage || vs[0].Coverage.ObservedDays != 7 || vs[0].Coverage.CompleteDays != 10 {
		t.Fatalf("verdict with FIRMS alone = %+v, want insufficient_coverage, 7 of 10 days observed", vs)
	}
	both := *firmsOnly
	both.Sources = append(both.Sources, verdicts.Source{Name: "acled", Kind: judge.EventData, MaxGap: hourly})
	vs, err = verdicts.Compute(ctx, s, &both, now)
	if err != nil {
		t.Fatal(err)
	}
	if vs[0].Verdict != judge.Held || vs[0].Coverage.ObservedDays != 10 {
		t.Fatalf("verdict with ACLED beside = %+v, want held, 10 days observed", vs[0])
	}
}

// TestThermalExcess stores reference-year counts and a trial with ten
// times its background, and checks the verdict and that the metrics say
// the same.
func TestThermalExcess(t *testing.T) {
	ctx := context.Background()
	s := store.NewMemory()
	var counts []monitor.DailyCount
	add := func(day time.Time, zone string, n int64) {
		counts = append(counts, monitor.DailyCount{ZoneID: zone, Source: "firms", Category: monitor.ThermalAnomaly, Day: day, Count: n})
	}
	for i, y := range []int{2018, 2019, 2020, 2021} {
		d := time.Date(y, 8, 3, 0, 0, 0, 0, time.UTC)
		add(d, "a", int64(20+i))
		add(d, "b", int64(200-3*i))
	}
	add(start.Add(2*monitor.Day), "a", 300)
	add(start.Add(2*monitor.Day), "b", 200)
	add(start.Add(-5*monitor.Day), "a", 30)
	add(start.Add(-5*monitor.Day), "b", 200)
	if err := s.AddCounts(ctx, counts); err != nil {
		t.Fatal(err)
	}
	now := start.Add(5 * monitor.Day)
	for at := start.Add(-time.Hour); at.Before(now); at = at.Add(time.Hour) {
		if err := s.RecordAttempt(ctx, monitor.Attempt{Source: "firms", At: at, OK: true}); err != nil {
			t.Fatal(err)
		}
	}
	spec := &verdicts.Spec{
		Trials: []verdicts.Trial{{Trial: trial(), PreDays: 30, Background: &verdicts.Background{
			Source: "firms", Category: monitor.ThermalAnomaly, Years: []int{2018, 2019, 2020, 2021}, Controls: []string{"b"}, Alpha: 0.05}}},
		Sources:         []verdicts.Source{{Name: "firms", Kind: judge.Satellite, MaxGap: 2 * time.Hour}},
		MinDaysFraction: 0.8,
	}
	vs, err := verdicts.Compute(ctx, s, spec, now)
	if err != nil {
		t.Fatal(err)
	}
	v := vs[0]
	if v.Verdict != judge.ThermalExcess || v.Thermal == nil || v.Thermal.Observed != 300 || v.Thermal.Class != judge.Above {
		t.Fatalf("verdict = %+v thermal %+v, want thermal_excess with 300 observed", v, v.Thermal)
	}
	if v.ThermalDeescalation == nil || !(float64(v.ThermalDeescalation.Ratio) > 1) {
		t.Errorf("thermal de-escalation = %+v, want a ratio above 1", v.ThermalDeescalation)
	}

	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(verdicts.NewCollector(func(ctx context.Context) ([]judge.Verdict, error) {
		return verdicts.Compute(ctx, s, spec, now)
	}, nil))
	want := `
# HELP ceasefire_zone_verdict 1 for the current verdict on a zone of a trial (violated, reported, thermal_excess, insufficient_coverage, held), 0 for the others.
# TYPE ceasefire_zone_verdict gauge
ceasefire_zone_verdict{trial="freeze",verdict="held",zone_id="a"} 0
ceasefire_zone_verdict{trial="freeze",verdict="insufficient_coverage",zone_id="a"} 0
ceasefire_zone_verdict{trial="freeze",verdict="reported",zone_id="a"} 0
ceasefire_zone_verdict{trial="freeze",verdict="thermal_excess",zone_id="a"} 1
ceasefire_zone_verdict{trial="freeze",verdict="violated",zone_id="a"} 0
# HELP ceasefire_zone_thermal_observed_detections Satellite detections in the zone over the complete trial days, as the background test counts them.
# TYPE ceasefire_zone_thermal_observed_detections gauge
ceasefire_zone_thermal_observed_detections{trial="freeze",zone_id="a"} 300
# HELP ceasefire_zone_thermal_above_background 1 when the zone's detections are above their seasonal background, else 0.
# TYPE ceasefire_zone_thermal_above_background gauge
ceasefire_zone_thermal_above_background{trial="freeze",zone_id="a"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "ceasefire_zone_verdict",
		"ceasefire_zone_thermal_observed_detections", "ceasefire_zone_thermal_above_background"); err != nil {
		t.Error(err)
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %+v", err, problems)
	}
}

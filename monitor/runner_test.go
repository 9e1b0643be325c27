package monitor_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ceasefired/ceasefired/geo"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
	"github.com/ceasefired/ceasefired/monitor/store"
)

const zonesJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
{"type":"Feature","properties":{"id":"b"},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}}]}`

var trialStart = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func newRunner(t *testing.T, s monitor.Store, reg prometheus.Registerer, now time.Time) *monitor.Runner {
	t.Helper()
	r := monitor.NewRunner(monitor.RunnerOptions{Store: s, Registerer: reg, Now: func() time.Time { return now }, BatchSize: 2})
	if err := r.Restore(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.SetEvaluator(testEvaluator(t))
	return r
}

// testEvaluator returns the evaluator of the runner tests: zones a and b,
// unit squares side by side, and the 30-day trial "freeze" over both from
// trialStart, prohibiting shelling and armed clashes.
func testEvaluator(t *testing.T) *monitor.Evaluator {
	t.Helper()
	zones, _, err := geo.Load([]byte(zonesJSON), "zones.geojson", geo.LoadOptions{IDProperty: "id"})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := geo.NewIndex(zones)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := monitor.NewEvaluator(ix, []monitor.Trial{{
		Name: "freeze", Zones: []string{"a", "b"}, Start: trialStart, Days: 30,
		Prohibited: []monitor.Category{monitor.Shelling, monitor.ArmedClash},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func csvSource(t *testing.T, glob string) *monitor.Source {
	t.Helper()
	dec, err := ingest.NewCSV(ingest.CSVOptions{Lat: "lat", Lon: "lon", Time: "time", ID: "id", Category: "category"})
	if err != nil {
		t.Fatal(err)
	}
	return &monitor.Source{Name: "reports", Schedule: "@every 1m", Fetcher: ingest.NewFiles(glob), Decoder: dec}
}

const reports = `id,time,lat,lon,category
r1,2026-12-02T10:00:00Z,0.5,0.5,shelling
r2,2026-12-02T11:00:00Z,0.5,1.5,armed_clash
r3,2026-12-02T12:00:00Z,0.5,1.0,shelling
r4,2026-11-30T12:00:00Z,0.5,0.5,shelling
r5,2026-12-03T12:00:00Z,0.5,0.5,air_strike
r6,2026-12-03T12:00:00Z,5.0,5.0,shelling
r7,2026-12-03T12:00:00Z,95.0,5.0,shelling
`

func TestRunnerFetch(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.csv")
	if err := os.WriteFile(file, []byte(reports), 0o644); err != nil {
		t.Fatal(err)
	}
	mem := store.NewMemory()
	reg := prometheus.NewPedanticRegistry()
	now := trialStart.Add(3*monitor.Day + time.Hour) // day 4
	r := newRunner(t, mem, reg, now)
	src := csvSource(t, filepath.Join(dir, "*.csv"))
	r.SetSources([]*monitor.Source{src})
	ctx := context.Background()
	if err := r.Fetch(ctx, src); err != nil {
		t.Fatal(err)
	}
	// r3 lies on the shared edge: it violates in a and in b.
	const want = `
# HELP ceasefire_incidents_ingested_total Incidents stored for the first time, by source.
# TYPE ceasefire_incidents_ingested_total counter
ceasefire_incidents_ingested_total{source="reports"} 6
# HELP ceasefire_incidents_rejected_total Source records not turned into incidents, by source and reason.
# TYPE ceasefire_incidents_rejected_total counter
ceasefire_incidents_rejected_total{reason="coordinate_range",source="reports"} 1
# HELP ceasefire_violations_total Violations stored, by trial, zone and category (restored from the store at start).
# TYPE ceasefire_violations_total counter
ceasefire_violations_total{category="armed_clash",trial="freeze",zone_id="a"} 0
ceasefire_violations_total{category="armed_clash",trial="freeze",zone_id="b"} 1
ceasefire_violations_total{category="shelling",trial="freeze",zone_id="a"} 2
ceasefire_violations_total{category="shelling",trial="freeze",zone_id="b"} 1
# HELP ceasefire_trial_violation_free_seconds Length of the trial days (86400 s each) that have ended without a violation in the zone.
# TYPE ceasefire_trial_violation_free_seconds gauge
ceasefire_trial_violation_free_seconds{trial="freeze",zone_id="a"} 172800
ceasefire_trial_violation_free_seconds{trial="freeze",zone_id="b"} 172800
# HELP ceasefire_trial_day Day N of the trial (1-based) while active; 0 when scheduled, the length when completed.
# TYPE ceasefire_trial_day gauge
ceasefire_trial_day{trial="freeze"} 4
# HELP ceasefire_trial_status 1 for the current status of a trial, 0 for the others.
# TYPE ceasefire_trial_status gauge
ceasefire_trial_status{status="active",trial="freeze"} 1
ceasefire_trial_status{status="completed",trial="freeze"} 0
ceasefire_trial_status{status="scheduled",trial="freeze"} 0
`
	names := []string{"ceasefire_incidents_ingested_total", "ceasefire_incidents_rejected_total",
		"ceasefire_violations_total", "ceasefire_trial_violation_free_seconds", "ceasefire_trial_day", "ceasefire_trial_status"}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names...); err != nil {
		t.Fatal(err)
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Fatalf("lint: %v %v", problems, err)
	}

	// An unchanged file is not read again.
	if err := r.Fetch(ctx, src); err != nil {
		t.Fatal(err)
	}
	if got := testutil.ToFloat64(counter(t, reg, "ceasefire_source_fetches_total")); got != 2 {
		t.Errorf("fetches = %v, want 2", got)
	}
	if n, _ := mem.IncidentCount(ctx); n != 6 {
		t.Errorf("stored incidents %d, want 6", n)
	}

	// A changed file is read again: the old rows are duplicates, the new one counts.
	extra := reports + "r8,2026-12-04T01:00:00Z,0.2,0.2,shelling\n"
	if err := os.WriteFile(file, []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := r.Fetch(ctx, src); err != nil {
		t.Fatal(err)
	}
	if got := r.Tally().Count("freeze", "a", monitor.Shelling); got != 3 {
		t.Errorf("shelling in a = %d, want 3", got)
	}
	if got := testutil.ToFloat64(counter(t, reg, "ceasefire_incidents_duplicate_total")); got != 6 {
		t.Errorf("duplicates = %v, want 6", got)
	}

	// A restart restores the counts from the store: nothing lost, nothing doubled.
	reg2 := prometheus.NewPedanticRegistry()
	newRunner(t, mem, reg2, now)
	if err := testutil.GatherAndCompare(reg2, strings.NewReader(`
# HELP ceasefire_violations_total Violations stored, by trial, zone and category (restored from the store at start).
# TYPE ceasefire_violations_total counter
ceasefire_violations_total{category="armed_clash",trial="freeze",zone_id="a"} 0
ceasefire_violations_total{category="armed_clash",trial="freeze",zone_id="b"} 1
ceasefire_violations_total{category="shelling",trial="freeze",zone_id="a"} 3
ceasefire_violations_total{category="shelling",trial="freeze",zone_id="b"} 1
`), "ceasefire_violations_total"); err != nil {
		t.Fatal(err)
	}
}

// counter returns the single collector of one family for ToFloat64.
func counter(t *testing.T, reg *prometheus.Registry, name string) prometheus.Collector {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			v := mf.GetMetric()[0].GetCounter().GetValue()
			return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: "copy"}, func() float64 { return v })
		}
	}
	t.Fatalf("no single series %s", name)
	return nil
}

// docsFetcher returns its documents once, then nothing.
type docsFetcher struct{ docs []monitor.Document }

func (f *docsFetcher) Fetch(_ context.Context, _ map[string]string) ([]monitor.Document, error) {
	d := f.docs
	f.docs = nil
	return d, nil
}

func TestFetchDeletedRetracts(t *testing.T) {
	mem := store.NewMemory()
	reg := prometheus.NewPedanticRegistry()
	r := newRunner(t, mem, reg, trialStart.Add(3*monitor.Day+time.Hour))
	dec, _ := ingest.NewCSV(ingest.CSVOptions{Lat: "lat", Lon: "lon", Time: "time", ID: "id", Category: "category"})
	open := func(body string) func() (io.ReadCloser, error) {
		return func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
	}
	f := &docsFetcher{docs: []monitor.Document{{Key: "d1", Cursor: "c1", Open: open(reports)}}}
	src := &monitor.Source{Name: "api", Fetcher: f, Decoder: dec}
	ctx := context.Background()
	if err := r.Fetch(ctx, src); err != nil {
		t.Fatal(err)
	}
	// The next fetch brings nothing new but withdraws r1 (a in zone a) and r3 (the shared edge).
	f.docs = []monitor.Document{{Key: "d2", Cursor: "c2", Open: open("id,time,lat,lon,category\n"), Deleted: []string{"r1", "r3", "nope"}}}
	if err := r.Fetch(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP ceasefire_violations_retracted_total Violations withdrawn because the source revised or deleted the incident (counted in violations_total too).
# TYPE ceasefire_violations_retracted_total counter
ceasefire_violations_retracted_total{category="armed_clash",trial="freeze",zone_id="a"} 0
ceasefire_violations_retracted_total{category="armed_clash",trial="freeze",zone_id="b"} 0
ceasefire_violations_retracted_total{category="shelling",trial="freeze",zone_id="a"} 2
ceasefire_violations_retracted_total{category="shelling",trial="freeze",zone_id="b"} 1
# HELP ceasefire_incidents_revised_total Stored incidents that came again with new content, or were deleted by their source, and were evaluated again.
# TYPE ceasefire_incidents_revised_total counter
ceasefire_incidents_revised_total{source="api"} 2
`), "ceasefire_violations_retracted_total", "ceasefire_incidents_revised_total"); err != nil {
		t.Fatal(err)
	}
	// Zone a had violations on day 1 (r1, r3), both withdrawn: its first
	// three days are now violation-free.
	if got := r.Tally().FreeDays(&monitor.Trial{Name: "freeze", Start: trialStart, Days: 30}, "a", trialStart.Add(3*monitor.Day+time.Hour)); got != 3 {
		t.Errorf("free days in a after the deletions: %d, want 3", got)
	}
}

package verdicts_test

import (
	"context"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/judge"
	"github.com/ceasefired/ceasefired/monitor/store"
	"github.com/ceasefired/ceasefired/monitor/verdicts"
)

// TestDetailsCoverage: an hourly source that fails on trial days 2 to 4
// (1-based) leaves exactly those days unobserved, a second source that
// only starts on day 3 observes from then; the details say so day by day
// and source by source, and count the days observed as the verdict does.
func TestDetailsCoverage(t *testing.T) {
	ctx := context.Background()
	s := store.NewMemory()
	now := start.Add(10*monitor.Day + 6*time.Hour) // day 11 in progress
	for at := start.Add(-time.Hour); !at.After(now); at = at.Add(time.Hour) {
		d := int(at.Sub(start) / monitor.Day)
		if err := s.RecordAttempt(ctx, monitor.Attempt{Source: "firms", At: at, OK: at.Before(start) || d < 1 || d > 3}); err != nil {
			t.Fatal(err)
		}
		if !at.Before(start.Add(2 * monitor.Day)) {
			if err := s.RecordAttempt(ctx, monitor.Attempt{Source: "acled", At: at, OK: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	hourly := judge.MaxGapFor(time.Hour)
	spec := &verdicts.Spec{Trials: []verdicts.Trial{{Trial: trial(), PreDays: 30}}, MinDaysFraction: 0.8,
		Sources: []verdicts.Source{{Name: "firms", Kind: judge.Satellite, MaxGap: hourly}, {Name: "acled", Kind: judge.EventData, MaxGap: hourly}}}
	d, err := verdicts.TrialDetails(ctx, s, spec, &spec.Trials[0], now)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Days) != 11 || d.Days[10].Complete {
		t.Fatalf("%d days, want 11 with the last in progress", len(d.Days))
	}
	for i, day := range d.Days {
		want := i < 1 || i > 3 || i == 2 || i == 3 // acled observes from day 3 (index 2)
		if day.Observed() != want {
			t.Errorf("day %d observed = %v (by %v), want %v", i+1, day.Observed(), day.Sources, want)
		}
	}
	vs, err := verdicts.ComputeTrial(ctx, s, spec, &spec.Trials[0], now)
	if err != nil {
		t.Fatal(err)
	}
	if observed, complete := judge.CompleteDays(d.Days); observed != vs[0].Coverage.ObservedDays || complete != vs[0].Coverage.CompleteDays {
		t.Errorf("details observe %d of %d days, the verdict %d of %d", observed, complete,
			vs[0].Coverage.ObservedDays, vs[0].Coverage.CompleteDays)
	}
	want := []verdicts.SourceCoverage{
		{Source: "firms", Kind: judge.Satellite, ObservedDays: 7, CompleteDays: 10, OK: 10*24 + 7 - 3*24, Failed: 3 * 24, LastSuccess: now},
		{Source: "acled", Kind: judge.EventData, ObservedDays: 8, CompleteDays: 10, OK: 8*24 + 7, LastSuccess: now},
	}
	if len(d.Sources) != len(want) {
		t.Fatalf("sources = %+v, want %+v", d.Sources, want)
	}
	for i := range want {
		if d.Sources[i] != want[i] {
			t.Errorf("source %d = %+v, want %+v", i, d.Sources[i], want[i])
		}
	}
	if d.Thermal != nil {
		t.Errorf("thermal series %+v for a trial without background", d.Thermal)
	}
}

// TestDetailsThermal: the thermal series counts the zone's detections day
// by day, and its test over all the complete days is the verdict's.
func TestDetailsThermal(t *testing.T) {
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
		add(d.Add(monitor.Day), "a", 2)
		add(d.Add(monitor.Day), "b", 100)
	}
	add(start.Add(2*monitor.Day), "a", 300)
	add(start.Add(2*monitor.Day), "b", 200)
	add(start.Add(3*monitor.Day), "a", 4)
	if err := s.AddCounts(ctx, counts); err != nil {
		t.Fatal(err)
	}
	now := start.Add(5*monitor.Day + time.Hour)
	spec := &verdicts.Spec{
		Trials: []verdicts.Trial{{Trial: trial(), PreDays: 30, Background: &verdicts.Background{
			Source: "firms", Category: monitor.ThermalAnomaly, Years: []int{2018, 2019, 2020, 2021}, Controls: []string{"b"}, Alpha: 0.05}}},
		Sources:         []verdicts.Source{{Name: "firms", Kind: judge.Satellite, MaxGap: 2 * time.Hour}},
		MinDaysFraction: 0.8,
	}
	d, err := verdicts.TrialDetails(ctx, s, spec, &spec.Trials[0], now)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := verdicts.ComputeTrial(ctx, s, spec, &spec.Trials[0], now)
	if err != nil {
		t.Fatal(err)
	}
	if d.Thermal == nil || len(d.Thermal.Zones) != 1 {
		t.Fatalf("thermal series = %+v, want one zone", d.Thermal)
	}
	z := d.Thermal.Zones[0]
	if want := []int{0, 0, 300, 4, 0}; len(z.Daily) != len(want) || z.Daily[2] != 300 || z.Daily[3] != 4 || z.Daily[0] != 0 {
		t.Errorf("daily = %v, want %v", z.Daily, want)
	}
	if len(z.ToDate) != 5 || z.ToDate[1] == nil || z.ToDate[1].Observed != 0 || z.ToDate[3].Observed != 304 {
		t.Fatalf("to date = %+v, want 5 tests with 0 observed on day 2 and 304 by day 4", z.ToDate)
	}
	last, v := z.ToDate[4], vs[0].Thermal
	if v == nil || last.Observed != v.Observed || judge.Number(last.Expected) != v.Expected || judge.Number(last.Upper) != v.Upper ||
		last.Class != v.Class {
		t.Errorf("the series ends on %+v, the verdict's test is %+v", last, v)
	}
	if e1, e4 := z.ToDate[0].Expected, z.ToDate[3].Expected; !(e4 > e1) {
		t.Errorf("expected to date %v on day 1 and %v on day 4: it should grow with the reference counts", e1, e4)
	}
}

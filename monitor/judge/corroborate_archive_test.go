package judge_test

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// TestCorroborationArchive feeds a year of the shared FIRMS archive (2019,
// every detection a violation of a trial over the whole year) and the UCDP
// events of that year into one Corroborator, checks that the tiers it
// keeps incrementally equal those of a second Corroborator fed in the
// opposite order, and logs the figures docs/judging.md quotes: incidents
// kept, heap per incident, time per Add and the share corroborated. It
// skips without the shared data. Under the race detector it takes the
// first quarter of the year; CI runs the whole year without it.
func TestCorroborationArchive(t *testing.T) {
	firmsPath := sharedData(t, "incidents/firms_ukr_latlon_yearly/ukr_fire_data_2019.csv.gz")
	ucdpPath := sharedData(t, "incidents/ucdp_ged_ukraine_2014-01-22_2022-02-23.csv")
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(1, 0, 0)
	if testenv.Race {
		end = start.AddDate(0, 3, 0)
	}
	reports := readYearlyFIRMS(t, firmsPath, start, end)
	nFIRMS := len(reports)
	reports = append(reports, readUCDP(t, ucdpPath, start, end)...)

	opts := judge.CorroborationOptions{DistanceM: judge.DefaultCorroborationDistanceM,
		Window: judge.DefaultCorroborationWindow, Start: start, End: end}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	forward, err := judge.NewCorroborator(opts)
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	for _, r := range reports {
		if _, err := forward.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	took := time.Since(began)
	runtime.GC()
	runtime.ReadMemStats(&after)

	backward, err := judge.NewCorroborator(opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(reports) - 1; i >= 0; i-- {
		if _, err := backward.Add(reports[i]); err != nil {
			t.Fatal(err)
		}
	}
	corroborated := map[judge.Kind]int{}
	for _, r := range reports {
		a, _ := forward.Tier(r.Source, r.ID)
		b, _ := backward.Tier(r.Source, r.ID)
		if a != b {
			t.Fatalf("%s/%s: tier %q in arrival order, %q in reverse", r.Source, r.ID, a, b)
		}
		if a == judge.Corroborated {
			corroborated[r.Kind]++
		}
	}
	t.Logf("%d FIRMS detections and %d UCDP events kept; %.0f bytes of heap per incident; %v per Add",
		nFIRMS, len(reports)-nFIRMS, float64(after.HeapAlloc-before.HeapAlloc)/float64(forward.Len()),
		took/time.Duration(len(reports)))
	t.Logf("corroborated: %d detections, %d events", corroborated[judge.Satellite], corroborated[judge.EventData])
	runtime.KeepAlive(forward)
}

// readYearlyFIRMS returns the detections of a yearly file (LATITUDE,
// LONGITUDE, ACQ_DATE) in [start, end) as satellite violations.
func readYearlyFIRMS(tb testing.TB, path string, start, end time.Time) []judge.Report {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	r := csv.NewReader(gz)
	if _, err := r.Read(); err != nil {
		tb.Fatal(err)
	}
	var out []judge.Report
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			tb.Fatal(err)
		}
		lat, err1 := strconv.ParseFloat(rec[0], 64)
		lon, err2 := strconv.ParseFloat(rec[1], 64)
		day, err3 := time.Parse(time.DateOnly, rec[2])
		if err := errors.Join(err1, err2, err3); err != nil {
			tb.Fatal(err)
		}
		if day.Before(start) || !day.Before(end) {
			continue
		}
		out = append(out, judge.Report{Source: "firms", ID: fmt.Sprint(line), Kind: judge.Satellite,
			At: day, Lon: lon, Lat: lat, Violation: true})
	}
}

// readUCDP returns the UCDP events in [start, end), decoded as the daemon
// decodes them, as event-data violations.
func readUCDP(tb testing.TB, path string, start, end time.Time) []judge.Report {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sink := &reportSink{start: start, end: end}
	if err := ingest.NewUCDP(ingest.UCDPOptions{}).Decode(f, path, sink); err != nil {
		tb.Fatal(err)
	}
	return sink.out
}

type reportSink struct {
	start, end time.Time
	out        []judge.Report
}

func (s *reportSink) Incident(inc *monitor.Incident) error {
	if !inc.OccurredAt.Before(s.start) && inc.OccurredAt.Before(s.end) {
		s.out = append(s.out, judge.Report{Source: "ucdp", ID: inc.ID, Kind: judge.EventData,
			At: inc.OccurredAt, Lon: inc.Lon, Lat: inc.Lat, Violation: true})
	}
	return nil
}

func (*reportSink) Reject(int, monitor.RejectReason, error) {}

package ingest

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

func TestFIRMSFixtures(t *testing.T) {
	tests := []struct {
		file     string
		opts     FIRMSOptions
		accepted int
		rejected map[monitor.RejectReason]int
		first    monitor.Incident // Raw not compared
	}{
		{
			file: "modis_sp.csv", opts: FIRMSOptions{DropTypes: []int{2}}, accepted: 3,
			rejected: map[monitor.RejectReason]int{monitor.ReasonStaticSource: 1},
			first: monitor.Incident{ID: "A/2022-03-18T10:35Z/48.1234/37.5678", Lat: 48.1234, Lon: 37.5678,
				OccurredAt: time.Date(2022, 3, 18, 10, 35, 0, 0, time.UTC), Confidence: 74, Category: monitor.ThermalAnomaly},
		},
		{
			file: "modis_nrt.csv", accepted: 3, rejected: map[monitor.RejectReason]int{},
			first: monitor.Incident{ID: "T/2022-06-01T08:24Z/47.62947/34.32819", Lat: 47.62947, Lon: 34.32819,
				OccurredAt: time.Date(2022, 6, 1, 8, 24, 0, 0, time.UTC), Confidence: 46, Category: monitor.ThermalAnomaly},
		},
		{
			file: "viirs_nrt.csv", accepted: 3, rejected: map[monitor.RejectReason]int{},
			first: monitor.Incident{ID: "N/2022-09-01T01:17Z/51.46958/29.55491", Lat: 51.46958, Lon: 29.55491,
				OccurredAt: time.Date(2022, 9, 1, 1, 17, 0, 0, time.UTC), Confidence: ConfidenceNominal, Category: monitor.ThermalAnomaly},
		},
		{
			file: "reduced.csv", accepted: 3, rejected: map[monitor.RejectReason]int{},
			first: monitor.Incident{ID: "2022-01-01/47.1005/37.6171", Lat: 47.1005, Lon: 37.6171,
				OccurredAt: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), Confidence: -1, Category: monitor.ThermalAnomaly},
		},
		{
			file: "reduced.csv.gz", accepted: 3, rejected: map[monitor.RejectReason]int{},
			first: monitor.Incident{ID: "2022-01-01/47.1005/37.6171", Lat: 47.1005, Lon: 37.6171,
				OccurredAt: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), Confidence: -1, Category: monitor.ThermalAnomaly},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec := decodeFile(t, NewFIRMS(tt.opts), filepath.Join("testdata", tt.file))
			if len(rec.incidents) != tt.accepted {
				t.Fatalf("accepted %d, want %d (rejects %v)", len(rec.incidents), tt.accepted, rec.rejects)
			}
			if got := rec.byReason(); !sameCounts(got, tt.rejected) {
				t.Errorf("rejects %v, want %v", got, tt.rejected)
			}
			got := rec.incidents[0]
			got.Raw = ""
			if got != tt.first {
				t.Errorf("first incident\n got %+v\nwant %+v", got, tt.first)
			}
			var raw map[string]string
			if err := json.Unmarshal([]byte(rec.incidents[0].Raw), &raw); err != nil {
				t.Fatalf("raw %q: %v", rec.incidents[0].Raw, err)
			}
			if raw[firstKey(rec.incidents[0].Raw)] == "" {
				t.Errorf("raw %q lacks the first column", rec.incidents[0].Raw)
			}
		})
	}
}

// firstKey returns the first key of a raw JSON object, as written.
func firstKey(raw string) string {
	k, _, _ := strings.Cut(strings.TrimPrefix(raw, `{"`), `"`)
	return k
}

func sameCounts(a, b map[monitor.RejectReason]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestFIRMSClockForms(t *testing.T) {
	rec := decodeFile(t, NewFIRMS(FIRMSOptions{}), filepath.Join("testdata", "modis_nrt.csv"))
	want := []time.Time{
		time.Date(2022, 6, 1, 8, 24, 0, 0, time.UTC),
		time.Date(2022, 6, 1, 0, 46, 0, 0, time.UTC),
		time.Date(2022, 6, 2, 0, 5, 0, 0, time.UTC),
	}
	for i, w := range want {
		if got := rec.incidents[i].OccurredAt; !got.Equal(w) {
			t.Errorf("row %d at %v, want %v", i+1, got, w)
		}
	}
	viirs := decodeFile(t, NewFIRMS(FIRMSOptions{}), filepath.Join("testdata", "viirs_nrt.csv"))
	if got, want := viirs.incidents[1].ID, "N/2022-09-01T01:17:30Z/51.37443/29.53848"; got != want {
		t.Errorf("HH:MM:SS id %q, want %q", got, want)
	}
	if got := viirs.incidents[2].Confidence; got != ConfidenceLow {
		t.Errorf("confidence L = %v, want %v", got, ConfidenceLow)
	}
	if !strings.HasPrefix(viirs.incidents[0].Raw, `{"latitude":`) {
		t.Errorf("BOM not stripped: raw %q", viirs.incidents[0].Raw)
	}
}

func TestFIRMSHostile(t *testing.T) {
	rec := decodeFile(t, NewFIRMS(FIRMSOptions{DropTypes: []int{2}}), filepath.Join("testdata", "hostile.csv"))
	want := map[int]monitor.RejectReason{
		3: monitor.ReasonShortRow, 4: monitor.ReasonBadCoordinate, 5: monitor.ReasonBadCoordinate,
		6: monitor.ReasonBadCoordinate, 7: monitor.ReasonOutOfRange, 8: monitor.ReasonOutOfRange,
		9: monitor.ReasonBadTime, 10: monitor.ReasonBadTime, 11: monitor.ReasonBadCoordinate,
		12: monitor.ReasonBadConfidence, 13: monitor.ReasonStaticSource, 14: monitor.ReasonDuplicateInFile,
		15: monitor.ReasonBadConfidence, 18: monitor.ReasonMalformed,
	}
	got := map[int]monitor.RejectReason{}
	for _, r := range rec.rejects {
		if r.Err == nil {
			t.Errorf("line %d (%s) rejected without an error", r.Line, r.Reason)
		}
		got[r.Line] = r.Reason
	}
	for line, reason := range want {
		t.Run(string(reason)+"/line"+strconv.Itoa(line), func(t *testing.T) {
			if got[line] != reason {
				t.Errorf("line %d: reason %q, want %q", line, got[line], reason)
			}
		})
	}
	if len(rec.rejects) != len(want) {
		t.Errorf("%d rejects, want %d: %v", len(rec.rejects), len(want), rec.rejects)
	}
	if len(rec.incidents) != 2 || rec.incidents[1].Confidence != ConfidenceHigh {
		t.Errorf("accepted %+v, want lines 2 and 16", rec.incidents)
	}
}

func TestFIRMSOptions(t *testing.T) {
	tests := []struct {
		name     string
		opts     FIRMSOptions
		accepted int
		reason   monitor.RejectReason
		rejected int
	}{
		{"defaults keep every row", FIRMSOptions{}, 4, monitor.ReasonStaticSource, 0},
		{"min confidence 50", FIRMSOptions{MinConfidence: 50}, 2, monitor.ReasonLowConfidence, 2},
		{"drop static and offshore", FIRMSOptions{DropTypes: []int{2, 3}}, 2, monitor.ReasonStaticSource, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := decodeFile(t, NewFIRMS(tt.opts), filepath.Join("testdata", "modis_sp.csv"))
			if len(rec.incidents) != tt.accepted || len(rec.rejects) != tt.rejected || rec.byReason()[tt.reason] != tt.rejected {
				t.Errorf("accepted %d rejects %v, want %d and %d×%s", len(rec.incidents), rec.byReason(), tt.accepted, tt.rejected, tt.reason)
			}
		})
	}
	t.Run("footprint", func(t *testing.T) {
		rec := decodeFile(t, NewFIRMS(FIRMSOptions{Footprint: true}), filepath.Join("testdata", "modis_sp.csv"))
		want := math.Hypot(1.2, 1.1) / 2 * 1000 // scan 1.2 km × track 1.1 km
		if got := rec.incidents[0].UncertaintyM; math.Abs(got-want) > 1e-9 {
			t.Errorf("uncertainty %v m, want %v", got, want)
		}
		plain := decodeFile(t, NewFIRMS(FIRMSOptions{}), filepath.Join("testdata", "modis_sp.csv"))
		if plain.incidents[0].UncertaintyM != 0 {
			t.Errorf("uncertainty without footprint %v, want 0", plain.incidents[0].UncertaintyM)
		}
	})
}

func TestFIRMSDocumentErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"empty", "", "empty document"},
		{"no latitude", "lat,longitude,acq_date\n1,2,2022-01-01\n", `missing required column "latitude"`},
		{"no date", "latitude,longitude,date\n1,2,2022-01-01\n", `missing required column "acq_date"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := NewFIRMS(FIRMSOptions{}).Decode(strings.NewReader(tt.doc), "feed.csv", &recorder{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "feed.csv") {
				t.Errorf("error %v, want one naming feed.csv and containing %q", err, tt.want)
			}
		})
	}
}
